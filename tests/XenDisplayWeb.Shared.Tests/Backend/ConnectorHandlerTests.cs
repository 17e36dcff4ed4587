using XenDisplayWeb.Shared.Rings;
using XenDisplayWeb.Shared.Tests.Host;

namespace XenDisplayWeb.Shared.Tests.Backend;

/// <summary>A connector's ring status read from another thread while the device lets go of its pages.</summary>
public class ConnectorHandlerTests
{
    private const uint Marker = 0xdead_beef;

    [Fact]
    public async Task Ring_status_is_never_read_from_ring_pages_the_backend_has_unmapped()
    {
        using var rig = new TestRig(width: 64, height: 48, useEdid: false);
        rig.WaitConnected();
        var device = rig.BackendDevice;
        var handler = device.ConnectorHandlers[0]; // a reader took the list before the device let go
        var ring = rig.Guest.Grants.PageOf(device.Rings[0].ReqRingRef)!;
        using var unmapped = new ManualResetEventSlim();
        using var proceed = new ManualResetEventSlim();
        // The sink closes after the connector unmapped its ring and event pages: hold the disposal there.
        rig.Sink.Of(1).Disposing = () => { unmapped.Set(); proceed.Wait(TimeSpan.FromSeconds(10)); };

        var stop = Task.Run(() => rig.Backend.Stop());
        Assert.True(unmapped.Wait(TimeSpan.FromSeconds(10)));
        // The page is the guest's alone again: what it writes there now must not show in the backend's status.
        SharedRing.Store(ring.Array, ring.Offset + SharedRing.ReqProdOffset, Marker);
        SharedRing.Store(ring.Array, ring.Offset + SharedRing.RspProdOffset, Marker);
        var connectors = device.Connectors;
        var listed = device.Rings;
        var stale = handler.RingStatus();
        proceed.Set();
        await stop.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(connectors); // out of the list before its pages went
        Assert.Empty(listed);
        Assert.Null(stale);
    }
}
