using System.Diagnostics;
using Xunit.Abstractions;
using XenDisplayWeb.Shared.Workloads;

namespace XenDisplayWeb.Shared.Tests.Workloads;

public class WorkloadRendererTests(ITestOutputHelper output)
{
    public static TheoryData<string> AllNames => new(WorkloadRenderers.Names);

    public static TheoryData<string, int, int> NamesAndBigSizes
    {
        get
        {
            var d = new TheoryData<string, int, int>();
            foreach (var n in WorkloadRenderers.Names)
            {
                d.Add(n, 1920, 1080);
                d.Add(n, 1024, 768);
            }
            return d;
        }
    }

    public static TheoryData<string, int, int> NamesAndOddSizes
    {
        get
        {
            var d = new TheoryData<string, int, int>();
            foreach (var n in WorkloadRenderers.Names)
            {
                foreach ((int w, int h) in new[] { (1, 1), (7, 5), (33, 17), (513, 33), (64, 1000), (1000, 40) })
                    d.Add(n, w, h);
            }
            return d;
        }
    }

    [Fact]
    public void NamesAreTheThreeWorkloads() =>
        Assert.Equal(["testpattern", "desktop", "motion"], WorkloadRenderers.Names);

    [Theory]
    [InlineData("TestPattern", "testpattern")]
    [InlineData("DESKTOP", "desktop")]
    [InlineData("motion", "motion")]
    public void CreateIsCaseInsensitive(string given, string name) =>
        Assert.Equal(name, WorkloadRenderers.Create(given, 64, 48).Name);

    [Fact]
    public void CreateRejectsUnknownNameListingValidOnes()
    {
        var ex = Assert.Throws<ArgumentException>(() => WorkloadRenderers.Create("spinning-cube", 64, 48));
        foreach (var n in WorkloadRenderers.Names)
            Assert.Contains(n, ex.Message);
    }

