using XenDisplayWeb.Shared.Displif;

namespace XenDisplayWeb.Shared.Backend;

/// <summary>
/// Faults an operator injects into the backend, to see how a frontend copes: slow or lost responses,
/// lost frame-done events, requests failed with a chosen status, a paused backend. Thread-safe.
/// </summary>
public sealed class BackendFaults
{
    private readonly object _lock = new();
    private readonly Dictionary<XendisplOp, (int Count, int Status)> _fail = [];
    private int _dropResponses;
    private int _dropFrameDone;
    private readonly ManualResetEventSlim _running = new(true);

    /// <summary>Every response waits this long before it is sent.</summary>
    public TimeSpan ResponseDelay { get; set; }

    /// <summary>The next N responses are never sent (the frontend times out).</summary>
    public int DropResponses { get => Volatile.Read(ref _dropResponses); set => Volatile.Write(ref _dropResponses, Math.Max(0, value)); }

    /// <summary>The next N frame-done (PG_FLIP) events are never sent; -1 drops them all until set to 0.</summary>
    public int DropFrameDone { get => Volatile.Read(ref _dropFrameDone); set => Volatile.Write(ref _dropFrameDone, Math.Max(-1, value)); }

    public bool Paused
    {
        get => !_running.IsSet;
        set { if (value) _running.Reset(); else _running.Set(); }
    }

    /// <summary>Fails the next <paramref name="count"/> requests of <paramref name="op"/> with <paramref name="status"/> (negative errno).</summary>
    public void FailNext(XendisplOp op, int count, int status)
    {
        lock (_lock)
        {
            if (count <= 0) _fail.Remove(op);
            else _fail[op] = (count, status > 0 ? -status : status);
        }
    }

    public IReadOnlyDictionary<XendisplOp, (int Count, int Status)> PendingFailures
    {
        get { lock (_lock) return new Dictionary<XendisplOp, (int, int)>(_fail); }
    }

    public void Clear()
    {
        lock (_lock) _fail.Clear();
        ResponseDelay = TimeSpan.Zero;
        DropResponses = 0;
        DropFrameDone = 0;
        Paused = false;
    }

    internal bool TryTakeFailure(byte op, out int status)
    {
        status = 0;
        lock (_lock)
        {
            if (_fail.Count == 0 || !_fail.TryGetValue((XendisplOp)op, out var f)) return false;
            status = f.Status;
            if (f.Count <= 1) _fail.Remove((XendisplOp)op);
            else _fail[(XendisplOp)op] = (f.Count - 1, f.Status);
            return true;
        }
    }

    internal bool TakeDropResponse() => TakeOne(ref _dropResponses);

    internal bool TakeDropFrameDone()
    {
        if (Volatile.Read(ref _dropFrameDone) == -1) return true;
        return TakeOne(ref _dropFrameDone);
    }

    /// <summary>Blocks while paused, or until <paramref name="stop"/> is cancelled.</summary>
    internal void WaitWhilePaused(CancellationToken stop)
    {
        try { _running.Wait(stop); } catch (OperationCanceledException) { }
    }

    private static bool TakeOne(ref int counter)
    {
        while (true)
        {
            int n = Volatile.Read(ref counter);
            if (n <= 0) return false;
            if (Interlocked.CompareExchange(ref counter, n - 1, n) == n) return true;
        }
    }
}
