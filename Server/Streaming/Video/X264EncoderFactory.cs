using Microsoft.Extensions.Logging;

namespace XenDisplayWeb.Server.Streaming.Video;

/// <summary>
/// Makes <see cref="X264Encoder"/>s over Debian's libx264. The library is loaded once, here; when it cannot be,
/// the factory is unavailable, says why, and warns once that streams stay on tiles.
/// </summary>
public sealed partial class X264EncoderFactory : IVideoEncoderFactory
{
    public const string DefaultLibrary = "libx264.so.164";

    private readonly X264Native? _x264;
    private readonly X264Tuning _tuning;

    public X264EncoderFactory(ILogger<X264EncoderFactory> logger, string library = DefaultLibrary, X264Tuning? tuning = null)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _tuning = tuning ?? new X264Tuning();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_tuning.Threads, "tuning.Threads");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_tuning.VbvFrames, "tuning.VbvFrames");
        if (_tuning.Crf is < 0 or > 51) throw new ArgumentOutOfRangeException("tuning.Crf", _tuning.Crf, "x264's CRF is 0 to 51");
        _x264 = X264Native.TryLoad(library, out var error);
        UnavailableReason = error;
        if (error is not null) LogUnavailable(logger, error);
    }

    public bool Available => _x264 is not null;

    public string? UnavailableReason { get; }

    public string Family => "avc1";

    /// <exception cref="InvalidOperationException">The library is unavailable.</exception>
    /// <exception cref="ArgumentException">A size is odd or not positive.</exception>
    public IVideoEncoder Create(int width, int height, int framesPerSecond, int bitrateKbps)
    {
        var x264 = _x264 ?? throw new InvalidOperationException($"H.264 is unavailable: {UnavailableReason}");
        return new X264Encoder(x264, width, height, framesPerSecond, bitrateKbps, _tuning);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "H.264 is unavailable ({Reason}): streaming tiles only")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}
