using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace XenDisplayWeb.Shared.Tests.Host;

/// <summary>
/// A fake clock that shows the timers armed on it, so a test can wait until the code under test waits
/// (its timer is armed) before it moves the clock: an advance made earlier is lost to a timer armed later.
/// </summary>
public sealed class ObservedTimeProvider() : FakeTimeProvider(DateTimeOffset.UtcNow)
{
    private readonly ConcurrentQueue<ArmedTimer> _armed = new();
    private int _live;

    /// <summary>Timers created on this clock and not disposed yet: a timer whose owner is gone shows here as a leak.</summary>
    public int LiveTimers => Volatile.Read(ref _live);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var armed = new ArmedTimer(dueTime);
        _armed.Enqueue(armed);
        Interlocked.Increment(ref _live);
        return new CountedTimer(base.CreateTimer(s => { armed.Fire(); callback(s); }, state, dueTime, period), () =>
        {
            armed.Dispose();
            Interlocked.Decrement(ref _live);
        });
    }

    private sealed class CountedTimer(ITimer inner, Action disposed) : ITimer
    {
        private int _disposed;
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(dueTime, period);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) disposed();
            inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>
    /// Waits (bounded, failing loudly) for a live timer armed with <paramref name="dueTime"/> that has not fired yet:
    /// one an earlier exchange armed and disposed unfired is not the one the test waits for.
    /// </summary>
    public ArmedTimer WaitForTimer(TimeSpan dueTime, string what) =>
        TestRig.WaitFor(() => _armed.FirstOrDefault(t => t.DueTime == dueTime && t.Fired == 0 && !t.Disposed), what);
}

/// <summary>A timer created on an <see cref="ObservedTimeProvider"/>: its due time and how often it fired.</summary>
public sealed class ArmedTimer(TimeSpan dueTime)
{
    private int _fired;
    private volatile bool _disposed;
    public TimeSpan DueTime { get; } = dueTime;
    public int Fired => Volatile.Read(ref _fired);
    public bool Disposed => _disposed;
    internal void Fire() => Interlocked.Increment(ref _fired);
    internal void Dispose() => _disposed = true;
}
