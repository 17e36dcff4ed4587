using XenDisplayWeb.Shared.Pixels;
using static XenDisplayWeb.Shared.Tests.Pixels.PixelTestHelpers;

namespace XenDisplayWeb.Shared.Tests.Pixels;

public class KnownPixelTests
{
    /// <summary>
    /// (format, packed bytes, expected RGBA, canonical). Canonical cases are what FromRgba writes for
    /// that RGBA (X bits as ones), so they round-trip byte for byte.
    /// </summary>
    public static TheoryData<PixelFormat, byte[], byte[], bool> Cases => new()
    {
        // RGB565: u16 little-endian, R(15..11) G(10..5) B(4..0).
        { PixelFormat.Rgb565, [0x00, 0xF8], [255, 0, 0, 255], true },
        { PixelFormat.Rgb565, [0xE0, 0x07], [0, 255, 0, 255], true },
        { PixelFormat.Rgb565, [0x1F, 0x00], [0, 0, 255, 255], true },
        { PixelFormat.Rgb565, [0xFF, 0xFF], [255, 255, 255, 255], true },
        { PixelFormat.Rgb565, [0x00, 0x00], [0, 0, 0, 255], true },
        { PixelFormat.Rgb565, [0x10, 0x84], [132, 130, 132, 255], true }, // R=16 G=32 B=16
        { PixelFormat.Rgb565, [0x21, 0x08], [8, 4, 8, 255], true }, // R=1 G=1 B=1

        // RGB888: bytes B, G, R.
        { PixelFormat.Rgb888, [0x00, 0x00, 0xFF], [255, 0, 0, 255], true },
        { PixelFormat.Rgb888, [0x00, 0xFF, 0x00], [0, 255, 0, 255], true },
        { PixelFormat.Rgb888, [0xFF, 0x00, 0x00], [0, 0, 255, 255], true },
        { PixelFormat.Rgb888, [0xFF, 0xFF, 0xFF], [255, 255, 255, 255], true },
        { PixelFormat.Rgb888, [0x00, 0x00, 0x00], [0, 0, 0, 255], true },
        { PixelFormat.Rgb888, [0x80, 0x80, 0x80], [128, 128, 128, 255], true },
        { PixelFormat.Rgb888, [0x12, 0x34, 0x56], [0x56, 0x34, 0x12, 255], true },

        // XRGB8888: bytes B, G, R, X; X ignored.
        { PixelFormat.Xrgb8888, [0x00, 0x00, 0xFF, 0xFF], [255, 0, 0, 255], true },
        { PixelFormat.Xrgb8888, [0x00, 0xFF, 0x00, 0xFF], [0, 255, 0, 255], true },
        { PixelFormat.Xrgb8888, [0xFF, 0x00, 0x00, 0xFF], [0, 0, 255, 255], true },
        { PixelFormat.Xrgb8888, [0xFF, 0xFF, 0xFF, 0xFF], [255, 255, 255, 255], true },
        { PixelFormat.Xrgb8888, [0x00, 0x00, 0x00, 0xFF], [0, 0, 0, 255], true },
        { PixelFormat.Xrgb8888, [0x80, 0x80, 0x80, 0xFF], [128, 128, 128, 255], true },
        { PixelFormat.Xrgb8888, [0x12, 0x34, 0x56, 0x00], [0x56, 0x34, 0x12, 255], false },
        { PixelFormat.Xrgb8888, [0x00, 0x00, 0xFF, 0x42], [255, 0, 0, 255], false },

        // ARGB8888: bytes B, G, R, A.
        { PixelFormat.Argb8888, [0x00, 0x00, 0xFF, 0xFF], [255, 0, 0, 255], true },
        { PixelFormat.Argb8888, [0x00, 0xFF, 0x00, 0xFF], [0, 255, 0, 255], true },
        { PixelFormat.Argb8888, [0xFF, 0x00, 0x00, 0xFF], [0, 0, 255, 255], true },
        { PixelFormat.Argb8888, [0xFF, 0xFF, 0xFF, 0xFF], [255, 255, 255, 255], true },
        { PixelFormat.Argb8888, [0x80, 0x80, 0x80, 0xFF], [128, 128, 128, 255], true },
        { PixelFormat.Argb8888, [0x00, 0x00, 0xFF, 0x80], [255, 0, 0, 128], true },
        { PixelFormat.Argb8888, [0x00, 0x00, 0x00, 0x00], [0, 0, 0, 0], true },
        { PixelFormat.Argb8888, [0x12, 0x34, 0x56, 0x78], [0x56, 0x34, 0x12, 0x78], true },

        // XRGB4444: u16 X(15..12) R(11..8) G(7..4) B(3..0).
        { PixelFormat.Xrgb4444, [0x00, 0xFF], [255, 0, 0, 255], true },
        { PixelFormat.Xrgb4444, [0xF0, 0xF0], [0, 255, 0, 255], true },
        { PixelFormat.Xrgb4444, [0x0F, 0xF0], [0, 0, 255, 255], true },
        { PixelFormat.Xrgb4444, [0xFF, 0xFF], [255, 255, 255, 255], true },
        { PixelFormat.Xrgb4444, [0x00, 0xF0], [0, 0, 0, 255], true },
        { PixelFormat.Xrgb4444, [0x88, 0xF8], [136, 136, 136, 255], true },
        { PixelFormat.Xrgb4444, [0x00, 0x0F], [255, 0, 0, 255], false },
        { PixelFormat.Xrgb4444, [0x21, 0x03], [51, 34, 17, 255], false },

        // ARGB4444: u16 A(15..12) R(11..8) G(7..4) B(3..0).
        { PixelFormat.Argb4444, [0x00, 0xFF], [255, 0, 0, 255], true },
        { PixelFormat.Argb4444, [0xF0, 0xF0], [0, 255, 0, 255], true },
        { PixelFormat.Argb4444, [0x0F, 0xF0], [0, 0, 255, 255], true },
        { PixelFormat.Argb4444, [0xFF, 0xFF], [255, 255, 255, 255], true },
        { PixelFormat.Argb4444, [0x88, 0xF8], [136, 136, 136, 255], true },
        { PixelFormat.Argb4444, [0x00, 0x8F], [255, 0, 0, 136], true },
        { PixelFormat.Argb4444, [0x00, 0x0F], [255, 0, 0, 0], true },
        { PixelFormat.Argb4444, [0x00, 0x00], [0, 0, 0, 0], true },

        // XRGB1555: u16 X(15) R(14..10) G(9..5) B(4..0).
        { PixelFormat.Xrgb1555, [0x00, 0xFC], [255, 0, 0, 255], true },
        { PixelFormat.Xrgb1555, [0xE0, 0x83], [0, 255, 0, 255], true },
        { PixelFormat.Xrgb1555, [0x1F, 0x80], [0, 0, 255, 255], true },
        { PixelFormat.Xrgb1555, [0xFF, 0xFF], [255, 255, 255, 255], true },
        { PixelFormat.Xrgb1555, [0x00, 0x80], [0, 0, 0, 255], true },
        { PixelFormat.Xrgb1555, [0x10, 0xC2], [132, 132, 132, 255], true }, // R=G=B=16
        { PixelFormat.Xrgb1555, [0x00, 0x7C], [255, 0, 0, 255], false },

        // ARGB1555: u16 A(15) R(14..10) G(9..5) B(4..0).
        { PixelFormat.Argb1555, [0x00, 0xFC], [255, 0, 0, 255], true },
        { PixelFormat.Argb1555, [0xE0, 0x83], [0, 255, 0, 255], true },
        { PixelFormat.Argb1555, [0x1F, 0x80], [0, 0, 255, 255], true },
        { PixelFormat.Argb1555, [0xFF, 0xFF], [255, 255, 255, 255], true },
        { PixelFormat.Argb1555, [0x10, 0xC2], [132, 132, 132, 255], true },
        { PixelFormat.Argb1555, [0x00, 0x7C], [255, 0, 0, 0], true },
        { PixelFormat.Argb1555, [0xFF, 0x7F], [255, 255, 255, 0], true },
        { PixelFormat.Argb1555, [0x00, 0x00], [0, 0, 0, 0], true },

        // YUYV: Y0 U Y1 V; values whose BT.601 limited-range decode is exact.
        { PixelFormat.Yuyv, [16, 128, 16, 128], [0, 0, 0, 255, 0, 0, 0, 255], true },
        { PixelFormat.Yuyv, [235, 128, 235, 128], [255, 255, 255, 255, 255, 255, 255, 255], true },
        { PixelFormat.Yuyv, [16, 128, 235, 128], [0, 0, 0, 255, 255, 255, 255, 255], false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ToRgbaGivesExactPixels(PixelFormat format, byte[] src, byte[] rgba, bool canonical)
    {
        _ = canonical;
        Assert.Equal(rgba, ToRgba(format, src));
        var scalar = new byte[rgba.Length];
        ScalarPixelConverter.ToRgba(format, src, scalar, PixelsIn(format, src.Length));
        Assert.Equal(rgba, scalar);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ToBgraGivesExactPixels(PixelFormat format, byte[] src, byte[] rgba, bool canonical)
    {
        _ = canonical;
        Assert.Equal(SwapRb(rgba), ToBgra(format, src));
        var scalar = new byte[rgba.Length];
        ScalarPixelConverter.ToBgra(format, src, scalar, PixelsIn(format, src.Length));
        Assert.Equal(SwapRb(rgba), scalar);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void FromRgbaRoundTripsCanonicalPixels(PixelFormat format, byte[] src, byte[] rgba, bool canonical)
    {
        if (!canonical)
        {
            return;
        }

        var packed = new byte[src.Length];
        PixelConverter.FromRgba(format, rgba, packed, PixelsIn(format, src.Length));
        Assert.Equal(src, packed);
    }

    [Fact]
    public void CasesCoverEveryFormat()
    {
        var covered = Cases.Select(row => (PixelFormat)row[0]).ToHashSet();
        Assert.Equal(PixelFormats.All.ToHashSet(), covered);
    }

    [Fact]
    public void ManyPixelsInOneRowAreConvertedIndependently()
    {
        // A row long enough to hit the vector paths with distinct pixels in each lane.
        foreach (PixelFormat format in PixelFormats.All)
        {
            const int width = 40;
            var rgba = new byte[width * 4];
            for (int i = 0; i < width; i++)
            {
                // Colours exactly representable in every RGB format (0 or 255 per channel).
                rgba[i * 4] = (byte)((i & 1) != 0 ? 255 : 0);
                rgba[i * 4 + 1] = (byte)((i & 2) != 0 ? 255 : 0);
                rgba[i * 4 + 2] = (byte)((i & 4) != 0 ? 255 : 0);
                rgba[i * 4 + 3] = PixelFormats.HasAlpha(format) && (i & 8) != 0 ? (byte)0 : (byte)255;
            }

            if (format == PixelFormat.Yuyv)
            {
                continue; // chroma is shared per pair; covered by YuyvTests
            }

            var packed = new byte[PixelFormats.MinPitch(format, width)];
            PixelConverter.FromRgba(format, rgba, packed, width);
            Assert.Equal(rgba, ToRgba(format, packed));
            Assert.Equal(SwapRb(rgba), ToBgra(format, packed));
        }
    }

    [Theory]
    [MemberData(nameof(AllFormats), MemberType = typeof(PixelTestHelpers))]
    public void ZeroWidthIsANoOp(PixelFormat format)
    {
        PixelConverter.ToRgba(format, ReadOnlySpan<byte>.Empty, Span<byte>.Empty, 0);
        PixelConverter.ToBgra(format, ReadOnlySpan<byte>.Empty, Span<byte>.Empty, 0);
        PixelConverter.FromRgba(format, ReadOnlySpan<byte>.Empty, Span<byte>.Empty, 0);
    }

    [Theory]
    [MemberData(nameof(AllFormats), MemberType = typeof(PixelTestHelpers))]
    public void ShortSpansAreRejected(PixelFormat format)
    {
        int pitch = PixelFormats.MinPitch(format, 8);
        Assert.Throws<ArgumentException>(() => PixelConverter.ToRgba(format, new byte[pitch - 1], new byte[32], 8));
        Assert.Throws<ArgumentException>(() => PixelConverter.ToBgra(format, new byte[pitch], new byte[31], 8));
        Assert.Throws<ArgumentException>(() => PixelConverter.FromRgba(format, new byte[31], new byte[pitch], 8));
        Assert.Throws<ArgumentException>(() => PixelConverter.FromRgba(format, new byte[32], new byte[pitch - 1], 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => PixelConverter.ToRgba(format, new byte[pitch], new byte[32], -1));
    }

    [Fact]
    public void UnknownFormatIsRejected()
    {
        var buf = new byte[64];
        Assert.Throws<ArgumentOutOfRangeException>(() => PixelConverter.ToRgba((PixelFormat)0x3231564E, buf, buf.AsSpan(), 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PixelConverter.FromRgba(default, buf, new byte[64], 1));
    }
}
