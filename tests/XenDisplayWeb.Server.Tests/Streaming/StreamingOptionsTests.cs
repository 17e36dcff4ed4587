using XenDisplayWeb.Server.Streaming;

namespace XenDisplayWeb.Server.Tests.Streaming;

public class StreamingOptionsTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.True(new StreamingOptionsValidator().Validate(null, new StreamingOptions()).Succeeded);
    }

    [Fact]
    public void Bad_settings_are_each_named()
    {
        var result = new StreamingOptionsValidator().Validate(null, new StreamingOptions
        {
            TileSize = 32, MaxRectSize = 500, MaxInFlight = 0, JpegQualityMin = 90, JpegQualityMax = 50, LossyThresholdFps = 0, RefreshDelayMs = 1,
            MaxQueuedFrames = 0, MaxQueuedMessages = 5, ThumbnailFps = 0,
        });
        Assert.True(result.Failed);
        foreach (var name in new[] { "TileSize", "MaxRectSize", "MaxInFlight", "JpegQualityMin", "LossyThresholdFps", "RefreshDelayMs", "MaxQueuedFrames", "MaxQueuedMessages", "ThumbnailFps" })
            Assert.Contains($"Streaming:{name}", result.FailureMessage);
    }

    [Fact]
    public void Bad_video_settings_are_each_named()
    {
        var result = new StreamingOptionsValidator().Validate(null, new StreamingOptions
        {
            VideoMode = "movie", VideoBitrateKbps = 10, VideoFramesPerSecond = 0, VideoMinChangedFraction = 1.5, VideoMinFps = 0,
            VideoAfterMs = -1, TilesAfterMs = 0,
        });
        Assert.True(result.Failed);
        foreach (var name in new[] { "VideoMode", "VideoBitrateKbps", "VideoFramesPerSecond", "VideoMinChangedFraction", "VideoMinFps", "VideoAfterMs", "TilesAfterMs" })
            Assert.Contains($"Streaming:{name}", result.FailureMessage);
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("TILES")]
    [InlineData("video")]
    public void Each_video_mode_is_accepted(string mode)
    {
        Assert.True(new StreamingOptionsValidator().Validate(null, new StreamingOptions { VideoMode = mode }).Succeeded);
    }

    [Fact]
    public void The_bitrate_is_scaled_by_pixel_count_from_1080p()
    {
        var o = new StreamingOptions { VideoBitrateKbps = 8000 };
        Assert.Equal(8000, o.VideoBitrateFor(1920, 1080));
        Assert.Equal(2000, o.VideoBitrateFor(960, 540));
        Assert.Equal(StreamingOptions.MinVideoBitrateKbps, o.VideoBitrateFor(64, 64));
    }
}
