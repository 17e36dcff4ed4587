using XenDisplayWeb.Client.Models;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Host;
using XenDisplayWeb.Shared.Kbdif;
using XenDisplayWeb.Shared.Kbdif.Backend;

namespace XenDisplayWeb.Server.Views;

/// <summary>Every served connector's ring and event page and every vkbd device's shared page, for the rings page and API.</summary>
public static class RingViewBuilder
{
    public static RingsView All(SimulatedSystem? system) => new(Vdispl(system), Vkbd(system));

    public static IReadOnlyList<RingView> Vdispl(SimulatedSystem? system)
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

    public static IReadOnlyList<KbdRingView> Vkbd(SimulatedSystem? system) =>
        system is null ? [] : system.Kbd.Devices.Select(d => Vkbd(d.Status(), d.Mode)).ToList();

    private static KbdRingView Vkbd(KbdDeviceStatus s, KbdMode mode) =>
        new(s.FrontDomId, s.DevId, s.UniqueId, mode.Width, mode.Height, s.State, s.Misbehaving, s.PageGref, s.EventChannel,
            s.InCons, s.InProd, Kbdif.InRingLen, Fill(s.InProd, s.InCons), s.OutCons, s.OutProd, Kbdif.OutRingLen, Fill(s.OutProd, s.OutCons),
            Features(s.Features), s.Features.FeatureMultiTouch ? s.Features.MtNumContacts : 0, Requests(s),
            s.Backlog, s.Dropped, s.Coalesced, s.Refused, s.OutEvents, s.NextSeq, s.MovesNotTraced,
            s.Recent.Select(e => new KbdEventView(e.Seq, EventText.Operation(e.Event.Type), EventText.Describe(e.Event))).ToList());

    /// <summary>prod - cons as the ring counts it (free-running u32s): more than the ring's length only when a guest wrote a bad index.</summary>
    private static int Fill(uint prod, uint cons) => unchecked((int)(prod - cons));

    private static IReadOnlyList<string> Features(KbdOptions o) =>
    [
        .. Flag(o.FeatureAbsPointer, Kbdif.Field.FeatAbsPointer), .. Flag(o.FeatureMultiTouch, Kbdif.Field.FeatMtouch),
        .. Flag(o.FeatureRawPointer, Kbdif.Field.FeatRawPointer), .. Flag(o.FeatureDisableKeyboard, Kbdif.Field.FeatDsblKeybrd),
        .. Flag(o.FeatureDisablePointer, Kbdif.Field.FeatDsblPointer),
    ];

    /// <summary>The requests the backend honours (it reads them on connecting, each only where its feature is offered).</summary>
    private static IReadOnlyList<string> Requests(KbdDeviceStatus s) =>
    [
        .. Flag(s.RequestAbsPointer, Kbdif.Field.ReqAbsPointer), .. Flag(s.RequestRawPointer, Kbdif.Field.ReqRawPointer),
        .. Flag(s.RequestMultiTouch, Kbdif.Field.ReqMtouch),
    ];

    private static string[] Flag(bool on, string name) => on ? [name] : [];
}
