namespace XenDisplayWeb.Shared.Diagnostics;

public enum TraceKind { Request, Response, Event, Note }

/// <summary>One line of the protocol trace: what crossed a ring or event page, when, and how long it took.</summary>
public sealed record TraceEntry(
    long Sequence,
    DateTimeOffset Time,
    int DomId,
    int DevId,
    int Connector,
    TraceKind Kind,
    ushort Id,
    string Operation,
    int Status,
    string Text,
    double? ElapsedUs);

/// <summary>
/// A bounded trace of every request, response and event: the newest entries are kept, older ones
/// drop off (and are counted). Thread-safe; observers get each entry as it is appended.
/// </summary>
public sealed class DisplifTrace(TimeProvider time, int capacity = 8192)
{
    private readonly object _lock = new();
    private readonly TraceEntry?[] _ring = new TraceEntry?[capacity];
    private long _next;

    public int Capacity { get; } = capacity;
    public long Appended { get { lock (_lock) return _next; } }
    public long Overwritten { get { lock (_lock) return Math.Max(0, _next - Capacity); } }

    /// <summary>Called after each entry is appended, on the appender's thread: keep it short.</summary>
    public event Action<TraceEntry>? EntryAppended;

    public TraceEntry Append(int domId, int devId, int connector, TraceKind kind, ushort id, string operation, int status, string text, double? elapsedUs = null)
    {
        TraceEntry entry;
        lock (_lock)
        {
            entry = new TraceEntry(_next, time.GetUtcNow(), domId, devId, connector, kind, id, operation, status, text, elapsedUs);
            _ring[_next % Capacity] = entry;
            _next++;
        }
        EntryAppended?.Invoke(entry);
        return entry;
    }

    /// <summary>The entries still held, oldest first, optionally only those after <paramref name="afterSequence"/>.</summary>
    public IReadOnlyList<TraceEntry> Snapshot(long afterSequence = -1)
    {
        lock (_lock)
        {
            long first = Math.Max(Math.Max(0, _next - Capacity), afterSequence + 1);
            var list = new List<TraceEntry>((int)Math.Max(0, _next - first));
            for (long s = first; s < _next; s++) list.Add(_ring[s % Capacity]!);
            return list;
        }
    }
}
