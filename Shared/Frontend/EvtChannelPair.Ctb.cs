using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Transports.Ctb;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.Frontend;

/// <summary>The connector's requests over a CTB page (see <see cref="CtbDisplif"/>) instead of the request ring.</summary>
internal sealed partial class EvtChannelPair
{
    private const int CtbPage = 1; // on the request channel, after the ring
    private CtbSender? _ctb;

    public bool UsesCtb => _ctb is not null;
    public uint CtbRef => UsesCtb ? _req.Page(CtbPage).Gref : 0;

    private void InitCtb()
    {
        var page = _req.Page(CtbPage);
        Ctb.Init(page.Array, page.Offset);
        _ctb = new CtbSender(page.Array, page.Offset, _req.Evtchn.Notify);
    }

    /// <summary>
    /// One request as a CTB message, waited for by spinning then polling the fence (the guest's CPU, no
    /// interrupt). The poll lasts up to the request timeout, not GVT-g's 10 ms: displif requests such as
    /// DBUF_DESTROY may wait for a release.
    /// </summary>
    private RawExchange SendOverCtb(Action<Span<byte>, ushort> write, byte op, ushort? ownId, byte[]? raw, TimeSpan timeout)
    {
        Span<byte> packet = stackalloc byte[Displif.Displif.PacketSize];
        packet.Clear();
        write(packet, ownId ?? 0);
        Span<uint> body = stackalloc uint[CtbDisplif.BodyDwords];
        CtbDisplif.BodyOf(packet, body);
        _ctb!.PollTimeout = timeout;
        int err = _ctb.Send(op, body, out uint status);
        int displifStatus = err switch
        {
            0 => 0,
            -XenErrno.EIO => CtbDisplif.ToDisplifStatus(status),
            _ => err,
        };
        var response = new DisplifResponse(ownId ?? (ushort)_ctb.LastFence, op, displifStatus);
        if (raw is not null) response.WriteTo(raw);
        return new RawExchange(response, raw ?? [], TimedOut: err == -XenErrno.ETIMEDOUT, NotConnected: false);
    }

    /// <summary>The guest's view of its CTB: the descriptor and its counters.</summary>
    public (CtbDescriptor Descriptor, long Sent, long TimedOut)? CtbInfo =>
        _ctb is null ? null : (CtbDescriptor.Read(_req.Page(CtbPage).Array, _req.Page(CtbPage).Offset), _ctb.Sent, _ctb.TimedOut);
}
