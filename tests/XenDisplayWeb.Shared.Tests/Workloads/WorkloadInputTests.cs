using System.Text;
using XenDisplayWeb.Shared.Kbdif;
using XenDisplayWeb.Shared.Workloads;
using XenDisplayWeb.Shared.Workloads.Input;
using static XenDisplayWeb.Shared.Tests.Workloads.InputFeed;

namespace XenDisplayWeb.Shared.Tests.Workloads;

/// <summary>The workloads respond to input: the desktop's cursor, drag and typing, testpattern's markers, motion's wheel.</summary>
public class WorkloadInputTests
{
    private const int W = 1024, H = 768, Stride = W * 4;
    private const uint Frame = 40;

    private static byte[] Render(IWorkloadRenderer r, uint seq = Frame, int seed = 1)
    {
        var buf = Frames.NewBuffer(W, H, Stride, seed);
        r.Render(new FrameTarget(buf, W, H, Stride), seq, Frames.TimeFor(seq));
        return buf;
    }

    private static (DesktopRenderer Desktop, InputFeed Feed) Desktop() =>
        ((DesktopRenderer)WorkloadRenderers.Create(WorkloadRenderers.Desktop, W, H), new InputFeed(W, H));

    /// <summary>Every pixel that differs between two pictures (the strip left out).</summary>
    private static HashSet<(int X, int Y)> Differences(byte[] a, byte[] b)
    {
        var set = new HashSet<(int, int)>();
        for (int y = 0; y < H; y++)
            for (int x = y < MeasurementStrip.Height ? MeasurementStrip.Width : 0; x < W; x++)
                if (Frames.Pixel(a, Stride, x, y) != Frames.Pixel(b, Stride, x, y)) set.Add((x, y));
        return set;
    }

    // ---- desktop: cursor ----

    [Fact]
    public void Desktop_draws_no_cursor_before_any_pointer_event()
    {
        var (d, feed) = Desktop();
        feed.Send(d, Typing("")); // an input frame with nothing in it
        Assert.Empty(Differences(Render(d), Frames.Fresh("desktop", W, H, Stride, Frame, Frames.TimeFor(Frame))));
    }

    [Theory]
    [InlineData(300, 700)]
    [InlineData(600, 0)]
    [InlineData(1018, 760)] // partly off the right and bottom edges
    public void Desktop_cursor_lands_at_the_exact_pixels_after_pos(int x, int y)
    {
        var (d, feed) = Desktop();
        var without = Render(d);
        feed.Send(d, new XenkbdPosition(x, y, 0));
        var with = Render(d);

        var expected = new HashSet<(int, int)>();
        for (int row = 0; row < DesktopRenderer.CursorSprite.Length; row++)
        {
            for (int col = 0; col < DesktopRenderer.CursorSprite[row].Length; col++)
            {
                char c = DesktopRenderer.CursorSprite[row][col];
                int px = x + col, py = y + row;
                if (c == ' ' || px >= W || py >= H || (py < MeasurementStrip.Height && px < MeasurementStrip.Width))
                    continue;
                uint rgb = c == 'X' ? DesktopRenderer.CursorOutline : DesktopRenderer.CursorFill;
                Assert.Equal(rgb, Frames.Rgb(with, Stride, px, py));
                if (Frames.Rgb(without, Stride, px, py) != rgb) expected.Add((px, py));
            }
        }
        Assert.NotEmpty(expected);
        Assert.Equal(expected, Differences(without, with));
    }

    [Fact]
    public void Desktop_cursor_follows_relative_motion_clamped_to_the_screen()
    {
        var (d, feed) = Desktop();
        feed.Send(d, new XenkbdPosition(500, 400, 0), new XenkbdMotion(-20, 30, 0));
        var moved = Render(d);
        var (e, direct) = Desktop();
        direct.Send(e, new XenkbdPosition(480, 430, 0));
        Assert.Empty(Differences(moved, Render(e)));
        feed.Send(d, new XenkbdMotion(-5000, 5000, 0));
        Assert.Equal((0, H - 1), (feed.State.X, feed.State.Y));
        var frame = Render(d);
        Assert.Equal(DesktopRenderer.CursorOutline, Frames.Rgb(frame, Stride, 0, H - 1));
        Assert.NotEqual(DesktopRenderer.CursorOutline, Frames.Rgb(frame, Stride, 1, H - 1)); // the sprite's second row starts XX: only one row shows
    }

