using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Pixels;
using XenDisplayWeb.Shared.Tests.Host;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.Tests.Frontend;

public class TimeoutTests
{
    [Fact]
    public async Task A_lost_response_times_out_after_3000_ms_and_the_late_one_is_skipped_as_stale()
    {
        var time = new ObservedTimeProvider();
        using var rig = new TestRig(width: 64, height: 64, time: time, useEdid: false);
        rig.WaitConnected();
        var dev = rig.Device;
        Assert.Equal(TimeSpan.FromMilliseconds(3000), rig.Timeouts.Request);

        rig.Backend.Faults.DropResponses = 1;
        var lost = dev.SendAsync(0, new SetConfigRequest(0, 0, 0, 0, 0, 0));
        var wait = time.WaitForTimer(rig.Timeouts.Request, "the request to wait for its response");
        time.Advance(TimeSpan.FromMilliseconds(2999));
        Assert.Equal(0, wait.Fired);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, wait.Fired);
        Assert.Equal(-XenErrno.ETIMEDOUT, (await lost.WaitAsync(TimeSpan.FromSeconds(10))).Status);

        // The withheld response arrives with the next one: skipped as stale, the new one counts.
        var next = await dev.SendAsync(0, new SetConfigRequest(0, 0, 0, 0, 0, 0)).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, next.Status);
        Assert.Equal(1, rig.Front.Channels[0].StaleResponses);
    }

    [Fact]
    public async Task The_request_timeout_is_settable_while_running()
    {
        var time = new ObservedTimeProvider();
        using var rig = new TestRig(width: 64, height: 64, time: time, useEdid: false);
        rig.WaitConnected();
        rig.Timeouts.Request = TimeSpan.FromMilliseconds(500);
        rig.Backend.Faults.DropResponses = 1;
        var lost = rig.Device.SendAsync(0, new SetConfigRequest(0, 0, 0, 0, 0, 0));
        time.WaitForTimer(TimeSpan.FromMilliseconds(500), "the request to wait for its response");
        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(-XenErrno.ETIMEDOUT, (await lost.WaitAsync(TimeSpan.FromSeconds(10))).Status);
    }

    [Fact]
    public async Task A_lost_frame_done_event_completes_the_flip_after_3100_ms()
    {
        var time = new ObservedTimeProvider();
        using var rig = new TestRig(width: 64, height: 64, time: time, useEdid: false);
        rig.Front.Trace = rig.Backend.Trace;
        rig.WaitConnected();
        var dev = rig.Device;
        var conn = dev.Connectors[0];
        var fb = await dev.AddFbAsync(await dev.CreateDumbAsync(64, 64, 32), PixelFormat.Xrgb8888);
        Assert.Equal(0, await dev.SetModeAsync(conn, fb));

        rig.Backend.Faults.DropFrameDone = 1;
        var flip = dev.PageFlipAsync(conn, fb);
        TestRig.WaitUntil(() => rig.Sink.Of(1).Frames == 2, "the flip to reach the display");
        var wait = time.WaitForTimer(rig.Timeouts.FrameDone, "the flip to wait for its frame-done event");
        time.Advance(TimeSpan.FromMilliseconds(3099));
        Assert.Equal(0, wait.Fired);
        Assert.False(flip.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, wait.Fired);
        var result = await flip.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(result.TimedOut);
        Assert.Equal(1, conn.FrameDoneTimeouts);
        Assert.Contains(rig.Backend.Trace.Snapshot(), e => e.Text.StartsWith("frame-done event dropped"));
        Assert.Contains(rig.Backend.Trace.Snapshot(), e => e.Text.StartsWith("guest: frame-done timeout") && e.Text.Contains("3100 ms"));

        // The next flip's event still arrives: event ids stay in step.
        var ok = await dev.PageFlipAsync(conn, fb).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(ok.TimedOut);
        Assert.Equal(1, conn.FramesDone);
    }

    [Fact]
    public async Task Sending_while_not_connected_is_EIO()
    {
        using var rig = new TestRig(width: 64, height: 64, useEdid: false);
        rig.WaitConnected();
        var dev = rig.Device;
        rig.Backend.Stop();
        TestRig.WaitUntil(() => dev.IsUnplugged, "unplug");
        Assert.Equal(-XenErrno.EIO, (await dev.SendAsync(0, new PgFlipRequest(1))).Status);
    }
}
