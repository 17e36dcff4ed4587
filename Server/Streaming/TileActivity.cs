namespace XenDisplayWeb.Server.Streaming;

/// <summary>
/// Per tile: when it last changed and how often it changes, to choose lossy (a region changing at
/// <see cref="StreamingOptions.LossyThresholdFps"/> or more) or lossless, and when a lossy region is
/// due for its lossless refresh.
/// </summary>
internal sealed class TileActivity
{
    private readonly int _history;
    private readonly long _window;
    private long[] _changes = [];   // a ring of the last _history change timestamps per tile
    private int[] _next = [];
    private long[] _version = [];
    private bool[] _sentLossy = [];
    private long[] _lastChange = [];

    public TileActivity(double lossyThresholdFps, TimeProvider time)
    {
        _history = Math.Max(1, (int)Math.Ceiling(lossyThresholdFps));
        // _history changes within the window of _history / threshold seconds is a rate >= threshold.
        _window = (long)(time.TimestampFrequency * (_history / lossyThresholdFps));
    }

    public int Count => _version.Length;

    public void Reset(int tiles)
    {
        _changes = new long[tiles * _history];
        Array.Fill(_changes, long.MinValue / 2);
        _next = new int[tiles];
        _version = new long[tiles];
        _sentLossy = new bool[tiles];
        _lastChange = new long[tiles];
    }

    public void Changed(int tile, long now, long version)
    {
        _changes[tile * _history + _next[tile]] = now;
        _next[tile] = (_next[tile] + 1) % _history;
        _version[tile] = version;
        _lastChange[tile] = now;
    }

    public long Version(int tile) => _version[tile];

    /// <summary>Changing at the lossy threshold or faster: its oldest remembered change is within the window.</summary>
    public bool IsFast(int tile, long now) => now - _changes[tile * _history + _next[tile]] < _window;

    public void SentLossy(int tile) => _sentLossy[tile] = true;

    /// <summary>Tiles sent lossy that have been still for <paramref name="delay"/>: returned once each.</summary>
    public void TakeDueRefreshes(long now, long delay, List<int> due)
    {
        for (int t = 0; t < _sentLossy.Length; t++)
        {
            if (_sentLossy[t] && now - _lastChange[t] >= delay)
            {
                _sentLossy[t] = false;
                due.Add(t);
            }
        }
    }

    public bool AnyLossy => Array.IndexOf(_sentLossy, true) >= 0;
}
