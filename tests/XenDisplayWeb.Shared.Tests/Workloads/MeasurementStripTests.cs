using XenDisplayWeb.Shared.Workloads;

namespace XenDisplayWeb.Shared.Tests.Workloads;

public class MeasurementStripTests
{
    public static TheoryData<uint, uint> Values => new()
    {
        { 0u, 0u },
        { 0xFFFFFFFFu, 0xFFFFFFFFu },
        { 0xAAAAAAAAu, 0x55555555u },
        { 0x55555555u, 0xAAAAAAAAu },
        { 1u, 0x80000000u },
        { 123456789u, 987654321u },
    };

    private const int W = 640, H = 480, Stride = W * 4 + 36;

    private static byte[] Stamped(uint seq, uint time, uint input = 0)
    {
        var buf = Frames.NewBuffer(W, H, Stride, (int)(seq ^ time));
        MeasurementStrip.Stamp(new FrameTarget(buf, W, H, Stride), seq, time, input);
        return buf;
    }

    /// <summary>An input seq for each pair of values, unlike both.</summary>
    private static uint InputFor(uint seq, uint time) => ~(seq ^ (time >> 3)) * 0x9E3779B1u;

    /// <summary>Converts an XRGB (B,G,R,X) picture to tightly packed RGBA.</summary>
    private static byte[] ToRgba(byte[] xrgb, int width, int height, int stride)
    {
        var rgba = new byte[width * height * 4];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int s = y * stride + x * 4, d = (y * width + x) * 4;
                rgba[d] = xrgb[s + 2];
                rgba[d + 1] = xrgb[s + 1];
                rgba[d + 2] = xrgb[s];
                rgba[d + 3] = 255;
            }
        }
        return rgba;
    }

    private static void AddNoise(byte[] buf, int amplitude, int seed)
    {
        var rng = new Random(seed);
        for (int i = 0; i < buf.Length; i++)
            buf[i] = (byte)Math.Clamp(buf[i] + rng.Next(-amplitude, amplitude + 1), 0, 255);
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void StampThenReadXrgb(uint seq, uint time)
    {
        var buf = Stamped(seq, time);
        Assert.True(MeasurementStrip.TryRead(buf, W, H, Stride, out uint s, out uint t));
        Assert.Equal(seq, s);
        Assert.Equal(time, t);
        Assert.True(MeasurementStrip.TryRead(new FrameTarget(buf, W, H, Stride), out s, out t));
        Assert.Equal((seq, time), (s, t));
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void StampThenReadRgba(uint seq, uint time)
    {
        var rgba = ToRgba(Stamped(seq, time), W, H, Stride);
        Assert.True(MeasurementStrip.TryReadRgba(rgba, W, H, W * 4, out uint s, out uint t));
        Assert.Equal((seq, time), (s, t));
        Assert.True(MeasurementStrip.TryRead(rgba, W, H, W * 4, StripPixelFormat.Rgba8888, out s, out t));
        Assert.Equal((seq, time), (s, t));
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void StampThenReadAllThreeRows(uint seq, uint time)
    {
        uint input = InputFor(seq, time);
        var buf = Stamped(seq, time, input);
        Assert.True(MeasurementStrip.TryRead(buf, W, H, Stride, StripPixelFormat.Xrgb8888, out uint s, out uint t, out uint i));
        Assert.Equal((seq, time, input), (s, t, i));
        Assert.True(MeasurementStrip.TryRead(new FrameTarget(buf, W, H, Stride), out s, out t, out i));
        Assert.Equal((seq, time, input), (s, t, i));
        Assert.True(MeasurementStrip.TryReadRgba(ToRgba(buf, W, H, Stride), W, H, W * 4, out s, out t, out i));
        Assert.Equal((seq, time, input), (s, t, i));
        // The two-row readers still read rows 0 and 1 of the three-row strip.
        Assert.True(MeasurementStrip.TryRead(buf, W, H, Stride, out s, out t));
        Assert.Equal((seq, time), (s, t));
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void RowTwoIsRobustToNoise(uint seq, uint time)
    {
        uint input = InputFor(seq, time);
        var xrgb = Stamped(seq, time, input);
        var rgba = ToRgba(xrgb, W, H, Stride);
        AddNoise(xrgb, 60, 3);
        AddNoise(rgba, 60, 4);
        Assert.True(MeasurementStrip.TryRead(xrgb, W, H, Stride, StripPixelFormat.Xrgb8888, out uint s, out uint t, out uint i));
        Assert.Equal((seq, time, input), (s, t, i));
        Assert.True(MeasurementStrip.TryReadRgba(rgba, W, H, W * 4, out s, out t, out i));
        Assert.Equal((seq, time, input), (s, t, i));
    }

    [Fact]
    public void StampWithoutInputSeqWritesZeroInRowTwo()
    {
        var buf = Frames.NewBuffer(W, H, Stride, 77);
        MeasurementStrip.Stamp(new FrameTarget(buf, W, H, Stride), 0xFFFFFFFF, 0xFFFFFFFF);
        Assert.True(MeasurementStrip.TryRead(buf, W, H, Stride, StripPixelFormat.Xrgb8888, out _, out _, out uint i));
        Assert.Equal(0u, i);
    }

    [Fact]
    public void MatchesChecksRowTwo()
    {
        var buf = Stamped(5, 6, 7);
        var target = new FrameTarget(buf, W, H, Stride);
        Assert.True(MeasurementStrip.Matches(target, 5, 6, 7));
        Assert.False(MeasurementStrip.Matches(target, 5, 6, 8));
        Assert.False(MeasurementStrip.Matches(target, 5, 6, 0));
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void ReadIsRobustToNoise(uint seq, uint time)
    {
        var xrgb = Stamped(seq, time);
        var rgba = ToRgba(xrgb, W, H, Stride);
        AddNoise(xrgb, 60, 1);
        AddNoise(rgba, 60, 2);
        Assert.True(MeasurementStrip.TryRead(xrgb, W, H, Stride, out uint s, out uint t));
        Assert.Equal((seq, time), (s, t));
        Assert.True(MeasurementStrip.TryReadRgba(rgba, W, H, W * 4, out s, out t));
        Assert.Equal((seq, time), (s, t));
    }

    [Fact]
    public void ReadToleratesBlurredCellEdges()
    {
        // Lossy codecs smear cell edges; only the central 8x8 of each cell is sampled.
        var buf = Stamped(0x0F0F00FF, 0x12345678, 0xC001D00D);
        for (int y = 0; y < MeasurementStrip.Height; y++)
        {
            for (int x = 0; x < MeasurementStrip.Width; x++)
            {
                if (x % 16 is < 4 or >= 12 || y % 16 is < 4 or >= 12)
                    buf.AsSpan(y * Stride + x * 4, 3).Fill(128);
            }
        }
        Assert.True(MeasurementStrip.TryRead(buf, W, H, Stride, StripPixelFormat.Xrgb8888, out uint s, out uint t, out uint i));
        Assert.Equal((0x0F0F00FFu, 0x12345678u, 0xC001D00Du), (s, t, i));
    }

    [Fact]
    public void StripLayoutIsBitPerCellWhiteOrBlack()
    {
        uint seq = 0b1011, time = 0x80000001, input = 0x40000006;
        var buf = Stamped(seq, time, input);
        Assert.Equal((512, 48), (MeasurementStrip.Width, MeasurementStrip.Height));
        for (int i = 0; i < 32; i++)
        {
            for (int band = 0; band < 3; band++)
            {
                uint bits = band switch { 0 => seq, 1 => time, _ => input };
                uint expected = ((bits >> i) & 1) != 0 ? 0xFFFFFFu : 0u;
                foreach ((int dx, int dy) in new[] { (0, 0), (15, 15), (7, 9) })
                    Assert.Equal(expected, Frames.Rgb(buf, Stride, i * 16 + dx, band * 16 + dy));
            }
        }
        var untouched = Frames.NewBuffer(W, H, Stride, (int)(seq ^ time));
        Assert.Equal(Frames.Pixel(untouched, Stride, 512, 0), Frames.Pixel(buf, Stride, 512, 0));
        Assert.Equal(Frames.Pixel(untouched, Stride, 0, 48), Frames.Pixel(buf, Stride, 0, 48));
    }

    [Theory]
    [InlineData(511, 48)]
    [InlineData(512, 47)]
    [InlineData(512, 32)]
    public void ThreeRowReadIsFalseWithoutRoomForRowTwo(int width, int height)
    {
        var buf = new byte[width * height * 4];
        Assert.False(MeasurementStrip.TryRead(buf, width, height, width * 4, StripPixelFormat.Xrgb8888, out _, out _, out _));
        Assert.False(MeasurementStrip.TryReadRgba(buf, width, height, width * 4, out _, out _, out _));
    }

    [Theory]
    [InlineData(511, 32)]
    [InlineData(512, 31)]
    [InlineData(100, 100)]
    [InlineData(1, 1)]
    [InlineData(0, 0)]
    public void TryReadIsFalseForTinyFrames(int width, int height)
    {
        var buf = new byte[Math.Max(1, width * height * 4)];
        Assert.False(MeasurementStrip.TryRead(buf, width, height, width * 4, out _, out _));
        Assert.False(MeasurementStrip.TryReadRgba(buf, width, height, width * 4, out _, out _));
    }

    [Fact]
    public void TryReadWorksAtExactlyStripSize()
    {
        var buf = Frames.NewBuffer(512, 48, 2048, 3);
        MeasurementStrip.Stamp(new FrameTarget(buf, 512, 48, 2048), 42, 4242, 424242);
        Assert.True(MeasurementStrip.TryRead(buf, 512, 48, 2048, StripPixelFormat.Xrgb8888, out uint s, out uint t, out uint i));
        Assert.Equal((42u, 4242u, 424242u), (s, t, i));
        // A picture only as high as rows 0 and 1 is still read by the two-row readers.
        Assert.True(MeasurementStrip.TryRead(buf, 512, 32, 2048, out s, out t));
        Assert.Equal((42u, 4242u), (s, t));
    }

    [Fact]
    public void TryReadRejectsBadGeometry()
    {
        var buf = new byte[1000];
        Assert.Throws<ArgumentOutOfRangeException>(() => MeasurementStrip.TryRead(buf, 600, 40, 100, out _, out _));
        Assert.Throws<ArgumentException>(() => MeasurementStrip.TryRead(buf, 600, 40, 2400, out _, out _));
    }

    [Fact]
    public void StampClipsToSmallFrames()
    {
        const int w = 100, h = 20, stride = 512;
        var buf = Frames.NewBuffer(w, h, stride, 5);
        var before = (byte[])buf.Clone();
        MeasurementStrip.Stamp(new FrameTarget(buf, w, h, stride), 0xFFFFFFFF, 0);
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
                Assert.Equal(y < 16 ? 0xFFFFFFu : 0u, Frames.Rgb(buf, stride, x, y));
            // Stride padding beyond the frame is untouched.
            Assert.True(buf.AsSpan(y * stride + w * 4, Math.Min(stride - w * 4, buf.Length - (y * stride + w * 4)))
                .SequenceEqual(before.AsSpan(y * stride + w * 4, Math.Min(stride - w * 4, buf.Length - (y * stride + w * 4)))));
        }
    }

    [Fact]
    public void FlipTimeFromLow32WithoutWrap()
    {
        long now = Frames.BaseTimeMs + 123_456;
        Assert.Equal(now, MeasurementStrip.FlipTimeMsFromLow32(unchecked((uint)now), now));
        Assert.Equal(now - 5_000, MeasurementStrip.FlipTimeMsFromLow32(unchecked((uint)(now - 5_000)), now));
        Assert.Equal(now + 2_000, MeasurementStrip.FlipTimeMsFromLow32(unchecked((uint)(now + 2_000)), now));
    }

    [Fact]
    public void FlipTimeFromLow32AcrossWrap()
    {
        long wrap = 410L << 32; // a 2^32 boundary in the 2020s
        // Flip just before the wrap, observed just after it.
        long flip = wrap - 900, now = wrap + 100;
        Assert.Equal(flip, MeasurementStrip.FlipTimeMsFromLow32(unchecked((uint)flip), now));
        // Observer clock slightly behind the guest's: flip just after the wrap, now just before.
        flip = wrap + 200;
        now = wrap - 100;
        Assert.Equal(flip, MeasurementStrip.FlipTimeMsFromLow32(unchecked((uint)flip), now));
    }

    [Fact]
    public void FlipTimeFromLow32IsNearestForRandomOffsets()
    {
        var rng = new Random(9);
        for (int i = 0; i < 10_000; i++)
        {
            long now = Frames.BaseTimeMs + rng.NextInt64(0, 1L << 40);
            long flip = now + rng.NextInt64(-(1L << 31) + 1, 1L << 31);
            Assert.Equal(flip, MeasurementStrip.FlipTimeMsFromLow32(unchecked((uint)flip), now));
        }
    }
}
