using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Shared.Diagnostics;
using XenDisplayWeb.Shared.Displif;

namespace XenDisplayWeb.Server.Events;

/// <summary>
/// Reads dbuf lifecycles off the trace: a DBUF_CREATE or DBUF_DESTROY request's cookie, kept by its ring
/// and id until its response; a successful response makes an event. Requests never answered are forgotten
/// once too many are pending.
/// </summary>
public sealed class BufferEventTracker
{
    public const int MaxPending = 4096;
    private readonly Dictionary<(int Dom, int Dev, int Conn, ushort Id), (string Op, ulong Cookie)> _pending = [];

    public int Pending => _pending.Count;

    /// <summary>The event <paramref name="entry"/> completes, if any.</summary>
    public BufferEvent? Observe(TraceEntry entry)
    {
        bool create = entry.Operation == "DBUF_CREATE", destroy = entry.Operation == "DBUF_DESTROY";
        if (!create && !destroy) return null;
        var key = (entry.DomId, entry.DevId, entry.Connector, entry.Id);
        if (entry.Kind == TraceKind.Request)
        {
            var packet = entry.Packet.Span;
            if (packet.Length < Displif.PacketSize) return null;
            if (_pending.Count >= MaxPending) _pending.Clear();
            ulong cookie = create ? DbufCreateRequest.Read(packet).DbufCookie : DbufDestroyRequest.Read(packet).DbufCookie;
            _pending[key] = (entry.Operation, cookie);
            return null;
        }
        if (entry.Kind != TraceKind.Response || !_pending.Remove(key, out var request) || request.Op != entry.Operation) return null;
        return entry.Status == 0 ? new BufferEvent(entry.DomId, create ? "created" : "destroyed", PacketDecoder.Hex(request.Cookie)) : null;
    }
}
