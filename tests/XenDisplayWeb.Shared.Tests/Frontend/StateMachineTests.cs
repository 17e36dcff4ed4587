using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Pixels;
using XenDisplayWeb.Shared.Tests.Host;
using XenDisplayWeb.Shared.Backend;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.Tests.Frontend;

public class StateMachineTests
{
    [Fact]
    public void Both_sides_connect_and_the_backend_publishes_versions_and_maps_the_rings()
    {
        using var rig = new TestRig(connectors: 2, width: 640, height: 480);
        rig.WaitConnected();
        var xs = rig.Host.Store.Connect(0);
        Assert.Equal("1,2", xs.Read("/local/domain/0/backend/vdispl/1/0/versions"));
        Assert.Equal("4", xs.Read("/local/domain/0/backend/vdispl/1/0/state"));
        Assert.Equal("4", xs.Read("/local/domain/1/device/vdispl/0/state"));
        Assert.Equal("2", xs.Read("/local/domain/1/device/vdispl/0/version"));
        foreach (var i in new[] { 0, 1 })
        {
            Assert.NotNull(xs.ReadInt($"/local/domain/1/device/vdispl/0/{i}/req-ring-ref"));
            Assert.NotNull(xs.ReadInt($"/local/domain/1/device/vdispl/0/{i}/evt-event-channel"));
        }
        Assert.Equal(4, rig.Host.Dom0.Gnttab.ActiveMappings); // two rings and two event pages
        Assert.Equal(2, rig.Device.Connectors.Count);
        Assert.All(rig.Device.Connectors, c => Assert.True(c.LinkConnected));
        xs.Dispose();
    }

    [Fact]
    public void The_mode_comes_from_GET_EDID_on_version_2_and_from_XenStore_without_it()
    {
        using (var rig = new TestRig(width: 1280, height: 720))
        {
            rig.WaitConnected();
            var c = rig.Device.Connectors[0];
            Assert.True(c.ModeFromEdid);
            Assert.Equal((1280, 720), (c.Width, c.Height));
        }
        using (var rig = new TestRig(width: 1280, height: 720, useEdid: false))
        {
            rig.WaitConnected();
            Assert.False(rig.Device.Connectors[0].ModeFromEdid);
            Assert.Equal(1280, rig.Device.Connectors[0].Width);
        }
    }

    [Fact]
    public async Task A_restarted_backend_is_reconnected_and_request_ids_start_again_at_0()
    {
        using var rig = new TestRig(width: 64, height: 64, useEdid: false);
        rig.WaitConnected();
        var first = rig.Device;
        for (int i = 0; i < 3; i++) await first.DisableAsync(first.Connectors[0]);
        Assert.Equal(3u, rig.Front.Channels[0].ReqProdPvt);

        rig.Backend.Stop(crash: true);
        TestRig.WaitUntil(() => first.IsUnplugged, "the device to be unplugged");
        TestRig.WaitUntil(() => rig.Front.State == XenbusState.Initialising, "the frontend to start over");
        Assert.Equal(0, rig.Host.Dom0.Gnttab.ActiveMappings);
        Assert.Equal(-XenErrno.EIO, (await first.SendAsync(0, new PgFlipRequest(1))).Status);

        rig.Backend = new DisplayBackend(rig.Host.Dom0, rig.Sink);
        rig.Backend.Start();
        rig.WaitConnected();
        var second = rig.Device;
        Assert.NotSame(first, second);
        Assert.Equal(0u, rig.Front.Channels[0].ReqProdPvt);
        await second.DisableAsync(second.Connectors[0]);
        var last = rig.Backend.Trace.Snapshot().Last(e => e.Kind == XenDisplayWeb.Shared.Diagnostics.TraceKind.Request);
        Assert.Equal(0, last.Id);
    }

    [Fact]
    public void A_frontend_that_closes_takes_the_backend_to_Closed_and_unmaps_everything()
    {
        var rig = new TestRig(width: 64, height: 64);
        try { rig.WaitConnected(); }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"front {rig.Front.State} back {rig.Backend.Device(1)?.State} {rig.Backend.Device(1)?.MisbehavingReason}: " +
                string.Join(" | ", rig.Backend.Trace.Snapshot().Select(t => t.Text)), e);
        }
        var backendDevice = rig.BackendDevice;
        rig.Front.Dispose();
        TestRig.WaitUntil(() => backendDevice.State == XenbusState.Closed, "the backend to close");
        Assert.Equal(0, rig.Host.Dom0.Gnttab.ActiveMappings);
        // The ring pages the backend still mapped while we closed are freed once it let go (Linux defers them too).
        rig.Front.ReclaimDeferred();
        Assert.Equal(0, rig.Front.DeferredPages);
        Assert.Equal(0, rig.Guest.Grants.ActiveGrants);
        rig.Backend.Stop();
        rig.Host.Dispose();
    }

    [Fact]
    public async Task With_be_alloc_the_frontend_reconnects_only_after_its_last_client_closed()
    {
        using var rig = new TestRig(beAlloc: true, width: 64, height: 64, useEdid: false);
        rig.WaitConnected();
        var dev = rig.Device;
        dev.Open();
        var dumb = await dev.CreateDumbAsync(64, 64, 32);
        Assert.True(dumb.BackendAllocated);

        var old = rig.Backend;
        old.Stop(crash: true);
        TestRig.WaitUntil(() => rig.Front.State == XenbusState.Reconfiguring, "Reconfiguring");
        rig.Backend = new DisplayBackend(rig.Host.Dom0, rig.Sink);
        rig.Backend.Start();
        TestRig.WaitUntil(() => rig.BackendDevice.State == XenbusState.InitWait, "the new backend to wait");
        Assert.Equal(XenbusState.Reconfiguring, rig.Front.State); // a client still holds the device

        dev.Close();
        rig.WaitConnected();
        // The old backend freed its pages once the guest let go of them.
        TestRig.WaitUntil(() => { old.ReclaimShared(); return rig.Host.Dom0.Gntshr.ActiveShares == 0; }, "the be-alloc pages to be freed");
        Assert.Equal(0, old.GrantPool.InUse); // and gave their grants back to its pool
    }

    [Fact]
    public async Task Link_status_goes_down_when_a_flip_or_mode_set_fails()
    {
        using var rig = new TestRig(width: 64, height: 64, useEdid: false);
        rig.WaitConnected();
        var dev = rig.Device;
        var conn = dev.Connectors[0];
        var dumb = await dev.CreateDumbAsync(64, 64, 32);
        var fb = await dev.AddFbAsync(dumb, PixelFormat.Xrgb8888);
        Assert.Equal(0, await dev.SetModeAsync(conn, fb));
        rig.Backend.Faults.FailNext(XendisplOp.PgFlip, 1, -XenErrno.EIO);
        var flip = await dev.PageFlipAsync(conn, fb);
        Assert.Equal(-XenErrno.EIO, flip.Status);
        Assert.False(conn.LinkConnected);

        conn.SetLink(true);
        rig.Backend.Faults.FailNext(XendisplOp.SetConfig, 1, -XenErrno.EINVAL);
        Assert.Equal(-XenErrno.EINVAL, await dev.SetModeAsync(conn, fb));
        Assert.False(conn.LinkConnected);
    }
}
