using System.Diagnostics;

namespace XenDisplayWeb.Shared.Xen;

/// <summary>
/// The waiting side of an event channel: a counter of notifications and a wait that spins for a
/// while (cheap when the other side answers quickly) and then blocks (cheap when it does not).
/// </summary>
public sealed class EventSignal
{
    private readonly object _lock = new();
    private uint _sequence;
    private int _waiters;

    /// <summary>Notifications seen so far; pass the last value you saw to <see cref="Wait"/>.</summary>
    public uint Sequence => Volatile.Read(ref _sequence);

    public void Raise()
    {
        Interlocked.Increment(ref _sequence);
        if (Volatile.Read(ref _waiters) > 0)
            lock (_lock) Monitor.PulseAll(_lock);
    }

    /// <summary>
    /// Waits until the sequence differs from <paramref name="seen"/>, spinning up to <paramref name="spin"/>
    /// first. Returns false on timeout. Updates <paramref name="seen"/>.
    /// </summary>
    public bool Wait(ref uint seen, TimeSpan spin, int timeoutMs = Timeout.Infinite)
    {
        uint now = Volatile.Read(ref _sequence);
        if (now != seen) { seen = now; return true; }
        if (spin > TimeSpan.Zero)
        {
            long end = Stopwatch.GetTimestamp() + (long)(spin.TotalSeconds * Stopwatch.Frequency);
            do
            {
                Thread.SpinWait(8);
                now = Volatile.Read(ref _sequence);
                if (now != seen) { seen = now; return true; }
            } while (Stopwatch.GetTimestamp() < end);
        }
        lock (_lock)
        {
            Interlocked.Increment(ref _waiters);
            try
            {
                long deadline = timeoutMs == Timeout.Infinite ? 0 : Environment.TickCount64 + timeoutMs;
                while ((now = Volatile.Read(ref _sequence)) == seen)
                {
                    if (timeoutMs == Timeout.Infinite) { Monitor.Wait(_lock); continue; }
                    long left = deadline - Environment.TickCount64;
                    if (left <= 0) return false;
                    Monitor.Wait(_lock, (int)left);
                }
            }
            finally { Interlocked.Decrement(ref _waiters); }
        }
        seen = now;
        return true;
    }
}
