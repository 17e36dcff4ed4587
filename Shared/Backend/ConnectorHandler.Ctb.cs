using System.Globalization;
using XenDisplayWeb.Shared.Diagnostics;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Transports.Ctb;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.Backend;

/// <summary>A CTB message the backend took, and the status it wrote back.</summary>
public sealed record CtbMessageInfo(uint Header, uint Fence, ushort Action, int Len, uint Status);

/// <summary>A connector's CTB as the backend sees it: the descriptor now, counters, the last messages (newest last).</summary>
public sealed record CtbStatus(uint CtbRef, CtbDescriptor Descriptor, long Consumed, IReadOnlyList<CtbMessageInfo> Recent);

/// <summary>Serving a connector whose guest carries requests over a CTB page (<see cref="CtbDisplif"/>) instead of the ring.</summary>
internal sealed partial class ConnectorHandler
{
    private const int RecentCtbMessages = 8;
    private const int CtbPage = 1; // on the request channel, after the ring
    private uint _ctbRef;
    private CtbReceiver? _ctb;
    private CtbMessage _ctbMessage;
    private readonly Queue<CtbMessageInfo> _ctbRecent = new();

    /// <summary>The CTB page's gref when the frontend advertised one beside its ring refs.</summary>
    private static uint? ReadCtbRef(IXenPlatform xen, FrontendHandler device, ConnectorConfig cfg)
    {
        string? node = xen.Store.Read($"{device.FrontendPath}/{cfg.Index}/{CtbDisplif.CtbRefField}");
        if (node is null) return null;
        if (!uint.TryParse(node, NumberStyles.None, CultureInfo.InvariantCulture, out uint gref) || gref == 0)
            throw new FormatException($"connector {cfg.Index}: bad {CtbDisplif.CtbRefField} '{node}'");
        return gref;
    }

    /// <summary>Serves requests from the mapped CTB page instead of the ring.</summary>
    private void AttachCtb(byte[] page, int offset)
    {
        _ctbRef = _req.Grefs[CtbPage];
        _ctb = new CtbReceiver(page, offset);
    }

    private CtbStatus? CtbStatus()
    {
        if (_ctb is null) return null;
        lock (_ctbRecent) return new CtbStatus(_ctbRef, _ctb.Descriptor, _ctb.Consumed, [.. _ctbRecent]);
    }

    /// <summary>Takes messages from head to tail as they come; each is a displif request served as on the ring.</summary>
    private void RunCtb(CancellationToken stop)
    {
        Span<uint> data = stackalloc uint[Ctb.MaxLen];
        Span<byte> req = stackalloc byte[Displif.Displif.PacketSize];
        Span<byte> rsp = stackalloc byte[Displif.Displif.PacketSize];
        uint seen = _req.Signal.Sequence;
        while (!stop.IsCancellationRequested)
        {
            if (_faults.Paused) { _faults.WaitWhilePaused(stop); continue; }
            switch (_ctb!.TryRead(data, out var msg, out string? problem))
            {
                case CtbReadResult.Empty:
                    _req.Signal.Wait(ref seen, _spin, 250);
                    continue;
                case CtbReadResult.Malformed:
                    _device.ConnectorMisbehaves($"connector {State.Index}: CTB {problem}");
                    return;
            }
            _ctbMessage = msg;
            CtbDisplif.ToPacket(msg, data, req);
            if (msg.Action == (ushort)XendisplOp.GetEdid)
            {
                // No room for edid_sz in a CTB answer: the frontend falls back to the XenStore resolution.
                lock (_lastRequest) req.CopyTo(_lastRequest);
                _trace.AppendPacket(State.Device.FrontDomId, State.Device.DevId, State.Index, TraceKind.Request, req);
                new DisplifResponse((ushort)msg.Fence, (byte)msg.Action, -XenErrno.EOPNOTSUPP).WriteTo(rsp);
                CompleteCtb(rsp, CommandResult.Fail(XenErrno.EOPNOTSUPP, "GET_EDID needs a reply payload a CTB cannot carry"), 0);
                continue;
            }
            if (!Serve(req)) return;
        }
    }

    private void CompleteCtb(ReadOnlySpan<byte> rsp, in CommandResult result, double us)
    {
        uint status = CtbDisplif.ToCtbStatus(result.Status);
        _ctb!.Complete(_ctbMessage, status);
        lock (_ctbRecent)
        {
            _ctbRecent.Enqueue(new CtbMessageInfo(_ctbMessage.Header, _ctbMessage.Fence, _ctbMessage.Action, _ctbMessage.Len, status));
            while (_ctbRecent.Count > RecentCtbMessages) _ctbRecent.Dequeue();
        }
        _trace.AppendPacket(State.Device.FrontDomId, State.Device.DevId, State.Index, TraceKind.Response, rsp, result.Reason, us);
    }
}
