using System.Diagnostics;

namespace XenDisplayWeb.Server.Streaming.Video;

/// <summary>
/// One stream's video side: the mode the operator asked for, the auto judgement of motion, and the one
/// encoder (made at the picture's size, made again on a resize, released when the stream goes back to
/// tiles). Whatever makes video impossible (no encoder library, an odd size, an encoder failure) keeps
/// the stream on tiles, logged once.
/// </summary>
internal sealed class VideoPath : IDisposable
{
    private readonly IVideoEncoderFactory _factory;
    private readonly StreamingOptions _options;
    private readonly ModeSwitch _switch;
    private readonly ILogger _logger;
    private readonly int _domId, _index;
    private IVideoEncoder? _encoder;
    private volatile bool _failed;
    private bool _oddSizeLogged;

    public VideoPath(int domId, int index, IVideoEncoderFactory factory, StreamingOptions options, TimeProvider time, ILogger logger)
    {
        _domId = domId;
        _index = index;
        _factory = factory;
        _options = options;
        _switch = new ModeSwitch(options, time);
        _logger = logger;
        Mode = VideoModes.TryParse(options.VideoMode, out var mode) ? mode : VideoMode.Auto;
    }

    public VideoMode Mode { get; set; }

    /// <summary>The codec family a viewer must name to be sent video.</summary>
    public string Family => _factory.Family;

    /// <summary>The encoder has failed on this stream: it stays on tiles.</summary>
    public bool Failed => _failed;

    public void Picture(long now, int changedTiles, int tiles, int guestFrames) => _switch.Picture(now, changedTiles, tiles, guestFrames);

    /// <summary>Whether a <paramref name="width"/> x <paramref name="height"/> picture goes out as video at <paramref name="now"/>.</summary>
    public bool Decide(long now, int width, int height)
    {
        bool wanted = Mode switch
        {
            VideoMode.Video => true,
            VideoMode.Tiles => false,
            _ => _switch.Motion(now),
        };
        if (!wanted || !_factory.Available || _failed || width == 0) return false;
        if (width % 2 != 0 || height % 2 != 0)
        {
            if (!_oddSizeLogged)
            {
                _oddSizeLogged = true;
                _logger.LogInformation("Connector {DomId}/{Index} is {Width}x{Height}, an odd size H.264 cannot take: streaming tiles",
                    _domId, _index, width, height);
            }
            return false;
        }
        return true;
    }

    /// <summary>
    /// On the stream's pump: encodes the picture (with a new encoder if its size changed). Null when the
    /// encoder failed (logged; the stream goes back to tiles for good).
    /// </summary>
    public (EncodedVideoFrame Frame, string Codec, long Ticks)? Encode(byte[] bgrx, int width, int height, bool forceKey)
    {
        try
        {
            long start = Stopwatch.GetTimestamp();
            if (_encoder is { } e && (e.Width != width || e.Height != height)) Release();
            if (_encoder is null)
            {
                _encoder = _factory.Create(width, height, _options.VideoFramesPerSecond, _options.VideoBitrateFor(width, height));
                forceKey = true;
            }
            var frame = _encoder.Encode(bgrx, width * 4, forceKey);
            return (frame, _encoder.Codec, Stopwatch.GetTimestamp() - start);
        }
        catch (Exception ex)
        {
            _failed = true;
            Release();
            _logger.LogError(ex, "Video encoding of connector {DomId}/{Index} failed: streaming tiles", _domId, _index);
            return null;
        }
    }

    /// <summary>The stream is back on tiles: the encoder goes (a new one starts with a key frame).</summary>
    public void Release()
    {
        _encoder?.Dispose();
        _encoder = null;
    }

    public void Dispose() => Release();
}
