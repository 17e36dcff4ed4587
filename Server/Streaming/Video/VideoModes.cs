namespace XenDisplayWeb.Server.Streaming.Video;

/// <summary>What an operator asks of a connector's stream.</summary>
public enum VideoMode
{
    /// <summary>Video while most of the picture moves fast, tiles otherwise.</summary>
    Auto,
    Tiles,
    Video,
}

/// <summary>The words of the settings, the API and the stats: "auto", "tiles", "video".</summary>
public static class VideoModes
{
    public const string Tiles = "tiles", Video = "video";

    public static bool TryParse(string? text, out VideoMode mode)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "auto": mode = VideoMode.Auto; return true;
            case Tiles: mode = VideoMode.Tiles; return true;
            case Video: mode = VideoMode.Video; return true;
            default: mode = VideoMode.Auto; return false;
        }
    }

    public static string Name(this VideoMode mode) => mode switch
    {
        VideoMode.Tiles => Tiles,
        VideoMode.Video => Video,
        _ => "auto",
    };
}
