using XenDisplayWeb.Shared.Pixels;

namespace XenDisplayWeb.Shared.Tests.Pixels;

internal static class PixelTestHelpers
{
    /// <summary>Number of pixels held by a packed row of <paramref name="bytes"/> bytes.</summary>
    public static int PixelsIn(PixelFormat format, int bytes) => bytes * 8 / PixelFormats.BitsPerPixel(format);

    public static byte[] ToRgba(PixelFormat format, byte[] src)
    {
        int width = PixelsIn(format, src.Length);
        var dst = new byte[width * 4];
        PixelConverter.ToRgba(format, src, dst, width);
        return dst;
    }

    public static byte[] ToBgra(PixelFormat format, byte[] src)
    {
        int width = PixelsIn(format, src.Length);
        var dst = new byte[width * 4];
        PixelConverter.ToBgra(format, src, dst, width);
        return dst;
    }

    /// <summary>Swaps bytes 0 and 2 of every 4-byte pixel (RGBA &lt;-&gt; BGRA).</summary>
    public static byte[] SwapRb(byte[] px)
    {
        var r = (byte[])px.Clone();
        for (int i = 0; i + 3 < r.Length; i += 4)
        {
            (r[i], r[i + 2]) = (r[i + 2], r[i]);
        }

        return r;
    }

    public static byte[] RandomBytes(Random rng, int length)
    {
        var b = new byte[length];
        rng.NextBytes(b);
        return b;
    }

    public static void AssertClose(byte[] expected, byte[] actual, int tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (Math.Abs(expected[i] - actual[i]) > tolerance)
            {
                Assert.Fail($"Byte {i}: expected {expected[i]}±{tolerance}, got {actual[i]} " +
                            $"(expected [{string.Join(",", expected)}], actual [{string.Join(",", actual)}])");
            }
        }
    }

    public static TheoryData<PixelFormat> AllFormats()
    {
        var data = new TheoryData<PixelFormat>();
        foreach (PixelFormat f in PixelFormats.All)
        {
            data.Add(f);
        }

        return data;
    }
}
