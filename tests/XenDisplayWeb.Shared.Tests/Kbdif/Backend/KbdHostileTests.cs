using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Kbdif;
using XenDisplayWeb.Shared.Rings;
using XenDisplayWeb.Shared.Tests.Host;
using XenDisplayWeb.Shared.Xen;
using XenDisplayWeb.Shared.XenBus;

namespace XenDisplayWeb.Shared.Tests.Kbdif.Backend;

/// <summary>A guest that does the kbdif handshake by hand and then writes whatever it likes into its page.</summary>
public class KbdHostileTests
{
    private sealed class RawGuest
    {
        public required SimDomain Dom { get; init; }
        public required SharedPage Page { get; init; }
        public required EventChannel Evtchn { get; init; }
    }

    private static RawGuest Handshake(KbdRig rig, int domId, bool revokeFirst = false)
    {
        rig.Modes.Modes[(domId, 0)] = new(640, 480, "raw");
        var dom = rig.Host.CreateDomain(domId, "raw");
        rig.Toolstack.AddVkbd(domId, 0);
        TestRig.WaitUntil(() => rig.Backend.Device(domId)?.State == XenbusState.InitWait, "backend InitWait");
        var page = dom.Gntshr.Share(0, 1, readOnly: false)[0];
        var ch = dom.Evtchn.AllocUnbound(0);
        if (revokeFirst) dom.Gntshr.Unshare(page);
        string fe = XenBusPaths.FrontendPath("vkbd", domId, 0);
        dom.Store.Write($"{fe}/page-gref", page.Gref.ToString());
        dom.Store.WriteInt($"{fe}/event-channel", ch.Port);
        dom.Store.WriteInt($"{fe}/state", (int)XenbusState.Initialised);
        return new RawGuest { Dom = dom, Page = page, Evtchn = ch };
    }

    private static void AssertOtherGuestStillServed(KbdRig rig, List<(long Seq, IXenkbdInEvent Event)> got)
    {
        var r = rig.Device(1).Accept([new XenkbdKey(true, LinuxInput.KEY_A), new XenkbdKey(false, LinuxInput.KEY_A)]);
        Assert.Equal(2, r.Accepted);
        lock (got) Assert.Equal(2, got.Count);
        Assert.Equal(XenbusState.Connected, rig.Device(1).State);
    }

    [Fact]
    public void An_in_cons_out_of_range_marks_the_device_misbehaving_and_another_guest_keeps_its_input()
    {
        using var rig = new KbdRig();
        var (_, got) = rig.AddGuest(1);
        var raw = Handshake(rig, 2);
        TestRig.WaitUntil(() => rig.Device(2).State == XenbusState.Connected, "raw guest connected");
        rig.Device(2).Accept([new XenkbdMotion(1, 1, 0)]);

        XenkbdPage.InRing.SetCons(raw.Page.Array, 1000, raw.Page.Offset); // ahead of in_prod 1
        var r = rig.Device(2).Accept([new XenkbdMotion(1, 1, 0)]);

        Assert.Equal(0, r.Accepted);
        Assert.Contains("in_cons 1000", rig.Device(2).MisbehavingReason);
        Assert.Equal(XenbusState.Closed, rig.Device(2).State);
        Assert.Equal(0, rig.Host.Dom0.MappingsOf(2)); // the page is let go
        AssertOtherGuestStillServed(rig, got);
    }

    [Fact]
    public void A_bogus_out_prod_marks_the_device_misbehaving_on_the_guests_kick()
    {
        using var rig = new KbdRig();
        var (_, got) = rig.AddGuest(1);
        var raw = Handshake(rig, 2);
        TestRig.WaitUntil(() => rig.Device(2).State == XenbusState.Connected, "raw guest connected");

        XenkbdPage.OutRing.SetProd(raw.Page.Array, 26, raw.Page.Offset); // 26 events in a ring of 25
        raw.Evtchn.Notify();

        Assert.Contains("out_prod 26", rig.Device(2).MisbehavingReason);
        Assert.Equal(XenbusState.Closed, rig.Device(2).State);
        AssertOtherGuestStillServed(rig, got);
    }

    [Fact]
    public void Out_events_in_range_are_consumed_counted_and_do_no_harm()
    {
        using var rig = new KbdRig();
        var raw = Handshake(rig, 2);
        TestRig.WaitUntil(() => rig.Device(2).State == XenbusState.Connected, "raw guest connected");

        XenkbdPage.OutRing.SetProd(raw.Page.Array, 3, raw.Page.Offset);
        raw.Evtchn.Notify();

        var status = rig.Device(2).Status();
        Assert.Equal((3L, 3u, (string?)null), (status.OutEvents, status.OutCons, status.Misbehaving));
    }

    [Fact]
    public void A_revoked_page_gref_marks_the_device_misbehaving_and_maps_nothing()
    {
        using var rig = new KbdRig();
        var (_, got) = rig.AddGuest(1);
        Handshake(rig, 2, revokeFirst: true);

        TestRig.WaitUntil(() => rig.Backend.Device(2)?.State == XenbusState.Closed, "the backend to close the device");

        Assert.Contains("cannot be used", rig.Device(2).MisbehavingReason);
        Assert.Equal(0, rig.Host.Dom0.MappingsOf(2));
        Assert.Equal(0, rig.Device(2).Accept([new XenkbdMotion(1, 0, 0)]).Accepted);
        AssertOtherGuestStillServed(rig, got);
    }
}
