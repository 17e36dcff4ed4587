using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Kbdif;
using XenDisplayWeb.Shared.Tests.Host;
using XenDisplayWeb.Shared.Tests.Kbdif.Backend;
using XenDisplayWeb.Shared.Xen;
using XenDisplayWeb.Shared.XenBus;
using KbdifConst = XenDisplayWeb.Shared.Kbdif.Kbdif;

namespace XenDisplayWeb.Shared.Tests.XenBus;

public class XenBusLayerTests
{
    [Fact]
    public void A_page_channel_whose_port_cannot_be_bound_leaves_no_mapping()
    {
        using var host = new SimXenHost();
        var guest = host.CreateDomain(1, "g");
        var page = guest.Gntshr.Share(0, 1, readOnly: false)[0];

        Assert.Throws<XenException>(() => SharedPageChannel.Open(host.Dom0, 1, page.Gref, remotePort: 99));

        Assert.Equal(0, host.Dom0.Gnttab.ActiveMappings);
    }

    [Fact]
    public void A_disposed_page_channel_unmaps_unbinds_and_refuses_to_touch_the_page()
    {
        using var host = new SimXenHost();
        var guest = host.CreateDomain(1, "g");
        var gpc = GrantedPageChannel.Create(guest, 0);
        var ch = SharedPageChannel.Open(host.Dom0, 1, gpc.Gref, gpc.Port);
        Assert.True(ch.TryUse((_, _) => { }));

        ch.Dispose();

        Assert.False(ch.TryUse((_, _) => throw new InvalidOperationException("touched an unmapped page")));
        Assert.Equal(0, host.Dom0.Gnttab.ActiveMappings);
        Assert.Equal(EventChannelState.Unbound, gpc.Evtchn.State);
        Assert.True(gpc.Free());
        Assert.Equal(0, guest.Grants.ActiveGrants);
    }

    [Fact]
    public void A_channel_of_two_pages_maps_both_serves_each_and_lets_go_of_both()
    {
        using var host = new SimXenHost();
        var guest = host.CreateDomain(1, "g");
        var ring = GrantedPageChannel.Create(guest, 0);
        var second = guest.Gntshr.Share(0, 1, readOnly: false)[0];
        second.Span[0] = 0x5a;

        var ch = SharedPageChannel.Open(host.Dom0, 1, [ring.Gref, second.Gref], ring.Port);

        Assert.Equal([ring.Gref, second.Gref], ch.Grefs);
        Assert.Equal(2, host.Dom0.MappingsOf(1));
        Assert.Equal(0x5a, ch.Use(1, (page, ofs) => page[ofs], (byte)0));
        Assert.True(ch.TryUse(1, (page, ofs) => page[ofs + 1] = 0xa5));
        Assert.Equal(0xa5, second.Span[1]);

        ch.Dispose();

        Assert.False(ch.TryUse(1, (_, _) => throw new InvalidOperationException("touched an unmapped page")));
        Assert.Equal(0, host.Dom0.Gnttab.ActiveMappings);
        guest.Gntshr.Unshare(second);
        Assert.True(ring.Free());
        Assert.Equal(0, guest.Grants.ActiveGrants);
    }

    [Fact]
    public void A_channel_whose_second_page_is_not_granted_leaves_the_first_unmapped()
    {
        using var host = new SimXenHost();
        var guest = host.CreateDomain(1, "g");
        var ring = GrantedPageChannel.Create(guest, 0);

        Assert.Throws<XenException>(() => SharedPageChannel.Open(host.Dom0, 1, [ring.Gref, ring.Gref + 100], ring.Port));

        Assert.Equal(0, host.Dom0.Gnttab.ActiveMappings);
        Assert.Equal(EventChannelState.Unbound, ring.Evtchn.State);
    }

    [Fact]
    public void A_granted_channel_of_two_pages_ends_each_page_as_the_backend_lets_go_of_it()
    {
        using var host = new SimXenHost();
        var guest = host.CreateDomain(1, "g");
        var gpc = GrantedPageChannel.Create(guest, 0, pages: 2);
        Assert.Equal(2, gpc.Grefs.Count);
        Assert.Equal(gpc.Gref, gpc.Grefs[0]);
        var ch = SharedPageChannel.Open(host.Dom0, 1, [gpc.Grefs[1]], gpc.Port);
        ch.Dispose();
        var stillMapped = host.Dom0.Gnttab.Map(1, gpc.Grefs[1], readOnly: false);

        Assert.False(gpc.Free());

        Assert.Equal(1, gpc.PagesLeft);
        Assert.Equal(1, guest.Grants.ActiveGrants); // the first page's grant ended at once
        host.Dom0.Gnttab.Unmap(stillMapped);
        Assert.True(gpc.TryEnd());
        Assert.Equal((0, 0), (gpc.PagesLeft, guest.Grants.ActiveGrants));
    }

    [Fact]
    public void A_granted_page_whose_grant_went_with_the_grant_table_is_freed_all_the_same()
    {
        using var host = new SimXenHost();
        var guest = host.CreateDomain(1, "g");
        int pages = guest.Memory.PageCount;
        var gpc = GrantedPageChannel.Create(guest, 0);
        guest.Grants.Revoke();

        Assert.True(gpc.Free());

        Assert.Equal(pages, guest.Memory.PageCount);
    }

