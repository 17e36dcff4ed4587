using Microsoft.Extensions.Time.Testing;
using XenDisplayWeb.Shared.Backend;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Pixels;
using XenDisplayWeb.Shared.Tests.Host;
using XenDisplayWeb.Shared.Workloads;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.Tests.Backend;

public class ZeroCopyTests
{
    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public async Task DBUF_DESTROY_waits_for_the_release_and_leaves_no_mapping_in_either_mode(bool zeroCopy, bool beAlloc)
    {
        using var rig = new TestRig(beAlloc, width: 1920, height: 1080);
        rig.Backend.SetZeroCopy(1, zeroCopy);
        rig.WaitConnected();
        var dev = rig.Device;
        int mappedBefore = rig.Host.TotalMappings;
        var dumb = await dev.CreateDumbAsync(1920, 1080, 32);
        var fb = await dev.AddFbAsync(dumb, PixelFormat.Xrgb8888);
        WorkloadRenderers.Create("desktop", 1920, 1080).Render(new FrameTarget(dumb.Pixels, 1920, 1080, dumb.Pitch), 42, 1000);
        Assert.Equal(0, await dev.SetModeAsync(dev.Connectors[0], fb));
        Assert.Equal(0, (await dev.PageFlipAsync(dev.Connectors[0], fb)).Status);

        var dbuf = rig.BackendDevice.Buffers.Dbuf(dumb.Cookie)!;
        Assert.Equal(zeroCopy ? ScanoutMode.ZeroCopy : ScanoutMode.Copy, dbuf.LastScanout);
        // Copy mode copied each shown frame (SET_CONFIG and PG_FLIP) into the backend's buffer; zero copy nothing.
        Assert.Equal(zeroCopy ? 0 : 2L * 1920 * 4 * 1080, dbuf.CopiedBytes);
        Assert.Equal(1, dbuf.References); // the backend's own: no frame is being read now
        var screen = rig.Sink.Of(1);
        Assert.Equal(dumb.Pixels[..(1920 * 4 * 1080)].ToArray(), screen.Pixels);

        Assert.Equal(0, await dev.RemoveFbAsync(fb));
        Assert.Equal(0, await dev.DestroyDumbAsync(dumb));
        var wait = rig.Backend.BufferMemory(1)!.ReleaseWaits[^1];
        Assert.Equal((dumb.Cookie, 0), (wait.Cookie, wait.Status));
        Assert.Equal(0, dbuf.References);
        Assert.Equal(mappedBefore, rig.Host.TotalMappings);
        Assert.Equal(0, rig.Backend.DmaBuf.LiveExports);
        Assert.Equal(0, rig.Backend.DmaBuf.LiveImports);
        Assert.Equal(0, rig.Host.Dom0.Gntshr.ActiveShares);
        Assert.Equal(2, rig.Guest.Grants.ActiveGrants); // the ring and event page only
    }

    [Fact]
    public async Task DBUF_DESTROY_answers_ETIMEDOUT_after_2000_ms_while_a_reader_holds_the_buffer_object()
    {
        var time = new ObservedTimeProvider();
        using var rig = new TestRig(width: 64, height: 64, time: time, useEdid: false);
        rig.WaitConnected();
        var dev = rig.Device;
        var dumb = await dev.CreateDumbAsync(64, 64, 32);
        var dbuf = rig.BackendDevice.Buffers.Dbuf(dumb.Cookie)!;
        Assert.True(dbuf.BufferObject!.Retain()); // an encoder still reads the pages

        var destroy = dev.SendAsync(0, new DbufDestroyRequest(dumb.Cookie));
        TestRig.WaitUntil(() => dbuf.References == 1, "the backend to drop its own reference");
        var wait = time.WaitForTimer(TimeSpan.FromMilliseconds(2000), "the backend to wait for the reader");
        time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.Equal(0, wait.Fired);
        Assert.False(destroy.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, wait.Fired);
        Assert.Equal(-XenErrno.ETIMEDOUT, (await destroy.WaitAsync(TimeSpan.FromSeconds(10))).Status);
        Assert.Equal(4, dbuf.MappedPages); // still mapped for the reader

        dbuf.BufferObject.Release(); // the reader is done: the pages go now
        Assert.Equal(0, dbuf.MappedPages);
        Assert.Equal(0, rig.BackendDevice.Buffers.MappedGrants);
        Assert.Equal(-XenErrno.ETIMEDOUT, rig.Backend.BufferMemory(1)!.ReleaseWaits[^1].Status);
    }

