using System.Collections.Concurrent;
using XenDisplayWeb.Shared.Backend;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Tests.Host;
using XenDisplayWeb.Shared.Workloads;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.Tests.Frontend;

/// <summary>
/// The backend dies with a request in flight. Lost responses and lost frame-done events are in
/// TimeoutTests (fake clock); a restart while idle and the be-alloc last-client wait in StateMachineTests.
/// </summary>
public class RecoveryTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_backend_killed_with_a_request_in_flight_fails_it_with_EIO_and_the_guest_reconnects_and_resumes_without_leaks(bool beAlloc)
    {
        using var rig = new TestRig(beAlloc, width: 64, height: 48, useEdid: false);
        var states = new ConcurrentQueue<XenbusState>();
        rig.Front.StateChanged += f => { if (states.LastOrDefault() != f.State) states.Enqueue(f.State); };
        rig.WaitConnected();
        using var compositor = new GuestCompositor(rig.Front, _ => new WorkloadSettings("testpattern", 200));
        var first = rig.BackendDevice;
        TestRig.WaitUntil(() => first.Connectors[0].FramesShown > 3, "the workload to flip");

        // Hold the backend's ring thread; our request is then on the ring with nobody to answer it.
        var handler = first.ConnectorHandlers[0];
        rig.Backend.Faults.Paused = true;
        var inFlight = rig.Device.SendAsync(0, new DbufDestroyRequest(0x99));
        TestRig.WaitUntil(() => rig.Front.Channels[0].ReqProdPvt != handler.Ring.SharedRspProd, "a request published and unanswered");
        Assert.False(inFlight.IsCompleted);

        var old = rig.Backend;
        old.Stop(crash: true);
        Assert.Equal(-XenErrno.EIO, (await inFlight.WaitAsync(TimeSpan.FromSeconds(10))).Status);
        TestRig.WaitUntil(() => rig.Front.State == XenbusState.Initialising, "the frontend to start over");
        Assert.Contains(XenbusState.Reconfiguring, states);
        Assert.Equal(0, rig.Host.Dom0.Gnttab.ActiveMappings);
        // The guest unmapped the dead backend's pages, so they can be freed.
        TestRig.WaitUntil(() => { old.ReclaimShared(); return rig.Host.Dom0.Gntshr.ActiveShares == 0; }, "the old backend's pages to be freed");

        rig.Backend = new DisplayBackend(rig.Host.Dom0, rig.Sink);
        rig.Backend.Start();
        rig.WaitConnected();
        var second = rig.BackendDevice;
        TestRig.WaitUntil(() => second.Connectors[0].FramesShown > 3, "the workload to resume on the new backend");

        // No leak on either side: dom0 maps exactly the rings and buffers the device holds; the guest grants its
        // two ring pages and its two buffers (data and directory pages, or only directories with be-alloc).
        Assert.Equal(2, second.Buffers.DbufCount);
        Assert.Equal(second.MappedGrants, rig.Host.Dom0.MappingsOf(1));
        Assert.Equal(beAlloc ? 6 : 0, rig.Host.Dom0.Gntshr.ActiveShares);
        rig.Front.ReclaimDeferred();
        TestRig.WaitUntil(() => { rig.Front.ReclaimDeferred(); return rig.Front.DeferredPages == 0; }, "the guest's deferred grants to end");
        Assert.Equal(2 + (beAlloc ? 2 : 2 * 4), rig.Guest.Grants.ActiveGrants);
    }
}