    [Fact]
    public void A_frontend_still_Connected_to_a_killed_backend_is_not_served_on_its_old_pages_until_it_sets_up_again()
    {
        using var rig = new KbdRig();
        var guest = rig.Host.CreateDomain(1, "g");
        var gpc = GrantedPageChannel.Create(guest, 0);
        string fe = XenBusPaths.FrontendPath(KbdifConst.DriverName, 1, 0);
        rig.Toolstack.AddVkbd(1, 0);
        var device = TestRig.WaitFor(() => rig.Backend.Device(1) is { State: XenbusState.InitWait } d ? d : null, "the device InitWait");

        // What a frontend connected to the backend before this one left behind: its nodes, and Connected.
        guest.Store.Write($"{fe}/{KbdifConst.Field.RingGref}", gpc.Gref.ToString(System.Globalization.CultureInfo.InvariantCulture));
        guest.Store.WriteInt($"{fe}/{KbdifConst.Field.EvtChannel}", gpc.Port);
        guest.Store.WriteInt($"{fe}/{XenBusPaths.Field.State}", (int)XenbusState.Connected);
        TestRig.WaitUntil(() => device.FrontendState == XenbusState.Connected, "the backend to hear the frontend");

        Assert.Equal(XenbusState.InitWait, device.State);
        Assert.Equal(0, rig.Host.Dom0.MappingsOf(1));

        guest.Store.WriteInt($"{fe}/{XenBusPaths.Field.State}", (int)XenbusState.Initialised); // it saw us InitWait and set up again
        TestRig.WaitUntil(() => device.State == XenbusState.Connected && rig.Host.Dom0.MappingsOf(1) == 1, "the device connected");
    }

    [Fact]
    public void A_kick_during_the_handler_runs_it_again_after_instead_of_inside_it()
    {
        int depth = 0, maxDepth = 0, runs = 0;
        KickLoop? loop = null;
        loop = new KickLoop(() =>
        {
            depth++;
            maxDepth = Math.Max(maxDepth, depth);
            if (++runs < 3) loop!.Kick();
            depth--;
        });

        loop.Kick();

        Assert.Equal((3, 1), (runs, maxDepth));
    }

    [Fact]
    public void A_removed_device_lets_go_of_its_page_and_the_guest_can_end_its_grant()
    {
        using var rig = new KbdRig();
        var (front, _) = rig.AddGuest(1);
        Assert.Equal(1, rig.Host.Dom0.MappingsOf(1));

        rig.Toolstack.RemoveVkbd(1, 0);

        TestRig.WaitUntil(() => rig.Backend.Device(1) is null && rig.Host.Dom0.MappingsOf(1) == 0, "the device to go");
        Assert.DoesNotContain(rig.Host.Evtchn.Snapshot(), c => c.DomId == 0 && c.RemoteDomId == 1);
    }

    [Fact]
    public void A_restarted_backend_is_reconnected_and_seqs_are_the_ring_index_it_resumes_at()
    {
        using var rig = new KbdRig();
        var (front, got) = rig.AddGuest(1);
        rig.Device(1).Accept([new XenkbdMotion(1, 0, 0), new XenkbdMotion(2, 0, 0)]);

        rig.Backend.Stop(crash: true);
        rig.Backend.Start();

        try { TestRig.WaitUntil(() => front.State == XenbusState.Connected && rig.Backend.Device(1)?.State == XenbusState.Connected && front.DeferredPages == 0 && rig.Backend.Device(1)!.IsConnected && rig.Backend.Device(1)!.Status().PageGref == front.PageGref, "reconnected"); }
        catch (TimeoutException) { throw new Exception($"{front.State} {front.BackendState} {front.DeferredPages} {rig.Backend.Device(1)?.State} {rig.Backend.Device(1)?.FrontendState} {rig.Backend.Device(1)?.IsConnected} {rig.Backend.Device(1)?.MisbehavingReason}"); }
        // Either the frontend set up a fresh page (index 0) or the backend came back on the page it had (index 2).
        uint consBefore = front.InCons;
        var r = rig.Device(1).Accept([new XenkbdMotion(3, 0, 0)]);
        Assert.Equal((long)consBefore, r.FirstSeq);
        lock (got) Assert.Equal((r.FirstSeq, (IXenkbdInEvent)new XenkbdMotion(3, 0, 0)), got[^1]);
        Assert.Equal(1, rig.Host.Dom0.MappingsOf(1)); // the old page was let go, the new one mapped
    }

    [Fact]
    public void The_frontend_publishes_page_gref_page_ref_and_event_channel_and_closes_when_the_backend_closes()
    {
        using var rig = new KbdRig();
        var (front, _) = rig.AddGuest(1);
        var xs = rig.Host.Store.Connect(0);
        string fe = "/local/domain/1/device/vkbd/0";
        Assert.Equal(front.PageGref.ToString(), xs.Read($"{fe}/page-gref"));
        Assert.NotNull(xs.Read($"{fe}/page-ref"));
        Assert.Equal(front.Port, xs.ReadInt($"{fe}/event-channel"));
        Assert.Equal("1", xs.Read($"{fe}/request-abs-pointer"));
        xs.Dispose();

        rig.Backend.Stop();

        TestRig.WaitUntil(() => front.BackendState == XenbusState.Closed && front.PageGref is null, "the frontend to let go");
        Assert.Equal(0, rig.Host.GetDomain(1)!.Grants.ActiveGrants);
    }
}