    // ---- desktop: windows ----

    [Fact]
    public void Desktop_dragging_a_title_bar_moves_the_window_by_exactly_dx_dy()
    {
        const int dx = -37, dy = 53;
        var (moved, feed) = Desktop();
        var (still, stillFeed) = Desktop();
        Rect title = moved.WindowTitle(0);
        Rect before = moved.WindowOuter(0);
        int gx = title.X + 40, gy = title.Y + title.Height / 2;

        feed.Send(moved, new XenkbdPosition(gx, gy, 0), Press(LinuxInput.BTN_LEFT));
        feed.Send(moved, new XenkbdMotion(-20, 20, 0), new XenkbdMotion(dx + 20, 13, 0));
        feed.Send(moved, new XenkbdPosition(gx + dx, gy + dy, 0), Release(LinuxInput.BTN_LEFT), new XenkbdPosition(5, 700, 0));
        // The same press and release without a move: raised the same, not moved.
        stillFeed.Send(still, new XenkbdPosition(gx, gy, 0), Press(LinuxInput.BTN_LEFT), Release(LinuxInput.BTN_LEFT), new XenkbdPosition(5, 700, 0));

        Assert.Equal(before.Offset(dx, dy), moved.WindowOuter(0));
        Assert.Equal(before, still.WindowOuter(0));
        Assert.Equal(0, moved.Stack[^1]);
        var a = Render(still);
        var b = Render(moved);
        for (int y = before.Y; y < before.Bottom; y++)
            for (int x = before.X; x < before.Right; x++)
                Assert.True(Frames.Pixel(a, Stride, x, y) == Frames.Pixel(b, Stride, x + dx, y + dy), $"window pixel ({x},{y}) is not at ({x + dx},{y + dy})");
        // Where the window was and is not any more (its top right corner), the desktop shows through: the
        // background is one colour along a row, as at the right edge of the screen.
        (int cx, int cy) = (before.Right - 3, before.Y + 3);
        Assert.False(moved.WindowOuter(0).Contains(cx, cy) || moved.WindowOuter(1).Contains(cx, cy) || moved.WindowOuter(2).Contains(cx, cy));
        Assert.NotEqual(Frames.Pixel(a, Stride, cx, cy), Frames.Pixel(b, Stride, cx, cy));
        Assert.Equal(Frames.Pixel(b, Stride, W - 1, cy), Frames.Pixel(b, Stride, cx, cy));
    }

    [Fact]
    public void Desktop_press_in_a_window_raises_it_and_a_press_on_its_body_does_not_drag()
    {
        var (d, feed) = Desktop();
        Assert.Equal([0, 1, 2], d.Stack);
        Rect body = d.WindowOuter(0);
        // A point of the browser's body that the windows above it do not cover.
        int x = body.Right - 10, y = body.Y + 40;
        Assert.False(d.WindowOuter(1).Contains(x, y) || d.WindowOuter(2).Contains(x, y));
        feed.Send(d, new XenkbdPosition(x, y, 0), Press(LinuxInput.BTN_LEFT), new XenkbdMotion(-100, -30, 0), Release(LinuxInput.BTN_LEFT));
        Assert.Equal([1, 2, 0], d.Stack);
        Assert.Equal(body, d.WindowOuter(0));
        // The right button neither raises nor drags.
        feed.Send(d, new XenkbdPosition(d.WindowTitle(1).X + 30, d.WindowTitle(1).Y + 3, 0), Press(LinuxInput.BTN_RIGHT), new XenkbdMotion(50, 50, 0));
        Assert.Equal([1, 2, 0], d.Stack);
    }

    [Fact]
    public void Desktop_a_dragged_window_keeps_its_title_bar_on_the_desktop()
    {
        var (d, feed) = Desktop();
        Rect outer = d.WindowOuter(2);
        // Grabbed near its right end and pulled to the top left corner, the window stops with its title bar's right end showing.
        Rect title = d.WindowTitle(2);
        feed.Send(d, new XenkbdPosition(title.Right - 3, title.Y + 2, 0), Press(LinuxInput.BTN_LEFT), new XenkbdPosition(0, 0, 0), Release(LinuxInput.BTN_LEFT));
        Assert.Equal((DesktopRenderer.KeepVisible - outer.Width, 0), (d.WindowOuter(2).X, d.WindowOuter(2).Y));
        // Grabbed near its left end and pulled to the bottom right corner, its left end shows and it stays above the taskbar.
        (d, feed) = Desktop();
        feed.Send(d, new XenkbdPosition(title.X + 20, title.Y + 2, 0), Press(LinuxInput.BTN_LEFT), new XenkbdPosition(W - 1, H - 1, 0));
        Assert.Equal(W - DesktopRenderer.KeepVisible, d.WindowOuter(2).X);
        Assert.True(d.WindowTitle(2).Bottom <= d.Clock.Y, "the title bar went under the taskbar");
        Assert.True(d.WindowTitle(2).Bottom >= d.Clock.Y - 8, "the window did not go down as far as it could");
    }

