using XenDisplayWeb.Client.Contract;

namespace XenDisplayWeb.Server.Streaming;

/// <summary>
/// A connector stream's viewers that watch at a smaller size (see <see cref="ScaledSize"/>), grouped by that
/// size: one <see cref="ScaledVariant"/> per size, made on the first watch at it and disposed (its encoder task,
/// timer and compressors) when its last viewer leaves or the connector's stream goes. The full stream's encoder
/// pass feeds every variant from its own picture, off the ring thread, at most
/// <see cref="StreamingOptions.ThumbnailFps"/> times a second; damage held back meanwhile is merged.
/// </summary>
internal sealed class ScaledVariants : IDisposable
{
    private readonly ConnectorStream _full;
    private readonly Func<ConnectorStream> _newStream;
    private readonly TimeProvider _time;
    private readonly long _interval;
    private readonly object _lock = new();
    private readonly Dictionary<VariantKey, ScaledVariant> _variants = [];
    private readonly Dictionary<string, (ScaledVariant Variant, WatchOptions Options)> _viewers = [];
    private readonly ITimer _timer;
    private long _fedAt;
    private bool _fresh = true, _blank, _timerArmed, _disposed;
    private volatile int _count;

    public ScaledVariants(ConnectorStream full, Func<ConnectorStream> newStream, StreamingOptions options, TimeProvider time)
    {
        _full = full;
        _newStream = newStream;
        _time = time;
        _interval = (long)(time.TimestampFrequency / options.ThumbnailFps);
        _timer = time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Viewers watching at a smaller size.</summary>
    public int Count => _count;

    /// <summary>The variants now: their size and stream.</summary>
    public IReadOnlyList<(int Width, int Height, ConnectorStream Stream)> Streams
    {
        get { lock (_lock) return _variants.Values.Select(v => (v.Width, v.Height, v.Stream)).ToList(); }
    }

    /// <summary>The connection watches at <paramref name="size"/> (of a picture of <paramref name="source"/>): moved there if it watched at another.</summary>
    public WatchResult Watch(string connectionId, (int Width, int Height) source, (int Width, int Height) size, WatchOptions options)
    {
        ScaledVariant? emptied;
        WatchResult result;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            emptied = Remove(connectionId);
            var key = new VariantKey(source.Width, source.Height, size.Width, size.Height);
            if (!_variants.TryGetValue(key, out var variant))
            {
                _variants[key] = variant = new ScaledVariant(source.Width, source.Height, size.Width, size.Height, _newStream());
                _fresh = true;
            }
            if (emptied == variant) emptied = null;
            _viewers[connectionId] = (variant, options);
            _count = _viewers.Count;
            result = variant.Stream.AddViewer(connectionId, options);
        }
        emptied?.Dispose();
        _full.Signal();
        return result;
    }

    /// <summary>The connection stops watching at a smaller size; false if it did not.</summary>
    public bool Unwatch(string connectionId)
    {
        ScaledVariant? emptied;
        lock (_lock)
        {
            if (!_viewers.ContainsKey(connectionId)) return false;
            emptied = Remove(connectionId);
            _count = _viewers.Count;
        }
        emptied?.Dispose();
        return true;
    }

    /// <summary>Passes an acknowledgement to the variant the connection watches; false if it watches none.</summary>
    public bool Ack(string connectionId, long frameId)
    {
        ConnectorStream stream;
        lock (_lock)
        {
            if (!_viewers.TryGetValue(connectionId, out var v)) return false;
            stream = v.Variant.Stream;
        }
        stream.Ack(connectionId, frameId);
        return true;
    }

    /// <summary>
    /// The full stream's pass, before it takes the inbox's damage: true when only variants watch and their next
    /// feed is not due yet, so the damage can stay in the inbox (merged there) until it is; a timer wakes the pass then.
    /// </summary>
    public bool HoldsBack()
    {
        lock (_lock)
        {
            if (_variants.Count == 0 || Due(_time.GetTimestamp())) return false;
            ArmTimer();
            return true;
        }
    }

    /// <summary>
    /// The full stream's pass, after it took the damage (its encoder thread; <paramref name="picture"/> is stable until
    /// its next pass): merges the damage into every variant, and when a feed is due, scales and shows it.
    /// </summary>
    public void Feed(byte[] picture, TileGrid grid, ReadOnlySpan<bool> dirty, bool blank, long guestFrame)
    {
        ScaledVariant[] feed;
        List<(string, WatchOptions)> refit;
        List<ScaledVariant> gone;
        lock (_lock)
        {
            if (_variants.Count == 0) return;
            if (blank)
            {
                if (!_blank) foreach (var v in _variants.Values) v.Blank();
                _blank = true;
                return;
            }
            _blank = false;
            (refit, gone) = Refit(grid);
            foreach (var v in _variants.Values) v.AddDamage(dirty);
            long now = _time.GetTimestamp();
            if (!Due(now)) { ArmTimer(); feed = []; }
            else
            {
                _fedAt = now;
                _fresh = false;
                feed = [.. _variants.Values];
            }
        }
        foreach (var v in gone) v.Dispose();
        foreach (var (id, options) in refit) _full.AddViewer(id, options);
        foreach (var v in feed) v.Feed(picture, grid, guestFrame);
    }

    /// <summary>Under the lock: after the picture changed size, drops the variants made for the old size and lists their viewers to watch again.</summary>
    private (List<(string, WatchOptions)> Refit, List<ScaledVariant> Gone) Refit(TileGrid grid)
    {
        var gone = _variants.Where(kv => kv.Value.SourceWidth != grid.Width || kv.Value.SourceHeight != grid.Height).ToList();
        if (gone.Count == 0) return ([], []);
        var refit = new List<(string, WatchOptions)>();
        foreach (var (key, variant) in gone)
        {
            _variants.Remove(key);
            foreach (var (id, v) in _viewers.Where(v => v.Value.Variant == variant).ToList())
            {
                _viewers.Remove(id);
                refit.Add((id, v.Options));
            }
        }
        _count = _viewers.Count;
        return (refit, gone.Select(kv => kv.Value).ToList());
    }

    /// <summary>Under the lock: removes the connection; returns its variant if that is now empty (to dispose outside the lock).</summary>
    private ScaledVariant? Remove(string connectionId)
    {
        if (!_viewers.Remove(connectionId, out var was)) return null;
        was.Variant.Stream.RemoveViewer(connectionId);
        if (_viewers.Values.Any(v => v.Variant == was.Variant)) return null;
        _variants.Remove(new VariantKey(was.Variant.SourceWidth, was.Variant.SourceHeight, was.Variant.Width, was.Variant.Height));
        return was.Variant;
    }

    private bool Due(long now) => _fresh || now - _fedAt >= _interval;

    private void ArmTimer()
    {
        if (_timerArmed || _disposed) return;
        _timerArmed = true;
        long wait = Math.Max(0, _fedAt + _interval - _time.GetTimestamp());
        _timer.Change(TimeSpan.FromSeconds((double)wait / _time.TimestampFrequency), Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        lock (_lock) _timerArmed = false;
        _full.Signal();
    }

    public void Dispose()
    {
        List<ScaledVariant> all;
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            all = [.. _variants.Values];
            _variants.Clear();
            _viewers.Clear();
            _count = 0;
        }
        _timer.Dispose();
        foreach (var v in all) v.Dispose();
    }

    /// <summary>A variant is for one picture size scaled to one size.</summary>
    private readonly record struct VariantKey(int SourceWidth, int SourceHeight, int Width, int Height);
}
