using XenDisplayWeb.Shared.Kbdif;

namespace XenDisplayWeb.Shared.Workloads.Input;

/// <summary>
/// A bounded, thread-safe FIFO of input events between a producer (a kbdfront, a test) and the compositor that
/// drains it. A full queue refuses events and counts them; it never blocks the producer.
/// </summary>
public sealed class GuestInputQueue : IGuestInput
{
    /// <summary>Room for a 1000-event burst with margin.</summary>
    public const int DefaultCapacity = 4096;

    private readonly object _lock = new();
    private readonly GuestInputEvent[] _slots;
    private int _head, _count;
    private long _dropped;

    public GuestInputQueue(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _slots = new GuestInputEvent[capacity];
    }

    public int Capacity => _slots.Length;

    public int Count { get { lock (_lock) return _count; } }

    /// <summary>Events refused because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queues <paramref name="e"/> with its ring seq; false (and counted) if the queue is full.</summary>
    public bool TryEnqueue(long seq, IXenkbdInEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        lock (_lock)
        {
            if (_count == _slots.Length)
            {
                Interlocked.Increment(ref _dropped);
                return false;
            }
            _slots[(_head + _count) % _slots.Length] = new GuestInputEvent(seq, e);
            _count++;
            return true;
        }
    }

    public int Drain(Span<GuestInputEvent> into)
    {
        lock (_lock)
        {
            int n = Math.Min(into.Length, _count);
            for (int i = 0; i < n; i++)
            {
                into[i] = _slots[_head];
                _slots[_head] = default; // let the event go
                _head = (_head + 1) % _slots.Length;
            }
            _count -= n;
            return n;
        }
    }
}