    // ---- desktop: typing ----

    /// <summary>Asserts the cell at (x, y) shows <paramref name="c"/>'s glyph exactly: set bits in the text colour, the rest background.</summary>
    private static void AssertGlyph(byte[] frame, DesktopRenderer d, int x, int y, char c)
    {
        var font = d.Font;
        int glyph = font.GlyphFor(new Rune(c));
        for (int py = 0; py < font.Height; py++)
            for (int px = 0; px < font.Width; px++)
            {
                uint want = font.IsSet(glyph, px, py) ? DesktopRenderer.InputTextColor : DesktopRenderer.InputBackground;
                Assert.True(want == Frames.Rgb(frame, Stride, x + px, y + py), $"'{c}' pixel ({px},{py}) at ({x + px},{y + py})");
            }
    }

    private static void AssertCaret(byte[] frame, DesktopRenderer d, int x, int y)
    {
        for (int py = 1; py < d.Font.Height - 1; py++)
            for (int px = 0; px < DesktopRenderer.CaretWidth; px++)
                Assert.Equal(DesktopRenderer.InputTextColor, Frames.Rgb(frame, Stride, x + px, y + py));
    }

    [Fact]
    public void Desktop_typing_Hi_draws_the_fonts_glyphs_at_the_caret()
    {
        var (d, feed) = Desktop();
        var (x, y) = d.InputCaret!.Value;
        Assert.True(d.InputArea.Contains(x, y));
        feed.Send(d, Typing("Hi"));
        var frame = Render(d);
        AssertGlyph(frame, d, x, y, 'H');
        AssertGlyph(frame, d, x + d.Font.Width, y, 'i');
        Assert.Equal((x + 2 * d.Font.Width, y), d.InputCaret);
        AssertCaret(frame, d, x + 2 * d.Font.Width, y);
        // Real glyphs, not blocks: H and i differ, and neither is a filled cell.
        Assert.NotEqual(d.Font.GlyphBits(d.Font.GlyphFor(new Rune('H'))).ToArray(), d.Font.GlyphBits(d.Font.GlyphFor(new Rune('i'))).ToArray());
    }

    [Fact]
    public void Desktop_backspace_erases_the_last_glyph()
    {
        var (d, feed) = Desktop();
        var (x, y) = d.InputCaret!.Value;
        feed.Send(d, Typing("Hi"));
        feed.Send(d, Press(LinuxInput.KEY_BACKSPACE), Release(LinuxInput.KEY_BACKSPACE));
        var frame = Render(d);
        AssertGlyph(frame, d, x, y, 'H');
        int cx = x + d.Font.Width;
        Assert.Equal((cx, y), d.InputCaret);
        for (int py = 0; py < d.Font.Height; py++)
            for (int px = 0; px < d.Font.Width; px++)
            {
                bool caret = px < DesktopRenderer.CaretWidth && py >= 1 && py < d.Font.Height - 1;
                Assert.Equal(caret ? DesktopRenderer.InputTextColor : DesktopRenderer.InputBackground, Frames.Rgb(frame, Stride, cx + px, y + py));
            }
    }

    [Fact]
    public void Desktop_enter_starts_a_new_line_and_the_area_scrolls_when_full()
    {
        var (d, feed) = Desktop();
        var (x, y) = d.InputCaret!.Value;
        int rows = d.InputArea.Height / d.Font.Height;
        feed.Send(d, Typing("a\nb"));
        var frame = Render(d);
        AssertGlyph(frame, d, x, y, 'a');
        AssertGlyph(frame, d, x, y + d.Font.Height, 'b');
        // Fill the area: the first line scrolls out of sight, the caret stays on the last row.
        feed.Send(d, Typing(string.Concat(Enumerable.Repeat("\nc", rows - 1))));
        frame = Render(d);
        Assert.Equal((x + d.Font.Width, y + (rows - 1) * d.Font.Height), d.InputCaret);
        AssertGlyph(frame, d, x, y, 'b');
        AssertGlyph(frame, d, x, y + (rows - 1) * d.Font.Height, 'c');
    }

