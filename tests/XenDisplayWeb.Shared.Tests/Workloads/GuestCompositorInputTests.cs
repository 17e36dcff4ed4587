using XenDisplayWeb.Shared.Kbdif;
using XenDisplayWeb.Shared.Tests.Host;
using XenDisplayWeb.Shared.Workloads;
using XenDisplayWeb.Shared.Workloads.Input;

namespace XenDisplayWeb.Shared.Tests.Workloads;

/// <summary>The guest's compositor drains its connector's input before each frame and stamps the last seq on the strip's row 2.</summary>
public class GuestCompositorInputTests
{
    private const int W = 640, H = 480;

    /// <summary>Rows 0..2 of the strip of the last frame the backend showed, and the frame itself; null before the first frame.</summary>
    private static (uint Frame, uint InputSeq, byte[] Pixels)? Shown(TestRig rig)
    {
        var screen = rig.Sink.Of(1);
        var px = screen.Pixels;
        if (px is null || !MeasurementStrip.TryRead(px, W, H, screen.Stride, StripPixelFormat.Xrgb8888, out uint frame, out _, out uint input))
            return null;
        return (frame, input, px);
    }

    private static uint Rgb(byte[] px, int x, int y) => Frames.Rgb(px, W * 4, x, y);

    /// <summary>Records every Drain: how much room it was given and what it returned.</summary>
    private sealed class RecordingInput(IGuestInput inner) : IGuestInput
    {
        public List<(int Room, int Got)> Calls { get; } = [];

        public int Drain(Span<GuestInputEvent> into)
        {
            int n = inner.Drain(into);
            lock (Calls) Calls.Add((into.Length, n));
            return n;
        }
    }

    [Fact]
    public void Without_an_input_source_row_two_reads_0()
    {
        using var rig = new TestRig(width: W, height: H);
        rig.WaitConnected();
        using var compositor = new GuestCompositor(rig.Front, _ => new WorkloadSettings("testpattern"));
        TestRig.WaitUntil(() => Shown(rig) is { Frame: > 2 }, "a few frames");
        Assert.Equal(0u, Shown(rig)!.Value.InputSeq);
        Assert.Equal(-1, compositor.Stats(0).LastInputSeq);
    }

    [Fact]
    public void Row_two_reads_0_before_any_input_then_the_low_32_bits_of_the_last_consumed_seq()
    {
        using var rig = new TestRig(width: W, height: H);
        rig.WaitConnected();
        var queue = new GuestInputQueue();
        using var compositor = new GuestCompositor(rig.Front, _ => new WorkloadSettings("testpattern"), inputForConnector: i => i == 0 ? queue : null);
        TestRig.WaitUntil(() => Shown(rig) is { Frame: > 2 }, "a few frames");
        Assert.Equal(0u, Shown(rig)!.Value.InputSeq);

        // Seqs past 2^32 (a long-lived ring): row 2 holds their low 32 bits.
        long first = (5L << 32) + 10;
        var click = new IXenkbdInEvent[] { new XenkbdPosition(100, 200, 0), new XenkbdKey(true, LinuxInput.BTN_LEFT), new XenkbdKey(false, LinuxInput.BTN_LEFT) };
        for (int i = 0; i < click.Length; i++)
            Assert.True(queue.TryEnqueue(first + i, click[i]));
        TestRig.WaitUntil(() => Shown(rig) is { InputSeq: 12 }, "row 2 to show the click's last seq");

        // The frame that names the click shows its marker.
        var px = Shown(rig)!.Value.Pixels;
        Assert.Equal(TestPatternRenderer.ClickMarkerColor, Rgb(px, 100, 200));
        Assert.Equal(first + 2, compositor.Stats(0).LastInputSeq);
        Assert.Equal(3, compositor.Stats(0).InputEvents);
    }

    [Fact]
    public void A_burst_is_drained_at_most_MaxInputEventsPerFrame_a_frame_and_nothing_is_lost()
    {
        using var rig = new TestRig(width: W, height: H);
        rig.WaitConnected();
        var queue = new GuestInputQueue();
        for (int i = 0; i < 1000; i++)
            Assert.True(queue.TryEnqueue(i, new XenkbdPosition(i % W, i % H, 0)));
        var input = new RecordingInput(queue);
        using var compositor = new GuestCompositor(rig.Front, _ => new WorkloadSettings("desktop"), inputForConnector: _ => input);
        TestRig.WaitUntil(() => Shown(rig) is { InputSeq: 999 }, "row 2 to show the burst's last seq");

        List<(int Room, int Got)> calls;
        lock (input.Calls) calls = [.. input.Calls];
        Assert.All(calls, c => Assert.Equal(GuestCompositor.MaxInputEventsPerFrame, c.Room));
        Assert.Equal([256, 256, 256, 232], calls.Select(c => c.Got).Where(n => n > 0));
        Assert.Equal(1000, compositor.Stats(0).InputEvents);
        Assert.Equal(0, queue.Dropped);
    }

    [Fact]
    public void A_workload_started_later_knows_where_the_pointer_is()
    {
        using var rig = new TestRig(width: W, height: H);
        rig.WaitConnected();
        var queue = new GuestInputQueue();
        var settings = new WorkloadSettings("testpattern");
        using var compositor = new GuestCompositor(rig.Front, _ => settings, inputForConnector: _ => queue);
        Assert.True(queue.TryEnqueue(0, new XenkbdPosition(300, 100, 0)));
        TestRig.WaitUntil(() => compositor.Stats(0).InputEvents == 1 && Shown(rig) is not null, "the move to be consumed");
        Assert.NotEqual(DesktopRenderer.CursorOutline, Rgb(Shown(rig)!.Value.Pixels, 300, 100));

        // No pointer event after the switch: the desktop draws its cursor where the pointer already is.
        settings.Workload = "desktop";
        TestRig.WaitUntil(() => Shown(rig) is { } s && Rgb(s.Pixels, 300, 100) == DesktopRenderer.CursorOutline && Rgb(s.Pixels, 301, 102) == DesktopRenderer.CursorFill,
            "the desktop's cursor at (300, 100)");
        Assert.Equal(1, compositor.Stats(0).InputEvents);
    }
}
