using XenDisplayWeb.EndToEnd.Screen;
using XenDisplayWeb.Shared.Workloads;

namespace XenDisplayWeb.EndToEnd;

/// <summary>The screen reader reads all three rows of the strip off a capture, at 1:1 and scaled (no browser needed).</summary>
public class StripSamplerTests
{
    /// <summary>A guest frame stamped with the three values, as an RGBA capture drawn at <paramref name="scale"/> (nearest neighbour) at (left, top).</summary>
    private static (byte[] Rgba, int Width, int Height) Capture(uint frame, uint flip, uint input, double scale, int left, int top)
    {
        const int w = 640, h = 120;
        var xrgb = new byte[w * h * 4];
        Array.Fill(xrgb, (byte)0x80);
        MeasurementStrip.Stamp(new FrameTarget(xrgb, w, h, w * 4), frame, flip, input);
        int cw = left + (int)(w * scale), ch = top + (int)(h * scale);
        var rgba = new byte[cw * ch * 4];
        for (int y = top; y < ch; y++)
            for (int x = left; x < cw; x++)
            {
                int s = ((int)((y - top) / scale) * w + (int)((x - left) / scale)) * 4, d = (y * cw + x) * 4;
                (rgba[d], rgba[d + 1], rgba[d + 2], rgba[d + 3]) = (xrgb[s + 2], xrgb[s + 1], xrgb[s], 255);
            }
        return (rgba, cw, ch);
    }

    [Theory]
    [InlineData(1.0, 0, 0)]
    [InlineData(0.75, 3, 10)]
    [InlineData(1.5, 20, 0)]
    public void Reads_the_frame_the_flip_time_and_the_input_seq(double scale, int left, int top)
    {
        var (rgba, w, h) = Capture(0xDEADBEEF, 0x12345678, 0x8000_0301, scale, left, top);
        Assert.True(StripSampler.TryRead(rgba, w, h, left, top, scale, out uint frame, out uint flip, out uint input));
        Assert.Equal((0xDEADBEEFu, 0x12345678u, 0x8000_0301u), (frame, flip, input));
        Assert.True(StripSampler.TryRead(rgba, w, h, left, top, scale, out frame, out flip));
        Assert.Equal((0xDEADBEEFu, 0x12345678u), (frame, flip));
    }

    [Fact]
    public void A_capture_cut_above_row_two_reads_rows_0_and_1_only()
    {
        var (rgba, w, _) = Capture(7, 8, 9, 1.0, 0, 0);
        Assert.True(StripSampler.TryRead(rgba, w, 40, 0, 0, 1.0, out uint frame, out uint flip));
        Assert.Equal((7u, 8u), (frame, flip));
        Assert.False(StripSampler.TryRead(rgba, w, 40, 0, 0, 1.0, out _, out _, out _));
    }
}