    [Fact]
    public void Desktop_a_full_row_wraps_onto_the_next()
    {
        var (d, feed) = Desktop();
        var (x, y) = d.InputCaret!.Value;
        int cols = d.InputArea.Width / d.Font.Width;
        feed.Send(d, Typing(new string('x', cols) + "y"));
        var frame = Render(d);
        AssertGlyph(frame, d, x + (cols - 1) * d.Font.Width, y, 'x');
        AssertGlyph(frame, d, x, y + d.Font.Height, 'y');
    }

    [Fact]
    public void Desktop_types_into_the_editor_wherever_it_was_dragged()
    {
        var (d, feed) = Desktop();
        var (x, y) = d.InputCaret!.Value;
        Rect title = d.WindowTitle(1);
        feed.Send(d, new XenkbdPosition(title.X + 30, title.Y + 3, 0), Press(LinuxInput.BTN_LEFT), new XenkbdMotion(60, 25, 0), Release(LinuxInput.BTN_LEFT));
        feed.Send(d, Typing("Q"));
        AssertGlyph(Render(d), d, x + 60, y + 25, 'Q');
    }

    // ---- damage: buffers that are behind repaint exactly what input changed ----

    public static TheoryData<string> Responsive => new() { WorkloadRenderers.Desktop, WorkloadRenderers.TestPattern, WorkloadRenderers.Motion };

    /// <summary>A mixed script: moves, drags, raises, typing, clicks, touches, the wheel; one entry per frame.</summary>
    private static List<IXenkbdInEvent[]> Script()
    {
        var rng = new Random(12);
        var frames = new List<IXenkbdInEvent[]>();
        for (int f = 0; f < 90; f++)
        {
            var events = new List<IXenkbdInEvent>();
            switch (rng.Next(8))
            {
                case 0: events.Add(new XenkbdPosition(rng.Next(-20, W + 20), rng.Next(-20, H + 20), 0)); break;
                case 1: events.Add(new XenkbdMotion(rng.Next(-40, 41), rng.Next(-40, 41), rng.Next(-1, 2))); break;
                case 2: events.AddRange(Click(rng.Next(W), rng.Next(H))); break;
                case 3: events.AddRange(Typing(rng.Next(3) == 0 ? "\n" : "Ab c")); break;
                case 4: events.Add(Press(LinuxInput.KEY_BACKSPACE)); break;
                case 5: events.Add(XenkbdMtouch.Down((byte)rng.Next(4), rng.Next(W), rng.Next(H))); break;
                case 6: break; // a frame without input
                default:
                    // A drag by a title bar (window picked at random), over a few moves in one frame.
                    int x = rng.Next(W), y = rng.Next(H);
                    events.Add(new XenkbdPosition(x, y, 0));
                    events.Add(Press(LinuxInput.BTN_LEFT));
                    for (int i = 0; i < 3; i++) events.Add(new XenkbdMotion(rng.Next(-30, 31), rng.Next(-30, 31), 0));
                    if (rng.Next(2) == 0) events.Add(Release(LinuxInput.BTN_LEFT));
                    break;
            }
            frames.Add([.. events]);
        }
        // Drags on each title bar, so windows certainly move and cross each other.
        var probe = (DesktopRenderer)WorkloadRenderers.Create(WorkloadRenderers.Desktop, W, H);
        for (int i = 0; i < 3; i++)
        {
            Rect t = probe.WindowTitle(i);
            frames.Insert(10 + 25 * i, [new XenkbdPosition(t.X + 30, t.Y + 3, 0), Press(LinuxInput.BTN_LEFT)]);
            frames.Insert(11 + 25 * i, [new XenkbdMotion(-70, 45, 0)]);
            frames.Insert(12 + 25 * i, [new XenkbdMotion(20, 5, 0), Release(LinuxInput.BTN_LEFT)]);
        }
        return frames;
    }

