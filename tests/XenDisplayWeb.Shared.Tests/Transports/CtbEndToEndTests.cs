using System.Security.Cryptography;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Frontend;
using XenDisplayWeb.Shared.Pixels;
using XenDisplayWeb.Shared.Tests.Host;
using XenDisplayWeb.Shared.Transports.Ctb;
using XenDisplayWeb.Shared.Workloads;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.Tests.Transports;

public class CtbEndToEndTests
{
    /// <summary>A compositor's loop: two buffers, draw, flip, wait for frame-done; what the sink got, frame by frame.</summary>
    private static async Task<(List<string> Frames, bool ModeFromEdid, TestRig Rig)> RunWorkload(bool useCtb, bool beAlloc)
    {
        var rig = new TestRig(beAlloc, width: 800, height: 600, useCtb: useCtb);
        rig.WaitConnected();
        var dev = rig.Device;
        var conn = dev.Connectors[0];
        var dumbs = new[] { await dev.CreateDumbAsync(800, 600, 32), await dev.CreateDumbAsync(800, 600, 32) };
        var fbs = new[] { await dev.AddFbAsync(dumbs[0], PixelFormat.Xrgb8888), await dev.AddFbAsync(dumbs[1], PixelFormat.Xrgb8888) };
        var renderer = WorkloadRenderers.Create("desktop", 800, 600);
        var screen = rig.Sink.Of(1);
        var frames = new List<string>();
        renderer.Render(new FrameTarget(dumbs[0].Pixels, 800, 600, dumbs[0].Pitch), 0, 0);
        Assert.Equal(0, await dev.SetModeAsync(conn, fbs[0]));
        frames.Add(Convert.ToHexString(SHA256.HashData(screen.Pixels!)));
        for (uint f = 1; f <= 30; f++)
        {
            int b = (int)(f & 1);
            renderer.Render(new FrameTarget(dumbs[b].Pixels, 800, 600, dumbs[b].Pitch), f, f * 16);
            var flip = await dev.PageFlipAsync(conn, fbs[b]);
            Assert.Equal(new FlipResult(0, false), flip); // completed by the PG_FLIP event on the event page
            frames.Add(Convert.ToHexString(SHA256.HashData(screen.Pixels!)));
        }
        foreach (var fb in fbs) Assert.Equal(0, await dev.RemoveFbAsync(fb));
        foreach (var d in dumbs) Assert.Equal(0, await dev.DestroyDumbAsync(d));
        Assert.Equal(0, rig.BackendDevice.Buffers.MappedGrants);
        return (frames, conn.ModeFromEdid, rig);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_guest_running_its_workload_over_the_CTB_shows_the_same_pictures_as_over_the_ring(bool beAlloc)
    {
        var (ringFrames, ringEdid, ringRig) = await RunWorkload(useCtb: false, beAlloc);
        ringRig.Dispose();
        var (ctbFrames, ctbEdid, rig) = await RunWorkload(useCtb: true, beAlloc);
        using (rig)
        {
            Assert.Equal(31, ctbFrames.Count);
            Assert.Equal(ringFrames, ctbFrames);
            Assert.True(ringEdid);
            Assert.False(ctbEdid); // GET_EDID answered EOPNOTSUPP: the XenStore resolution rules
            Assert.Equal((800, 600), (rig.Device.Connectors[0].Width, rig.Device.Connectors[0].Height));

            var status = rig.BackendDevice.Rings[0];
            Assert.NotNull(status.Ctb);
            Assert.Equal(0u, status.ReqProd); // nothing went over the ring
            // GET_EDID + 4 creates/attaches + SET_CONFIG + 30 flips + 4 detaches/destroys
            Assert.Equal(40, status.Ctb!.Consumed);
            Assert.Equal(status.Ctb.Descriptor.Head, status.Ctb.Descriptor.Tail);
            Assert.Equal(40u, status.Ctb.Descriptor.Fence);
            Assert.Equal((ushort)XendisplOp.DbufDestroy, status.Ctb.Recent[^1].Action);
            Assert.Equal(30, rig.Device.Connectors[0].FramesDone);
        }
    }

    [Fact]
    public async Task A_failed_request_over_the_CTB_carries_the_backends_status()
    {
        using var rig = new TestRig(width: 64, height: 64, useCtb: true);
        rig.WaitConnected();
        var rsp = await rig.Device.SendAsync(0, new DbufDestroyRequest(0x1234));
        Assert.Equal(-XenErrno.ENOENT, rsp.Status);
        var last = rig.BackendDevice.Rings[0].Ctb!.Recent[^1];
        Assert.Equal(((uint)XenErrno.ENOENT, (ushort)XendisplOp.DbufDestroy, CtbDisplif.BodyDwords + 1), (last.Status, last.Action, last.Len));
        Assert.True(Ctb.WritesFence(last.Header));
    }
}