    [Fact]
    public async Task DBUF_DESTROY_answers_0_when_the_reader_lets_go_during_the_wait()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var rig = new TestRig(width: 64, height: 64, time: time, useEdid: false);
        rig.WaitConnected();
        var dev = rig.Device;
        var dumb = await dev.CreateDumbAsync(64, 64, 32);
        var dbuf = rig.BackendDevice.Buffers.Dbuf(dumb.Cookie)!;
        Assert.True(dbuf.BufferObject!.Retain());
        var destroy = dev.SendAsync(0, new DbufDestroyRequest(dumb.Cookie));
        TestRig.WaitUntil(() => dbuf.References == 1, "the backend to wait");
        time.Advance(TimeSpan.FromMilliseconds(500));
        dbuf.BufferObject.Release();
        Assert.Equal(0, (await destroy.WaitAsync(TimeSpan.FromSeconds(10))).Status);
        Assert.Equal(0, dbuf.MappedPages);
    }

    [Fact]
    public async Task Giving_up_the_backends_reference_twice_never_takes_a_readers()
    {
        using var rig = new TestRig(width: 64, height: 64, useEdid: false);
        rig.WaitConnected();
        var dumb = await rig.Device.CreateDumbAsync(64, 64, 32);
        var dbuf = rig.BackendDevice.Buffers.Dbuf(dumb.Cookie)!;
        var memory = rig.Backend.BufferMemory(1)!;
        Assert.True(dbuf.BufferObject!.Retain()); // a sink reads the pages

        memory.Release(dbuf);
        memory.Release(dbuf); // a second release (a second destroy, a disconnect) finds nothing of the backend's left
        Assert.Equal(1, dbuf.References);
        Assert.Equal(4, dbuf.MappedPages);

        dbuf.BufferObject.Release(); // the sink is done: the pages go now
        Assert.Equal(0, dbuf.References);
        Assert.Equal(0, dbuf.MappedPages);
        Assert.Equal(0, rig.Backend.DmaBuf.LiveExports);
    }

    [Fact]
    public async Task A_guest_switched_between_copy_and_zero_copy_while_flipping_shows_every_frame_right()
    {
        using var rig = new TestRig(width: 640, height: 480);
        rig.WaitConnected();
        var dev = rig.Device;
        var conn = dev.Connectors[0];
        var dumbs = new[] { await dev.CreateDumbAsync(640, 480, 32), await dev.CreateDumbAsync(640, 480, 32) };
        var fbs = new[] { await dev.AddFbAsync(dumbs[0], PixelFormat.Xrgb8888), await dev.AddFbAsync(dumbs[1], PixelFormat.Xrgb8888) };
        var renderer = WorkloadRenderers.Create("motion", 640, 480);
        Assert.Equal(0, await dev.SetModeAsync(conn, fbs[0]));

        using var stop = new CancellationTokenSource();
        var toggler = Task.Run(async () =>
        {
            bool on = true;
            while (!stop.IsCancellationRequested) { rig.Backend.SetZeroCopy(1, on = !on); await Task.Delay(1); }
        });
        var seen = new HashSet<ScanoutMode>();
        var screen = rig.Sink.Of(1);
        for (uint frame = 1; frame <= 200; frame++)
        {
            int b = (int)(frame & 1);
            renderer.Render(new FrameTarget(dumbs[b].Pixels, 640, 480, dumbs[b].Pitch), frame, frame * 16);
            Assert.Equal(0, (await dev.PageFlipAsync(conn, fbs[b])).Status);
            Assert.True(MeasurementStrip.TryRead(screen.Pixels, screen.FrameWidth, screen.FrameHeight, screen.Stride, out uint seq, out _));
            Assert.Equal(frame, seq);
            Assert.Equal(dumbs[b].Pixels[..(640 * 4 * 480)].ToArray(), screen.Pixels);
            seen.Add(rig.BackendDevice.Buffers.Dbuf(dumbs[b].Cookie)!.LastScanout!.Value);
            if (frame == 100) { stop.Cancel(); await toggler; rig.Backend.SetZeroCopy(1, false); }
        }
        Assert.Equal([ScanoutMode.ZeroCopy, ScanoutMode.Copy], seen.Order());
        Assert.Equal(ScanoutMode.Copy, rig.BackendDevice.Buffers.Dbuf(dumbs[0].Cookie)!.LastScanout); // off stays off
        rig.Backend.SetZeroCopy(1, true);
        Assert.Equal(0, (await dev.PageFlipAsync(conn, fbs[0])).Status);
        Assert.Equal(ScanoutMode.ZeroCopy, rig.BackendDevice.Buffers.Dbuf(dumbs[0].Cookie)!.LastScanout);

        foreach (var fb in fbs) Assert.Equal(0, await dev.RemoveFbAsync(fb));
        foreach (var d in dumbs) Assert.Equal(0, await dev.DestroyDumbAsync(d));
        Assert.Equal(0, rig.BackendDevice.Buffers.MappedGrants);
        Assert.Equal(0, rig.Backend.DmaBuf.LiveExports);
    }
}