    [Theory]
    [MemberData(nameof(Responsive))]
    public void Double_buffered_rendering_with_input_equals_a_fresh_render_of_the_same_input(string name)
    {
        var r = WorkloadRenderers.Create(name, W, H);
        var feed = new InputFeed(W, H);
        var bufs = new[] { Frames.NewBuffer(W, H, Stride, 11), Frames.NewBuffer(W, H, Stride, 12) };
        uint seq = 0;
        foreach (var events in Script())
        {
            feed.Send(r, events);
            var buf = bufs[seq % 2];
            long time = Frames.TimeFor(seq);
            r.Render(new FrameTarget(buf, W, H, Stride, (int)(seq % 2)), seq, time);
            var fresh = Frames.NewBuffer(W, H, Stride, 99);
            feed.Replay(name).Render(new FrameTarget(fresh, W, H, Stride), seq, time);
            var diff = Frames.FirstDifference(buf, fresh, W, H, Stride);
            Assert.True(diff is null, $"{name} frame {seq}: first difference at {diff}");
            seq++;
        }
        if (r is RendererBase b && name != WorkloadRenderers.Motion)
            Assert.True(b.PartialRepaints > b.FullRepaints, $"{name}: {b.PartialRepaints} partial, {b.FullRepaints} full repaints");
    }

    [Fact]
    public void Desktop_raising_two_windows_in_one_frame_repaints_where_the_stacking_changed()
    {
        var probe = (DesktopRenderer)WorkloadRenderers.Create(WorkloadRenderers.Desktop, W, H);
        // A point of each window that no other window covers at the start.
        (int X, int Y) Own(int i)
        {
            Rect o = probe.WindowOuter(i);
            for (int y = o.Y + 2; y < o.Bottom; y += 4)
                for (int x = o.X + 2; x < o.Right; x += 4)
                    if (Enumerable.Range(0, 3).All(j => j == i || !probe.WindowOuter(j).Contains(x, y))) return (x, y);
            throw new InvalidOperationException($"window {i} is covered");
        }
        var r = WorkloadRenderers.Create(WorkloadRenderers.Desktop, W, H);
        var feed = new InputFeed(W, H);
        var bufs = new[] { Frames.NewBuffer(W, H, Stride, 1), Frames.NewBuffer(W, H, Stride, 2) };
        for (uint seq = 0; seq < 4; seq++)
        {
            // Frame 2: [0,1,2] becomes [2,0,1]: 0 over 2 where they overlap, though 1, not 0, is on top.
            if (seq == 2)
                feed.Send(r, [.. Click(Own(0).X, Own(0).Y), .. Click(Own(1).X, Own(1).Y)]);
            r.Render(new FrameTarget(bufs[seq % 2], W, H, Stride, (int)(seq % 2)), seq, Frames.TimeFor(seq));
            var fresh = Frames.NewBuffer(W, H, Stride, 3);
            feed.Replay(WorkloadRenderers.Desktop).Render(new FrameTarget(fresh, W, H, Stride), seq, Frames.TimeFor(seq));
            Assert.Null(Frames.FirstDifference(bufs[seq % 2], fresh, W, H, Stride));
        }
        Assert.Equal([2, 0, 1], ((DesktopRenderer)r).Stack);
    }

    [Fact]
    public void More_input_damage_than_the_log_keeps_falls_back_to_a_full_repaint()
    {
        var r = (RendererBase)WorkloadRenderers.Create(WorkloadRenderers.TestPattern, W, H);
        var feed = new InputFeed(W, H);
        var bufs = new[] { Frames.NewBuffer(W, H, Stride, 1), Frames.NewBuffer(W, H, Stride, 2) };
        r.Render(new FrameTarget(bufs[0], W, H, Stride, 0), 0, Frames.TimeFor(0));
        r.Render(new FrameTarget(bufs[1], W, H, Stride, 1), 1, Frames.TimeFor(1));
        long full = r.FullRepaints;
        // Many clicks in one frame: each evicts an old marker and adds one, two damage rectangles each.
        for (int i = 0; i < RendererBase.MaxDamageLog; i++)
            feed.Send(r, Click(20 + 9 * i, 300 + i));
        r.Render(new FrameTarget(bufs[0], W, H, Stride, 0), 2, Frames.TimeFor(2));
        Assert.Equal(full + 1, r.FullRepaints);
        var fresh = Frames.NewBuffer(W, H, Stride, 3);
        feed.Replay(WorkloadRenderers.TestPattern).Render(new FrameTarget(fresh, W, H, Stride), 2, Frames.TimeFor(2));
        Assert.Null(Frames.FirstDifference(bufs[0], fresh, W, H, Stride));
    }

    // ---- testpattern ----

