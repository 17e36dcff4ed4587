using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Pixels;
using XenDisplayWeb.Shared.Tests.Host;
using XenDisplayWeb.Shared.Workloads;
using XenDisplayWeb.Shared.Xen;
using XenDisplayWeb.Shared.Frontend;

namespace XenDisplayWeb.Shared.Tests.Backend;

public class BufferLifecycleTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_1080p_buffer_is_created_attached_flipped_and_destroyed_leaving_no_mapping(bool beAlloc)
    {
        using var rig = new TestRig(beAlloc);
        rig.WaitConnected();
        var dev = rig.Device;
        var conn = dev.Connectors[0];
        int mappedBefore = rig.Host.TotalMappings;

        var dumb = await dev.CreateDumbAsync(1920, 1080, 32);
        Assert.Equal(2025, dumb.DataGrefs.Count);
        Assert.Equal(2, dumb.DirectoryGrefs.Count);
        var dbuf = rig.BackendDevice.Buffers.Dbuf(dumb.Cookie)!;
        Assert.Equal(beAlloc, dbuf.BackendAllocated);
        Assert.Equal(2025, dbuf.Pages.Length);
        Assert.Equal(dumb.DataGrefs, dbuf.DataGrefs);

        var fb = await dev.AddFbAsync(dumb, PixelFormat.Xrgb8888);
        var renderer = WorkloadRenderers.Create("testpattern", 1920, 1080);
        renderer.Render(new FrameTarget(dumb.Pixels, 1920, 1080, dumb.Pitch), 7, 123456);
        Assert.Equal(0, await dev.SetModeAsync(conn, fb));
        var flip = await dev.PageFlipAsync(conn, fb);
        Assert.Equal(new FlipResult(0, false), flip);

        var screen = rig.Sink.Of(1);
        Assert.Equal(2, screen.Frames); // SET_CONFIG and PG_FLIP
        Assert.True(MeasurementStrip.TryRead(screen.Pixels, screen.FrameWidth, screen.FrameHeight, screen.Stride, out uint seq, out uint t));
        Assert.Equal(7u, seq);
        Assert.Equal(123456u, t);
        Assert.Equal(dumb.Pixels[..(1920 * 4 * 1080)].ToArray(), screen.Pixels);

        Assert.Equal(0, await dev.RemoveFbAsync(fb));
        Assert.Equal(0, await dev.DestroyDumbAsync(dumb));
        Assert.Null(rig.BackendDevice.Buffers.Dbuf(dumb.Cookie));
        Assert.Equal(mappedBefore, rig.Host.TotalMappings);
        Assert.Equal(0, rig.BackendDevice.Buffers.MappedGrants);
        Assert.Equal(0, rig.Host.Dom0.Gntshr.ActiveShares);
        Assert.Equal(0, rig.Front.LiveBuffers);
        Assert.Equal(0, rig.Front.DeferredPages);
        // Only the rings' pages stay granted by the guest: 2 per connector.
        Assert.Equal(2, rig.Guest.Grants.ActiveGrants);
    }

    [Fact]
    public async Task A_dbuf_with_width_0_gets_its_size_at_FB_ATTACH_and_data_ofs_is_honoured()
    {
        using var rig = new TestRig(width: 64, height: 32);
        rig.WaitConnected();
        var dev = rig.Device;
        uint size = 4096 * 3;
        var pages = rig.Guest.Memory.AllocatePages(4);
        var grefs = pages[..3].Select(p => rig.Guest.Grants.GrantForeignAccess(0, p, false)).ToArray();
        uint dir = rig.Guest.Grants.GrantForeignAccess(0, pages[3], false);
        PageDirectory.Write(pages[3].Span, 0, grefs);
        // PRIME import: width, height and bpp 0, pixels start at data_ofs.
        var status = await Send(rig, new DbufCreateRequest(0x77, 0, 0, 0, size, 0, dir, 100));
        Assert.Equal(0, status);
        Assert.Equal(-XenErrno.EINVAL, await Send(rig, new FbAttachRequest(0x77, 0x78, 64, 64, (uint)PixelFormat.Xrgb8888))); // 100 + 64*4*64 > 12288
        Assert.Equal(0, await Send(rig, new FbAttachRequest(0x77, 0x78, 64, 32, (uint)PixelFormat.Xrgb8888)));
        pages[0].Span[100] = 0xAB; // first pixel's blue
        Assert.Equal(0, await Send(rig, new SetConfigRequest(0x78, 0, 0, 64, 32, 32)));
        var screen = rig.Sink.Of(1);
        Assert.Equal(0xAB, screen.Pixels![0]);
        Assert.Equal(0, await Send(rig, new DbufDestroyRequest(0x77)));
        Assert.Equal(1, screen.Blanks); // its fb was on screen
        foreach (var g in grefs.Append(dir)) rig.Guest.Grants.EndForeignAccess(g); // nothing left mapped
    }

    [Fact]
    public async Task Strides_that_differ_from_the_frontends_are_read_row_by_row()
    {
        using var rig = new TestRig(width: 100, height: 10);
        rig.WaitConnected();
        // dbuf 120 pixels wide (pitch 480), fb 100 wide: rows straddle pages.
        uint size = 480 * 10;
        var pages = rig.Guest.Memory.AllocatePages(3);
        var grefs = pages[..2].Select(p => rig.Guest.Grants.GrantForeignAccess(0, p, false)).ToArray();
        uint dir = rig.Guest.Grants.GrantForeignAccess(0, pages[2], false);
        PageDirectory.Write(pages[2].Span, 0, grefs);
        var data = pages[0].Array.AsSpan(pages[0].Offset, 8192);
        for (int y = 0; y < 10; y++) data[y * 480 + 99 * 4] = (byte)(y + 1); // last pixel of each row
        Assert.Equal(0, await Send(rig, new DbufCreateRequest(5, 120, 10, 32, size, 0, dir, 0)));
        Assert.Equal(0, await Send(rig, new FbAttachRequest(5, 6, 100, 10, (uint)PixelFormat.Xrgb8888)));
        Assert.Equal(0, await Send(rig, new SetConfigRequest(6, 0, 0, 100, 10, 32)));
        var screen = rig.Sink.Of(1);
        Assert.Equal(400, screen.Stride);
        for (int y = 0; y < 10; y++) Assert.Equal(y + 1, screen.Pixels![y * 400 + 99 * 4]);
        Assert.Equal(0, await Send(rig, new DbufDestroyRequest(5)));
    }

    internal static async Task<int> Send(TestRig rig, IDisplifRequest req, int connector = 0) =>
        (await rig.Device.SendAsync(connector, req)).Status;
}
