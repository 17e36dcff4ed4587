using Microsoft.Extensions.Options;

namespace XenDisplayWeb.Server.Streaming;

/// <summary>How frames are streamed to viewers ("Streaming" in appsettings.json).</summary>
public sealed class StreamingOptions
{
    public const string Section = "Streaming";

    /// <summary>Side of a damage tile in pixels; fixed at 64.</summary>
    public int TileSize { get; set; } = 64;

    /// <summary>Largest side of a rectangle sent in one piece (a multiple of the tile size).</summary>
    public int MaxRectSize { get; set; } = 512;

    /// <summary>
    /// Most frames a viewer may have unacknowledged per connector. Each viewer's window is sized from its round
    /// trip and the picture rate (at least 2, or this if smaller): enough frames to cover one round trip.
    /// </summary>
    public int MaxInFlight { get; set; } = 6;

    /// <summary>
    /// Messages a connection may have queued and not yet taken by its socket before it is offered no more frames
    /// (whatever it acknowledges).
    /// </summary>
    public int MaxQueuedFrames { get; set; } = 2;

    /// <summary>Messages of any kind a connection may have queued before the server closes it (it reconnects).</summary>
    public int MaxQueuedMessages { get; set; } = 64;

    public int JpegQualityMax { get; set; } = 85;
    public int JpegQualityMin { get; set; } = 40;

    /// <summary>A region changing at least this often (frames a second) is sent lossy.</summary>
    public double LossyThresholdFps { get; set; } = 3;

    /// <summary>A region sent lossy is sent again losslessly once it has not changed for this long.</summary>
    public int RefreshDelayMs { get; set; } = 300;

    /// <summary>Viewer lag (ack time minus send time) under which JPEG quality rises, and over which it falls.</summary>
    public int LagLowMs { get; set; } = 40;
    public int LagHighMs { get; set; } = 120;

    /// <summary>The path a connector starts on: "auto" (video while most of the picture moves fast), "tiles" or "video".</summary>
    public string VideoMode { get; set; } = "auto";

    /// <summary>
    /// H.264 bitrate for a 1920x1080 picture; other sizes get it scaled by their pixel count (at least
    /// <see cref="MinVideoBitrateKbps"/>).
    /// </summary>
    public int VideoBitrateKbps { get; set; } = 8000;

    public const int MinVideoBitrateKbps = 250;

    /// <summary>The frame rate the encoder's rate control is told.</summary>
    public int VideoFramesPerSecond { get; set; } = 60;

    /// <summary>Auto: a picture is "moving" when at least this fraction of its tiles changed.</summary>
    public double VideoMinChangedFraction { get; set; } = 0.5;

    /// <summary>Auto: moving pictures must come at least this often (frames a second) to count as motion.</summary>
    public double VideoMinFps { get; set; } = 20;

    /// <summary>Auto: how long motion must hold before the stream switches to video.</summary>
    public int VideoAfterMs { get; set; } = 500;

    /// <summary>Auto: how long without motion before the stream switches back to tiles (and a lossless refresh).</summary>
    public int TilesAfterMs { get; set; } = 1000;

    /// <summary>The bitrate for a <paramref name="width"/> x <paramref name="height"/> picture.</summary>
    public int VideoBitrateFor(int width, int height) =>
        (int)Math.Max(MinVideoBitrateKbps, Math.Round(VideoBitrateKbps * ((double)width * height / (1920.0 * 1080.0))));
    /// <summary>Pictures a second at most for a watch at a smaller size (the overview's thumbnails).</summary>
    public double ThumbnailFps { get; set; } = 15;
}

/// <summary>Checks the streaming settings at start-up and says exactly what is wrong.</summary>
public sealed class StreamingOptionsValidator : IValidateOptions<StreamingOptions>
{
    public ValidateOptionsResult Validate(string? name, StreamingOptions o)
    {
        var errors = new List<string>();
        if (o.TileSize != 64) errors.Add($"Streaming:TileSize must be 64 (got {o.TileSize})");
        if (o.MaxRectSize < 64 || o.MaxRectSize > 4096 || o.MaxRectSize % 64 != 0)
            errors.Add($"Streaming:MaxRectSize must be a multiple of 64 from 64 to 4096 (got {o.MaxRectSize})");
        if (o.MaxInFlight is < 1 or > 16) errors.Add($"Streaming:MaxInFlight must be 1 to 16 (got {o.MaxInFlight})");
        if (o.MaxQueuedFrames is < 1 or > 16) errors.Add($"Streaming:MaxQueuedFrames must be 1 to 16 (got {o.MaxQueuedFrames})");
        if (o.MaxQueuedMessages < o.MaxQueuedFrames + 8 || o.MaxQueuedMessages > 4096)
            errors.Add($"Streaming:MaxQueuedMessages must be MaxQueuedFrames + 8 to 4096 (got {o.MaxQueuedMessages})");
        if (o.JpegQualityMin is < 1 or > 100 || o.JpegQualityMax is < 1 or > 100 || o.JpegQualityMin > o.JpegQualityMax)
            errors.Add($"Streaming:JpegQualityMin and JpegQualityMax must be 1 to 100 with Min <= Max (got {o.JpegQualityMin}, {o.JpegQualityMax})");
        if (!(o.LossyThresholdFps > 0 && o.LossyThresholdFps <= 240)) errors.Add($"Streaming:LossyThresholdFps must be above 0 and at most 240 (got {o.LossyThresholdFps})");
        if (o.RefreshDelayMs is < 10 or > 60_000) errors.Add($"Streaming:RefreshDelayMs must be 10 to 60000 (got {o.RefreshDelayMs})");
        if (o.LagLowMs < 0 || o.LagHighMs <= o.LagLowMs) errors.Add($"Streaming:LagLowMs must be >= 0 and below LagHighMs (got {o.LagLowMs}, {o.LagHighMs})");
        if (!Video.VideoModes.TryParse(o.VideoMode, out _)) errors.Add($"Streaming:VideoMode must be auto, tiles or video (got '{o.VideoMode}')");
        if (o.VideoBitrateKbps is < StreamingOptions.MinVideoBitrateKbps or > 200_000)
            errors.Add($"Streaming:VideoBitrateKbps must be {StreamingOptions.MinVideoBitrateKbps} to 200000 (got {o.VideoBitrateKbps})");
        if (o.VideoFramesPerSecond is < 1 or > 240) errors.Add($"Streaming:VideoFramesPerSecond must be 1 to 240 (got {o.VideoFramesPerSecond})");
        if (!(o.VideoMinChangedFraction > 0 && o.VideoMinChangedFraction <= 1))
            errors.Add($"Streaming:VideoMinChangedFraction must be above 0 and at most 1 (got {o.VideoMinChangedFraction})");
        if (!(o.VideoMinFps > 0 && o.VideoMinFps <= 240)) errors.Add($"Streaming:VideoMinFps must be above 0 and at most 240 (got {o.VideoMinFps})");
        if (o.VideoAfterMs is < 0 or > 60_000) errors.Add($"Streaming:VideoAfterMs must be 0 to 60000 (got {o.VideoAfterMs})");
        if (o.TilesAfterMs is < 10 or > 600_000) errors.Add($"Streaming:TilesAfterMs must be 10 to 600000 (got {o.TilesAfterMs})");
        if (!(o.ThumbnailFps >= 1 && o.ThumbnailFps <= 240)) errors.Add($"Streaming:ThumbnailFps must be 1 to 240 (got {o.ThumbnailFps})");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
