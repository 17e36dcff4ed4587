using System.Collections.Concurrent;
using XenDisplayWeb.Shared.Backend;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Host;
using XenDisplayWeb.Shared.Tests.Host;

namespace XenDisplayWeb.Shared.Tests.Backend;

/// <summary>Ring indices a guest must not be trusted with, and guests that die with buffers on screen.</summary>
public class HostileGuestTests
{
    private static (SimulatedSystem System, GuestConsole Console, RecordingSink Sink) Start()
    {
        var sink = new RecordingSink();
        var system = new SimulatedSystem(sink);
        return (system, new GuestConsole(system), sink);
    }

    private static Guest Flipping(GuestConsole console, bool beAlloc = false)
    {
        var g = console.CreateGuest("g", beAlloc, [new GuestConnector(64, 48, "c0", "motion", 200)]);
        TestRig.WaitUntil(() => console.System.Backend.Device(g.DomId)?.Connectors.FirstOrDefault()?.FramesShown > 2, "the guest to flip");
        return g;
    }

    [Theory]
    [InlineData(33u, null)]          // one more request than the ring holds
    [InlineData(0x8000_0000u, null)]
    [InlineData(null, 64u)]          // in_cons ahead of in_prod
    [InlineData(null, 0xffff_ff00u)] // in_cons far behind
    public async Task Bad_ring_indices_mark_the_device_misbehaving_Closing_then_Closed_and_the_other_guest_keeps_flipping(uint? reqProd, uint? inCons)
    {
        var (system, console, sink) = Start();
        using var _ = system;
        var hostile = Flipping(console);
        var good = Flipping(console);
        var device = system.Backend.Device(hostile.DomId)!;
        var seen = new ConcurrentQueue<XenbusState>();
        system.Backend.DeviceChanged += d => { if (d == device) seen.Enqueue(d.State); };

        // req_prod counts from the guest's own position where it is written (no request in flight then), so it is
        // exactly that far ahead of the responses; read earlier, one more answered flip makes "33 ahead" a legal 32.
        await console.WriteRingAsync(hostile.DomId, 0, new RingWrite(ReqProd: reqProd, InCons: inCons, Relative: true));
        // The device's state is set before its observers hear of it: wait for what an observer sees.
        TestRig.WaitUntil(() => seen.Contains(XenbusState.Closed), "the device to close");

        Assert.True(device.Misbehaving);
        Assert.Contains(reqProd is null ? "in_cons" : "req_prod", device.MisbehavingReason);
        Assert.Equal([XenbusState.Closing, XenbusState.Closed], seen.Where(s => s is XenbusState.Closing or XenbusState.Closed).Take(2));
        Assert.Equal(TestRig.VkbdPages(system, hostile.DomId), system.Host.Dom0.MappingsOf(hostile.DomId)); // its input device is not at fault
        // It stays closed whatever its frontend does next.
        TestRig.WaitUntil(() => hostile.Front.State == XenbusState.Initialising, "the guest's frontend to start over");
        Assert.Equal(XenbusState.Closed, device.State);

        long shown = system.Backend.Device(good.DomId)!.Connectors[0].FramesShown;
        TestRig.WaitUntil(() => system.Backend.Device(good.DomId)!.Connectors[0].FramesShown > shown + 5, "the good guest to keep flipping");
    }

    [Fact]
    public async Task A_req_prod_within_the_ring_is_served()
    {
        var (system, console, _) = Start();
        using var __ = system;
        var g = Flipping(console);
        // Rewriting req_prod to where it already is: nothing wrong.
        await console.WriteRingAsync(g.DomId, 0, new RingWrite(ReqProd: 0, ReqEvent: 7, Relative: true));
        long shown = system.Backend.Device(g.DomId)!.Connectors[0].FramesShown;
        TestRig.WaitUntil(() => system.Backend.Device(g.DomId)!.Connectors[0].FramesShown > shown + 3, "more frames");
        Assert.False(system.Backend.Device(g.DomId)!.Misbehaving);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_guest_destroyed_with_buffers_on_screen_leaves_no_mapping_frees_what_was_allocated_and_goes_dark(bool beAlloc)
    {
        var (system, console, sink) = Start();
        using var _ = system;
        var g = Flipping(console, beAlloc);
        var screen = sink.Of(g.DomId);
        int blanks = screen.Blanks;
        Assert.True(system.Host.Dom0.MappingsOf(g.DomId) > 0);
        Assert.Equal(beAlloc, system.Host.Dom0.Grants.Snapshot().Any(x => x.GranteeDomId == g.DomId));

        console.DestroyGuest(g.DomId);
        TestRig.WaitUntil(() => system.Backend.Device(g.DomId) is null && system.Kbd.Devices.All(d => d.FrontDomId != g.DomId), "the backends to drop the devices");
        Assert.Equal(0, system.Host.Dom0.MappingsOf(g.DomId));
        Assert.Equal(0, system.Host.TotalMappings);
        Assert.DoesNotContain(system.Host.Dom0.Grants.Snapshot(), x => x.GranteeDomId == g.DomId);
        Assert.Equal(0, system.Backend.DeferredSharedPages);
        Assert.Equal(0, system.Backend.GrantPool.UsedBy(g.DomId)); // its be-alloc grants went back to the pool
        Assert.True(screen.Blanks > blanks);
        Assert.True(screen.Disposed);
    }
}
