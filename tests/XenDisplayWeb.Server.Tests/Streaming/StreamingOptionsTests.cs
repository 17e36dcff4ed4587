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
}
