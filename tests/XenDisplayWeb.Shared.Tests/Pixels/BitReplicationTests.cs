using XenDisplayWeb.Shared.Pixels;
using static XenDisplayWeb.Shared.Tests.Pixels.PixelTestHelpers;

namespace XenDisplayWeb.Shared.Tests.Pixels;

public class BitReplicationTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 8)]
    [InlineData(2, 16)]
    [InlineData(15, 123)]
    [InlineData(16, 132)]
    [InlineData(30, 247)]
    [InlineData(31, 255)]
    public void FiveBitChannels(int v, int expected)
    {
        // RGB565 red and blue.
        int p565 = (v << 11) | v;
        byte[] rgba = ToRgba(PixelFormat.Rgb565, [(byte)p565, (byte)(p565 >> 8)]);
        Assert.Equal(expected, rgba[0]);
        Assert.Equal(0, rgba[1]);
        Assert.Equal(expected, rgba[2]);

        // XRGB1555 / ARGB1555 red, green and blue.
        int p1555 = (v << 10) | (v << 5) | v;
        foreach (PixelFormat f in new[] { PixelFormat.Xrgb1555, PixelFormat.Argb1555 })
        {
            rgba = ToRgba(f, [(byte)p1555, (byte)(p1555 >> 8)]);
            Assert.Equal(new byte[] { (byte)expected, (byte)expected, (byte)expected, f == PixelFormat.Xrgb1555 ? (byte)255 : (byte)0 }, rgba);
        }
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 4)]
    [InlineData(2, 8)]
    [InlineData(31, 125)]
    [InlineData(32, 130)]
    [InlineData(62, 251)]
    [InlineData(63, 255)]
    public void SixBitGreen(int v, int expected)
    {
        int p = v << 5;
        Assert.Equal(new byte[] { 0, (byte)expected, 0, 255 }, ToRgba(PixelFormat.Rgb565, [(byte)p, (byte)(p >> 8)]));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 17)]
    [InlineData(7, 119)]
    [InlineData(8, 136)]
    [InlineData(14, 238)]
    [InlineData(15, 255)]
    public void FourBitChannels(int v, int expected)
    {
        int p = (v << 12) | (v << 8) | (v << 4) | v;
        byte e = (byte)expected;
        Assert.Equal(new byte[] { e, e, e, e }, ToRgba(PixelFormat.Argb4444, [(byte)p, (byte)(p >> 8)]));
        Assert.Equal(new byte[] { e, e, e, 255 }, ToRgba(PixelFormat.Xrgb4444, [(byte)p, (byte)(p >> 8)]));
    }

    [Fact]
    public void EveryWordOfEverySixteenBitFormatExpandsByReplicationAndRoundTrips()
    {
        // All 65536 words, one row; checks against an independent per-channel formula and that
        // FromRgba (truncation) inverts the expansion on the meaningful bits.
        var words = new byte[65536 * 2];
        for (int p = 0; p < 65536; p++)
        {
            words[p * 2] = (byte)p;
            words[p * 2 + 1] = (byte)(p >> 8);
        }

        static int Rep(int v, int bits) => (v << (8 - bits)) | (v >> (2 * bits - 8));

        var formats = new (PixelFormat Format, Func<int, (int R, int G, int B, int A)> Decode, int MeaningfulMask)[]
        {
            (PixelFormat.Rgb565, p => (Rep(p >> 11, 5), Rep((p >> 5) & 63, 6), Rep(p & 31, 5), 255), 0xFFFF),
            (PixelFormat.Xrgb1555, p => (Rep((p >> 10) & 31, 5), Rep((p >> 5) & 31, 5), Rep(p & 31, 5), 255), 0x7FFF),
            (PixelFormat.Argb1555, p => (Rep((p >> 10) & 31, 5), Rep((p >> 5) & 31, 5), Rep(p & 31, 5), (p >> 15) * 255), 0xFFFF),
            (PixelFormat.Xrgb4444, p => (((p >> 8) & 15) * 17, ((p >> 4) & 15) * 17, (p & 15) * 17, 255), 0x0FFF),
            (PixelFormat.Argb4444, p => (((p >> 8) & 15) * 17, ((p >> 4) & 15) * 17, (p & 15) * 17, (p >> 12) * 17), 0xFFFF),
        };

        foreach (var (format, decode, mask) in formats)
        {
            byte[] rgba = ToRgba(format, words);
            var back = new byte[words.Length];
            PixelConverter.FromRgba(format, rgba, back, 65536);
            for (int p = 0; p < 65536; p++)
            {
                var (r, g, b, a) = decode(p);
                if (rgba[p * 4] != r || rgba[p * 4 + 1] != g || rgba[p * 4 + 2] != b || rgba[p * 4 + 3] != a)
                {
                    Assert.Fail($"{format} word 0x{p:X4}: expected ({r},{g},{b},{a}), got ({rgba[p * 4]},{rgba[p * 4 + 1]},{rgba[p * 4 + 2]},{rgba[p * 4 + 3]})");
                }

                int roundTrip = back[p * 2] | (back[p * 2 + 1] << 8);
                Assert.True((roundTrip & mask) == (p & mask), $"{format} word 0x{p:X4} came back as 0x{roundTrip:X4}");
            }
        }
    }
}
