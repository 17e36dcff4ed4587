using XenDisplayWeb.Shared.Pixels;
using static XenDisplayWeb.Shared.Tests.Pixels.PixelTestHelpers;

namespace XenDisplayWeb.Shared.Tests.Pixels;

public class YuyvTests
{
    // (Y, U, V) -> expected (R, G, B), BT.601 limited range, within ±1.
    [Theory]
    [InlineData(16, 128, 128, 0, 0, 0)] // black
    [InlineData(235, 128, 128, 255, 255, 255)] // white
    [InlineData(126, 128, 128, 128, 128, 128)] // mid grey
    [InlineData(82, 90, 240, 255, 0, 0)] // saturated red
    [InlineData(145, 54, 34, 0, 255, 0)] // saturated green
    [InlineData(41, 240, 110, 0, 0, 255)] // saturated blue
    [InlineData(210, 16, 146, 255, 255, 0)] // yellow
    [InlineData(0, 128, 128, 0, 0, 0)] // below black clamps
    [InlineData(255, 128, 128, 255, 255, 255)] // above white clamps
    [InlineData(128, 255, 255, 255, 0, 255)] // extreme chroma clamps
    public void KnownValues(int y, int u, int v, int r, int g, int b)
    {
        byte[] src = [(byte)y, (byte)u, (byte)y, (byte)v];
        byte[] expected = [(byte)r, (byte)g, (byte)b, 255, (byte)r, (byte)g, (byte)b, 255];
        AssertClose(expected, ToRgba(PixelFormat.Yuyv, src), 1);
        AssertClose(SwapRb(expected), ToBgra(PixelFormat.Yuyv, src), 1);
        Assert.Equal(255, ToRgba(PixelFormat.Yuyv, src)[3]);
    }

    [Fact]
    public void PairSharesChromaButNotLuma()
    {
        // Y0 = 16 (black), Y1 = 235 (white), neutral chroma.
        Assert.Equal(new byte[] { 0, 0, 0, 255, 255, 255, 255, 255 }, ToRgba(PixelFormat.Yuyv, [16, 128, 235, 128]));

        // Red chroma applies to both pixels: the darker one is a dark red.
        byte[] rgba = ToRgba(PixelFormat.Yuyv, [82, 90, 50, 240]);
        AssertClose([255, 0, 0, 255], rgba[..4], 1);
        Assert.True(rgba[4] > rgba[5] && rgba[4] > rgba[6], "second pixel should be reddish");
    }

    [Fact]
    public void OddWidthUsesLastPairsFirstLuma()
    {
        // Width 3: one full pair, then Y2 U2 of an incomplete pair; its V lies outside the 6-byte pitch.
        byte[] row = [16, 128, 16, 128, 235, 128];
        var rgba = new byte[12];
        PixelConverter.ToRgba(PixelFormat.Yuyv, row, rgba, 3);
        Assert.Equal(new byte[] { 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 255 }, rgba);

        // Without V (not in the span) chroma is neutral on V: blue-ish U alone.
        PixelConverter.ToRgba(PixelFormat.Yuyv, [16, 128, 16, 128, 41, 240], rgba, 3);
        Assert.True(rgba[10] > 200, "U=240 with neutral V gives strong blue");

        // When the span holds the pair's V it is used (saturated red from Y2 U2 _ V2).
        PixelConverter.ToRgba(PixelFormat.Yuyv, [16, 128, 16, 128, 82, 90, 99, 240], rgba, 3);
        AssertClose([255, 0, 0, 255], rgba[8..], 1);
    }

    [Fact]
    public void FromRgbaEncodesBt601()
    {
        var yuyv = new byte[4];
        PixelConverter.FromRgba(PixelFormat.Yuyv, [255, 0, 0, 255, 255, 0, 0, 255], yuyv, 2);
        Assert.Equal(new byte[] { 82, 90, 82, 240 }, yuyv);

        PixelConverter.FromRgba(PixelFormat.Yuyv, [0, 0, 0, 255, 255, 255, 255, 255], yuyv, 2);
        Assert.Equal(new byte[] { 16, 128, 235, 128 }, yuyv);
    }

    [Fact]
    public void FromRgbaAveragesPairChroma()
    {
        // Red (U 90, V 240) and blue (U 240, V 110): U = 165, V = 175.
        var yuyv = new byte[4];
        PixelConverter.FromRgba(PixelFormat.Yuyv, [255, 0, 0, 255, 0, 0, 255, 255], yuyv, 2);
        Assert.Equal(new byte[] { 82, 165, 41, 175 }, yuyv);
    }

    [Fact]
    public void FromRgbaOddWidthCompletesPairOnlyWithRoom()
    {
        byte[] red = [255, 0, 0, 255];
        var exact = new byte[] { 0xCD, 0xCD };
        PixelConverter.FromRgba(PixelFormat.Yuyv, red, exact, 1);
        Assert.Equal(new byte[] { 82, 90 }, exact);

        var roomy = new byte[] { 0xCD, 0xCD, 0xCD, 0xCD };
        PixelConverter.FromRgba(PixelFormat.Yuyv, red, roomy, 1);
        Assert.Equal(new byte[] { 82, 90, 82, 240 }, roomy);
    }

    [Fact]
    public void UniformPairsRoundTripClosely()
    {
        var rng = new Random(601);
        const int width = 512;
        var rgba = new byte[width * 4];
        for (int i = 0; i < width; i += 2)
        {
            byte r = (byte)rng.Next(256), g = (byte)rng.Next(256), b = (byte)rng.Next(256);
            for (int k = 0; k < 2; k++)
            {
                rgba[(i + k) * 4] = r;
                rgba[(i + k) * 4 + 1] = g;
                rgba[(i + k) * 4 + 2] = b;
                rgba[(i + k) * 4 + 3] = 255;
            }
        }

        var yuyv = new byte[width * 2];
        PixelConverter.FromRgba(PixelFormat.Yuyv, rgba, yuyv, width);
        var back = new byte[width * 4];
        PixelConverter.ToRgba(PixelFormat.Yuyv, yuyv, back, width);
        AssertClose(rgba, back, 3);
    }
}
