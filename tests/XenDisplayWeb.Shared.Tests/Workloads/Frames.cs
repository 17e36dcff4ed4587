using XenDisplayWeb.Shared.Workloads;

namespace XenDisplayWeb.Shared.Tests.Workloads;

/// <summary>Test helpers for XRGB8888 frame buffers.</summary>
internal static class Frames
{
    public const long BaseTimeMs = 1_760_000_000_000;

    public static long TimeFor(uint seq) => BaseTimeMs + seq * 16L + seq % 3;

    public static byte[] Garbage(int length, int seed)
    {
        var buf = new byte[length];
        new Random(seed).NextBytes(buf);
        return buf;
    }

    public static byte[] NewBuffer(int width, int height, int stride, int seed) =>
        Garbage((int)FrameTarget.RequiredLength(width, height, stride), seed);

    /// <summary>A full render of one frame by a new renderer into a new garbage-filled buffer.</summary>
    public static byte[] Fresh(string name, int width, int height, int stride, uint seq, long timeMs)
    {
        var buf = NewBuffer(width, height, stride, unchecked((int)seq * 7919 + 17));
        var r = WorkloadRenderers.Create(name, width, height);
        r.Render(new FrameTarget(buf, width, height, stride), seq, timeMs);
        return buf;
    }

    /// <summary>The pixel (B,G,R,X word) at (x, y).</summary>
    public static uint Pixel(byte[] buf, int stride, int x, int y) => BitConverter.ToUInt32(buf, y * stride + x * 4);

    /// <summary>0xRRGGBB of the pixel at (x, y).</summary>
    public static uint Rgb(byte[] buf, int stride, int x, int y)
    {
        int o = y * stride + x * 4;
        return (uint)(buf[o + 2] << 16 | buf[o + 1] << 8 | buf[o]);
    }

    /// <summary>Index of the first differing pixel in the visible frame (ignoring stride padding), or null.</summary>
    public static (int X, int Y)? FirstDifference(byte[] a, byte[] b, int width, int height, int stride)
    {
        for (int y = 0; y < height; y++)
        {
            var ra = a.AsSpan(y * stride, width * 4);
            var rb = b.AsSpan(y * stride, width * 4);
            if (!ra.SequenceEqual(rb))
            {
                for (int x = 0; x < width; x++)
                {
                    if (!ra.Slice(x * 4, 4).SequenceEqual(rb.Slice(x * 4, 4)))
                        return (x, y);
                }
            }
        }
        return null;
    }

    /// <summary>Differing pixels outside the measurement strip.</summary>
    public static int CountDifferences(byte[] a, byte[] b, int width, int height, int stride)
    {
        int n = 0;
        for (int y = 0; y < height; y++)
        {
            var ra = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(a.AsSpan(y * stride, width * 4));
            var rb = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(b.AsSpan(y * stride, width * 4));
            int x0 = y < MeasurementStrip.Height ? Math.Min(width, MeasurementStrip.Width) : 0;
            for (int x = x0; x < width; x++)
            {
                if (ra[x] != rb[x])
                    n++;
            }
        }
        return n;
    }

    public static int PixelsOutsideStrip(int width, int height) =>
        width * height - Math.Min(width, MeasurementStrip.Width) * Math.Min(height, MeasurementStrip.Height);
}