    /// <summary>The cross: a 1-pixel line of the colour down the middle of 3-pixel black arms, black at the arms' ends.</summary>
    private static void AssertMarker(byte[] frame, int x, int y, uint color)
    {
        int arm = TestPatternRenderer.MarkerArm;
        for (int d = -arm; d <= arm; d++)
        {
            uint middle = Math.Abs(d) == arm ? TestPatternRenderer.MarkerOutline : color;
            Assert.Equal(middle, Frames.Rgb(frame, Stride, x + d, y));
            Assert.Equal(middle, Frames.Rgb(frame, Stride, x, y + d));
            if (d == 0) continue;
            foreach (int side in new[] { -1, 1 })
            {
                Assert.Equal(TestPatternRenderer.MarkerOutline, Frames.Rgb(frame, Stride, x + d, y + side));
                Assert.Equal(TestPatternRenderer.MarkerOutline, Frames.Rgb(frame, Stride, x + side, y + d));
            }
        }
    }

    [Theory]
    [InlineData(200, 300)]
    [InlineData(900, 700)]
    public void Testpattern_marks_a_click_exactly_where_it_lands(int x, int y)
    {
        var r = WorkloadRenderers.Create(WorkloadRenderers.TestPattern, W, H);
        var without = Render(r);
        new InputFeed(W, H).Send(r, Click(x, y));
        var with = Render(r);
        AssertMarker(with, x, y, TestPatternRenderer.ClickMarkerColor);
        // Nothing else changed: every difference is inside the marker's cross.
        foreach (var (px, py) in Differences(without, with))
            Assert.True(Math.Abs(px - x) <= 1 && Math.Abs(py - y) <= TestPatternRenderer.MarkerArm
                || Math.Abs(py - y) <= 1 && Math.Abs(px - x) <= TestPatternRenderer.MarkerArm, $"({px},{py}) changed");
    }

    [Fact]
    public void Testpattern_marks_each_touch_contact_where_it_goes_down_and_keeps_the_last_few()
    {
        var r = (TestPatternRenderer)WorkloadRenderers.Create(WorkloadRenderers.TestPattern, W, H);
        var feed = new InputFeed(W, H);
        feed.Send(r, XenkbdMtouch.Down(0, 100, 400), XenkbdMtouch.Down(1, 300, 420), XenkbdMtouch.Motion(0, 500, 500), XenkbdMtouch.Up(0));
        var frame = Render(r);
        AssertMarker(frame, 100, 400, TestPatternRenderer.TouchMarkerColor);
        AssertMarker(frame, 300, 420, TestPatternRenderer.TouchMarkerColor);
        Assert.NotEqual(TestPatternRenderer.TouchMarkerColor, Frames.Rgb(frame, Stride, 500, 500));

        var plain = Render(WorkloadRenderers.Create(WorkloadRenderers.TestPattern, W, H));
        for (int i = 0; i < TestPatternRenderer.MaxMarkers - 1; i++)
            feed.Send(r, Click(40 + 50 * i, 600));
        frame = Render(r);
        // The first marker was the oldest of MaxMarkers + 1: it is gone, the second is still there.
        Assert.Equal(Frames.Rgb(plain, Stride, 100, 400), Frames.Rgb(frame, Stride, 100, 400));
        AssertMarker(frame, 300, 420, TestPatternRenderer.TouchMarkerColor);
        Assert.Equal(TestPatternRenderer.MaxMarkers, r.Markers.Count);
    }

    // ---- motion ----

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(-2)]
    public void Motion_wheel_shifts_the_pattern_by_a_fixed_number_of_rows_per_notch(int notches)
    {
        var r = WorkloadRenderers.Create(WorkloadRenderers.Motion, W, H);
        var before = Render(r);
        new InputFeed(W, H).Send(r, new XenkbdPosition(10, 10, notches));
        var after = Render(r);
        int shift = notches * MotionRenderer.WheelPixelsPerNotch;
        for (int y = MeasurementStrip.Height; y < H; y++)
        {
            int from = y + shift;
            if (from < MeasurementStrip.Height || from >= H) continue;
            Assert.True(before.AsSpan(from * Stride, Stride).SequenceEqual(after.AsSpan(y * Stride, Stride)), $"row {y} is not row {from} of before");
        }
        Assert.False(before.AsSpan(200 * Stride, Stride).SequenceEqual(after.AsSpan(200 * Stride, Stride)));
    }
}
