using XenDisplayWeb.Shared.Displif;

namespace XenDisplayWeb.Shared.Diagnostics;

/// <summary>What an entry is: a displif request, response or event, a note, or an input event sent to a guest (kbdif).</summary>
public enum TraceKind { Request, Response, Event, Note, Input }

/// <summary>
/// One line of the protocol trace: what crossed a ring or event page, when, and how long it took.
/// A packet is kept as its 64 bytes and decoded only when someone reads <see cref="Text"/>, so
/// tracing costs the frame path a copy, not a format.
/// </summary>
public sealed class TraceEntry(long sequence, DateTimeOffset time, int domId, int devId, int connector, TraceKind kind,
    ushort id, string operation, int status, string? note, byte[]? packet, double? elapsedUs)
{
    private string? _text;

    public long Sequence { get; } = sequence;
    public DateTimeOffset Time { get; } = time;
    public int DomId { get; } = domId;
    public int DevId { get; } = devId;
    public int Connector { get; } = connector;
    public TraceKind Kind { get; } = kind;
    public ushort Id { get; } = id;
    public string Operation { get; } = operation;
    public int Status { get; } = status;
    public double? ElapsedUs { get; } = elapsedUs;

    /// <summary>The packet as it crossed, when the entry is one.</summary>
    public ReadOnlyMemory<byte> Packet => packet;

    public string Text => _text ??= Describe();

    private string Describe()
    {
        if (packet is null) return note ?? "";
        string text = Kind switch
        {
            TraceKind.Request => PacketDecoder.DescribeRequest(packet),
            TraceKind.Response => PacketDecoder.DescribeResponse(packet),
            _ => PacketDecoder.DescribeEvent(packet),
        };
        return note is null ? text : $"{text} ({note})";
    }
}

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

    /// <summary>A note (state change, fault, drop) that is not a packet.</summary>
    public TraceEntry Append(int domId, int devId, int connector, TraceKind kind, ushort id, string operation, int status, string text, double? elapsedUs = null) =>
        Add(domId, devId, connector, kind, id, operation, status, text, null, elapsedUs);

    /// <summary>A request, response or event as it crossed; id, operation and status are read from it.</summary>
    public TraceEntry AppendPacket(int domId, int devId, int connector, TraceKind kind, ReadOnlySpan<byte> packet, string? note = null, double? elapsedUs = null)
    {
        byte op = PacketHeader.Operation(packet);
        (string operation, int status) = kind switch
        {
            TraceKind.Request => (Displif.Displif.OpName(op), 0),
            TraceKind.Response => (Displif.Displif.OpName(op), DisplifResponse.Read(packet).Status),
            _ => (op == (byte)XendisplEvent.PgFlip ? "EVT_PG_FLIP" : $"EVT_0x{op:x2}", 0),
        };
        return Add(domId, devId, connector, kind, PacketHeader.Id(packet), operation, status, note, packet[..Displif.Displif.PacketSize].ToArray(), elapsedUs);
    }

    private TraceEntry Add(int domId, int devId, int connector, TraceKind kind, ushort id, string operation, int status, string? note, byte[]? packet, double? elapsedUs)
    {
        TraceEntry entry;
        lock (_lock)
        {
            entry = new TraceEntry(_next, time.GetUtcNow(), domId, devId, connector, kind, id, operation, status, note, packet, elapsedUs);
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
