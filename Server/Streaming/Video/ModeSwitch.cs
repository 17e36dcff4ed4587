namespace XenDisplayWeb.Server.Streaming.Video;

/// <summary>
/// The auto mode's judgement of motion. A picture is moving when at least
/// <see cref="StreamingOptions.VideoMinChangedFraction"/> of its tiles changed; moving pictures are fast when
/// each follows the one before within 1 / <see cref="StreamingOptions.VideoMinFps"/> seconds per guest frame
/// it carries (the encoder may take several at once). Motion begins once fast moving pictures have kept
/// coming for <see cref="StreamingOptions.VideoAfterMs"/>, and ends after
/// <see cref="StreamingOptions.TilesAfterMs"/> without a fast moving picture.
/// </summary>
internal sealed class ModeSwitch
{
    private readonly double _minFraction, _minFps;
    private readonly long _frequency, _enter, _leave;
    private long _runStart, _lastMoving, _lastFast;
    private bool _anyMoving, _motion;

    public ModeSwitch(StreamingOptions options, TimeProvider time)
    {
        _minFraction = options.VideoMinChangedFraction;
        _minFps = options.VideoMinFps;
        _frequency = time.TimestampFrequency;
        _enter = (long)(_frequency * options.VideoAfterMs / 1000.0);
        _leave = (long)(_frequency * options.TilesAfterMs / 1000.0);
    }

    /// <summary>The encoder took a picture in which <paramref name="changedTiles"/> of <paramref name="tiles"/> changed, over <paramref name="guestFrames"/> guest frames.</summary>
    public void Picture(long now, int changedTiles, int tiles, int guestFrames)
    {
        if (tiles == 0 || changedTiles < tiles * _minFraction) return;
        bool fast = _anyMoving && (now - _lastMoving) * _minFps <= Math.Max(1, guestFrames) * (double)_frequency;
        if (!fast) _runStart = now;
        else _lastFast = now;
        _anyMoving = true;
        _lastMoving = now;
        if (fast && now - _runStart >= _enter) _motion = true;
    }

    /// <summary>Whether the picture is in motion at <paramref name="now"/>.</summary>
    public bool Motion(long now)
    {
        if (_motion && now - _lastFast >= _leave) _motion = false;
        return _motion;
    }
}