    [Fact]
    public void CreateRejectsBadSize()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkloadRenderers.Create("motion", 0, 48));
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkloadRenderers.Create("motion", 64, -1));
    }

    [Theory]
    [MemberData(nameof(AllNames))]
    public void RenderRejectsTargetOfAnotherSize(string name)
    {
        var r = WorkloadRenderers.Create(name, 64, 48);
        var buf = new byte[65 * 48 * 4];
        Assert.Throws<ArgumentException>(() => r.Render(new FrameTarget(buf, 65, 48, 65 * 4), 0, 0));
    }

    [Fact]
    public void FrameTargetValidatesGeometry()
    {
        var buf = new byte[100 * 10 * 4];
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameTarget(buf, 100, 10, 399));
        Assert.Throws<ArgumentException>(() => new FrameTarget(buf, 100, 11, 400));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameTarget(buf, 0, 10, 400));
        var t = new FrameTarget(buf, 100, 10, 400, 1);
        Assert.Equal((100, 10, 400, 1), (t.Width, t.Height, t.Stride, t.BufferIndex));
    }

    [Theory]
    [MemberData(nameof(NamesAndBigSizes))]
    public void RendersFullSizeFramesWithStrip(string name, int width, int height)
    {
        int stride = width * 4;
        var r = WorkloadRenderers.Create(name, width, height);
        var bufs = new[] { Frames.NewBuffer(width, height, stride, 1), Frames.NewBuffer(width, height, stride, 2) };
        for (uint seq = 0; seq < 4; seq++)
        {
            var buf = bufs[seq % 2];
            r.Render(new FrameTarget(buf, width, height, stride, (int)(seq % 2)), seq, Frames.TimeFor(seq));
            Assert.True(MeasurementStrip.TryRead(buf, width, height, stride, out uint s, out uint t));
            Assert.Equal(seq, s);
            Assert.Equal(unchecked((uint)Frames.TimeFor(seq)), t);
        }
    }

    /// <summary>
    /// Renders frames 0..last in double-buffered order (frame n into buffer n%2) and checks each result equals a
    /// fresh full render of the same frame into a new garbage-filled buffer.
    /// </summary>
    private static void AssertDoubleBufferedMatchesFresh(string name, int width, int height, int stride, uint first, uint last,
        Func<uint, int>? bufferIndexOf = null)
    {
        bufferIndexOf ??= seq => (int)(seq % 2);
        var r = WorkloadRenderers.Create(name, width, height);
        var bufs = new[] { Frames.NewBuffer(width, height, stride, 11), Frames.NewBuffer(width, height, stride, 12) };
        for (long n = first; n <= last; n++)
        {
            uint seq = (uint)n;
            var buf = bufs[seq % 2];
            long time = Frames.TimeFor(seq);
            r.Render(new FrameTarget(buf, width, height, stride, bufferIndexOf(seq)), seq, time);
            var fresh = Frames.Fresh(name, width, height, stride, seq, time);
            var diff = Frames.FirstDifference(buf, fresh, width, height, stride);
            Assert.True(diff is null, $"{name} {width}x{height} frame {seq}: first difference at {diff}");
            Assert.True(MeasurementStrip.TryRead(buf, width, height, stride, out uint s, out _) || width < 512 || height < 32);
            if (width >= 512 && height >= 32)
                Assert.Equal(seq, s);
        }
    }

    [Theory]
    [MemberData(nameof(AllNames))]
    public void DoubleBufferedRenderingEqualsFreshRender(string name) =>
        AssertDoubleBufferedMatchesFresh(name, 640, 480, 640 * 4, 0, 120);

    [Theory]
    [MemberData(nameof(AllNames))]
    public void DoubleBufferedRenderingEqualsFreshRenderWithPaddedStride(string name) =>
        AssertDoubleBufferedMatchesFresh(name, 800, 600, 800 * 4 + 64, 0, 70);

    [Theory]
    [MemberData(nameof(AllNames))]
    public void DoubleBufferedRenderingEqualsFreshRenderAtFullHd(string name) =>
        AssertDoubleBufferedMatchesFresh(name, 1920, 1080, 1920 * 4, 28, 34);

    [Theory]
    [MemberData(nameof(AllNames))]
    public void ConstantBufferIndexIsStillCorrect(string name) =>
        AssertDoubleBufferedMatchesFresh(name, 640, 480, 640 * 4, 0, 64, _ => 0);

    [Theory]
    [MemberData(nameof(AllNames))]
    public void WrongBufferIndexIsStillCorrect(string name) =>
        AssertDoubleBufferedMatchesFresh(name, 640, 480, 640 * 4, 0, 64, seq => (int)(seq / 3 % 2));

    [Theory]
    [MemberData(nameof(AllNames))]
    public void FrameNumbersNearWrapAreCorrect(string name) =>
        AssertDoubleBufferedMatchesFresh(name, 640, 480, 640 * 4, uint.MaxValue - 40, uint.MaxValue);

    [Theory]
    [MemberData(nameof(NamesAndOddSizes))]
    public void OddSizesRenderCorrectly(string name, int width, int height) =>
        AssertDoubleBufferedMatchesFresh(name, width, height, width * 4 + 4, 0, 8);

    [Theory]
    [MemberData(nameof(AllNames))]
    public void SkippedAndOutOfOrderFramesAreCorrect(string name)
    {
        const int w = 640, h = 480, stride = w * 4;
        var r = WorkloadRenderers.Create(name, w, h);
        var bufs = new[] { Frames.NewBuffer(w, h, stride, 1), Frames.NewBuffer(w, h, stride, 2) };
        var rng = new Random(5);
        uint seq = 100;
        for (int i = 0; i < 40; i++)
        {
            seq = (uint)Math.Max(0, (int)seq + rng.Next(-70, 140));
            int b = rng.Next(2);
            r.Render(new FrameTarget(bufs[b], w, h, stride, b), seq, Frames.TimeFor(seq));
            Assert.Null(Frames.FirstDifference(bufs[b], Frames.Fresh(name, w, h, stride, seq, Frames.TimeFor(seq)), w, h, stride));
        }
    }

    [Theory]
    [MemberData(nameof(AllNames))]
    public void BufferOverwrittenBehindTheRenderersBackIsRepaintedFully(string name)
    {
        const int w = 640, h = 480, stride = w * 4;
        var r = WorkloadRenderers.Create(name, w, h);
        var a = Frames.NewBuffer(w, h, stride, 1);
        var b = Frames.NewBuffer(w, h, stride, 2);
        r.Render(new FrameTarget(a, w, h, stride, 0), 0, Frames.TimeFor(0));
        r.Render(new FrameTarget(b, w, h, stride, 1), 1, Frames.TimeFor(1));
        Array.Clear(a); // e.g. the guest reallocated the buffer at the same address
        r.Render(new FrameTarget(a, w, h, stride, 0), 2, Frames.TimeFor(2));
        Assert.Null(Frames.FirstDifference(a, Frames.Fresh(name, w, h, stride, 2, Frames.TimeFor(2)), w, h, stride));
        // The same with garbage in the picture but the strip intact needs Invalidate().
        Frames.Garbage(stride * 100, 3).CopyTo(b, stride * 200);
        r.Invalidate();
        r.Render(new FrameTarget(b, w, h, stride, 1), 3, Frames.TimeFor(3));
        Assert.Null(Frames.FirstDifference(b, Frames.Fresh(name, w, h, stride, 3, Frames.TimeFor(3)), w, h, stride));
    }

    [Theory]
    [InlineData("testpattern")]
    [InlineData("desktop")]
    public void SteadyStateRepaintsOnlyDirtyRegions(string name)
    {
        const int w = 640, h = 480, stride = w * 4;
        var r = (RendererBase)WorkloadRenderers.Create(name, w, h);
        var bufs = new[] { Frames.NewBuffer(w, h, stride, 1), Frames.NewBuffer(w, h, stride, 2) };
        for (uint seq = 0; seq < 50; seq++)
            r.Render(new FrameTarget(bufs[seq % 2], w, h, stride, (int)(seq % 2)), seq, Frames.TimeFor(seq));
        Assert.Equal(2, r.FullRepaints);     // the first frame in each new buffer
        Assert.Equal(48, r.PartialRepaints);
        // A scribbled strip (e.g. buffers swapped behind our back) forces a full repaint.
        bufs[0].AsSpan(8 * stride, 64).Clear();
        r.Render(new FrameTarget(bufs[0], w, h, stride, 0), 50, Frames.TimeFor(50));
        Assert.Equal(3, r.FullRepaints);
        r.Invalidate();
        r.Render(new FrameTarget(bufs[1], w, h, stride, 1), 51, Frames.TimeFor(51));
        Assert.Equal(4, r.FullRepaints);
    }

    [Theory]
    [InlineData(640, 480)]
    [InlineData(1920, 1080)]
    public void DesktopChangesOnlyAFewPercentPerFrame(int width, int height)
    {
        int stride = width * 4;
        var r = WorkloadRenderers.Create("desktop", width, height);
        var bufs = new[] { Frames.NewBuffer(width, height, stride, 1), Frames.NewBuffer(width, height, stride, 2) };
        int total = Frames.PixelsOutsideStrip(width, height);
        double max = 0, sum = 0;
        for (uint seq = 0; seq <= 120; seq++)
        {
            r.Render(new FrameTarget(bufs[seq % 2], width, height, stride, (int)(seq % 2)), seq, Frames.TimeFor(seq));
            if (seq == 0)
                continue;
            int changed = Frames.CountDifferences(bufs[0], bufs[1], width, height, stride);
            Assert.InRange(changed, 1, total / 10 - 1);
            max = Math.Max(max, (double)changed / total);
            sum += (double)changed / total;
        }
        output.WriteLine($"desktop {width}x{height}: {sum / 120:P2} of pixels change per frame on average, at most {max:P2}");
        Assert.InRange(sum / 120, 0.005, 0.06);
    }

    [Fact]
    public void DesktopTypesBlinksAndTicks()
    {
        const int w = 1024, h = 768;
        var d = (DesktopRenderer)WorkloadRenderers.Create("desktop", w, h);
        byte[] Frame(uint seq) => Frames.Fresh("desktop", w, h, w * 4, seq, 0);
        static int Differences(byte[] a, byte[] b, Rect r)
        {
            int n = 0;
            for (int y = r.Y; y < r.Bottom; y++)
                for (int x = r.X; x < r.Right; x++)
                    n += Frames.Pixel(a, w * 4, x, y) != Frames.Pixel(b, w * 4, x, y) ? 1 : 0;
            return n;
        }
        // A glyph is typed every few frames.
        Assert.True(Differences(Frame(0), Frame(40), d.TypingLine) > 0);
        // The cursor blinks: frames 28 and 30 type the same glyphs but are in different blink phases.
        Assert.True(Differences(Frame(28), Frame(30), d.TypingLine) > 0);
        // The clock changes once a second (60 frames).
        Assert.Equal(0, Differences(Frame(60), Frame(119), d.Clock));
        Assert.True(Differences(Frame(119), Frame(120), d.Clock) > 0);
        // The graph scrolls and the video plays every frame.
        Assert.True(Differences(Frame(7), Frame(8), d.Graph) > 0);
        Assert.Equal(d.Video.Width * d.Video.Height, Differences(Frame(7), Frame(8), d.Video));
    }

    [Fact]
    public void MotionChangesEveryPixelOutsideTheStrip()
    {
        const int w = 640, h = 480, stride = w * 4;
        var r = WorkloadRenderers.Create("motion", w, h);
        var bufs = new[] { Frames.NewBuffer(w, h, stride, 1), Frames.NewBuffer(w, h, stride, 2) };
        int total = Frames.PixelsOutsideStrip(w, h);
        foreach (uint seq in new uint[] { 0, 1, 2, 3, 200, 201, 202, 255, 256, 257 })
        {
            r.Render(new FrameTarget(bufs[seq % 2], w, h, stride, (int)(seq % 2)), seq, Frames.TimeFor(seq));
            if (seq is 0 or 200 or 255)
                continue;
            Assert.Equal(total, Frames.CountDifferences(bufs[0], bufs[1], w, h, stride));
        }
    }

    [Fact]
    public void MotionIsNotAFlatColour()
    {
        const int w = 640, h = 480;
        var buf = Frames.Fresh("motion", w, h, w * 4, 10, 0);
        var colours = new HashSet<uint>();
        for (int y = 40; y < h; y += 7)
            for (int x = 0; x < w; x += 5)
                colours.Add(Frames.Rgb(buf, w * 4, x, y));
        Assert.True(colours.Count > 500, $"only {colours.Count} distinct colours");
    }

    [Theory]
    [InlineData(640, 480)]
    [InlineData(1920, 1080)]
    [InlineData(1024, 768)]
    public void TestPatternHasColourBars(int width, int height)
    {
        int stride = width * 4;
        var buf = Frames.Fresh("testpattern", width, height, stride, 17, 0);
        int y = height * 55 / 100;
        uint[] bars = [0xBFBFBF, 0xBFBF00, 0x00BFBF, 0x00BF00, 0xBF00BF, 0xBF0000, 0x0000BF];
        for (int i = 0; i < 7; i++)
            Assert.Equal(bars[i], Frames.Rgb(buf, stride, (2 * i + 1) * width / 14, y));
        // Reverse bars below, white block in the bottom band.
        Assert.Equal(0x0000BFu, Frames.Rgb(buf, stride, width / 14, height * 70 / 100));
        Assert.Equal(0xFFFFFFu, Frames.Rgb(buf, stride, width * 5 / 7 * 3 / 8, height * 90 / 100));
    }

    [Fact]
    public void TestPatternBoxSlides()
    {
        const int w = 640, h = 480, stride = w * 4;
        int size = h / 8, y = h * 2 / 3 / 2;
        var f0 = Frames.Fresh("testpattern", w, h, stride, 0, 0);
        var f50 = Frames.Fresh("testpattern", w, h, stride, 50, 0);
        Assert.Equal(0xFFFFFFu, Frames.Rgb(f0, stride, size / 2, y));
        Assert.NotEqual(0xFFFFFFu, Frames.Rgb(f50, stride, size / 2, y));
        int speed = Math.Max(1, w / 240);
        Assert.Equal(0xFFFFFFu, Frames.Rgb(f50, stride, 50 * speed + size / 2, y));
        // Only the box moves: a small part of the frame differs.
        int changed = Frames.CountDifferences(f0, Frames.Fresh("testpattern", w, h, stride, 1, 0), w, h, stride);
        Assert.InRange(changed, 1, 2 * size * size);
    }

    [Theory]
    [MemberData(nameof(AllNames))]
    public void SteadyStateFrameIsFast(string name)
    {
        // Loose bound (Debug build, shared CI cores); the point is to catch per-pixel overheads.
        const int w = 1920, h = 1080, stride = w * 4;
        var r = WorkloadRenderers.Create(name, w, h);
        var bufs = new[] { new byte[stride * h], new byte[stride * h] };
        double best = double.MaxValue;
        for (uint seq = 0; seq < 24; seq++)
        {
            long t0 = Stopwatch.GetTimestamp();
            r.Render(new FrameTarget(bufs[seq % 2], w, h, stride, (int)(seq % 2)), seq, Frames.TimeFor(seq));
            if (seq >= 2)
                best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }
        output.WriteLine($"{name} 1920x1080: best steady-state frame {best:F3} ms");
        Assert.True(best < 50, $"{name}: {best} ms per frame");
    }
}
