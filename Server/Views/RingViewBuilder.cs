using XenDisplayWeb.Client.Models;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Host;

namespace XenDisplayWeb.Server.Views;

/// <summary>Every served connector's ring and event page, for the rings page and API.</summary>
public static class RingViewBuilder
{
    public static IReadOnlyList<RingView> All(SimulatedSystem? system)
    {
        if (system is null) return [];
        var list = new List<RingView>();
        foreach (var device in system.Backend.Devices)
        {
            // A device's connectors come from what its guest wrote: look each up, never assume the indices unique.
            var connectors = device.Connectors;
            foreach (var r in device.Rings)
            {
                bool any = r.RequestsHandled > 0;
                list.Add(new RingView(device.FrontDomId, r.Index, connectors.FirstOrDefault(c => c.Index == r.Index)?.UniqueId ?? "",
                    r.ReqRingRef, r.ReqPort, r.EvtRingRef, r.EvtPort,
                    r.ReqProd, r.RspProd, r.ReqEvent, r.RspEvent, r.ReqCons, r.RspProdPvt,
                    r.InProd, r.InCons, r.EventsDropped, r.RequestsHandled, r.FlipEventsSent,
                    any ? PacketDecoder.DescribeRequest(r.LastRequest) : "", any ? Convert.ToHexStringLower(r.LastRequest) : "",
                    any ? PacketDecoder.DescribeResponse(r.LastResponse) : "", any ? Convert.ToHexStringLower(r.LastResponse) : "",
                    r.Ctb is { } c ? new CtbView(c.CtbRef, c.Descriptor.Addr, c.Descriptor.Size, c.Descriptor.Head, c.Descriptor.Tail, c.Descriptor.Fence,
                        c.Descriptor.Status, c.Consumed, c.Recent.Select(m => new CtbMessageView($"0x{m.Header:x8}", m.Fence,
                            m.Action <= byte.MaxValue ? XenDisplayWeb.Shared.Displif.Displif.OpName((byte)m.Action) : $"0x{m.Action:x4}", m.Len, m.Status)).ToList()) : null));
            }
        }
        return list;
    }
}
