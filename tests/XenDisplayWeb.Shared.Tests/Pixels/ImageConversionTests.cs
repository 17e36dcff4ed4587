using XenDisplayWeb.Shared.Pixels;
using static XenDisplayWeb.Shared.Tests.Pixels.PixelTestHelpers;

namespace XenDisplayWeb.Shared.Tests.Pixels;

public class ImageConversionTests
{
    private const byte Pad = 0xCD;

    public static TheoryData<PixelFormat, int, int, int, int> Geometries()
    {
        var data = new TheoryData<PixelFormat, int, int, int, int>();
        foreach (PixelFormat f in PixelFormats.All)
        {
            // (width, height, extra source stride bytes, extra destination stride bytes)
            data.Add(f, 5, 4, 3, 7); // odd strides
            data.Add(f, 37, 3, 1, 1);
            data.Add(f, 64, 2, 0, 12);
            data.Add(f, 16, 5, 17, 0);
            data.Add(f, 33, 3, 0, 0); // tightly packed
            data.Add(f, 40, 4, 0, 0); // tightly packed, even width
            data.Add(f, 1, 1, 0, 0);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void ImageEqualsRowByRowAndLeavesPaddingUntouched(PixelFormat format, int width, int height, int srcExtra, int dstExtra)
    {
        var rng = new Random(width * 31 + height);
        int pitch = PixelFormats.MinPitch(format, width);
        int srcStride = pitch + srcExtra;
        int dstStride = width * 4 + dstExtra;

        // The source's last row ends at its pitch, as a guest framebuffer may.
        byte[] src = RandomBytes(rng, (height - 1) * srcStride + pitch);

        foreach (bool bgra in new[] { false, true })
        {
            var dst = new byte[(height - 1) * dstStride + width * 4 + 9];
            dst.AsSpan().Fill(Pad);
            if (bgra)
            {
                PixelConverter.ToBgra(format, src, srcStride, dst, dstStride, width, height);
            }
            else
            {
                PixelConverter.ToRgba(format, src, srcStride, dst, dstStride, width, height);
            }

            for (int y = 0; y < height; y++)
            {
                var expectedRow = new byte[width * 4];
                ReadOnlySpan<byte> srcRow = src.AsSpan(y * srcStride, Math.Min(srcStride, src.Length - y * srcStride));
                if (bgra)
                {
                    ScalarPixelConverter.ToBgra(format, srcRow, expectedRow, width);
                }
                else
                {
                    ScalarPixelConverter.ToRgba(format, srcRow, expectedRow, width);
                }

                Assert.Equal(expectedRow, dst.AsSpan(y * dstStride, width * 4).ToArray());
                int padEnd = y == height - 1 ? dst.Length : (y + 1) * dstStride;
                Assert.All(dst[(y * dstStride + width * 4)..padEnd], b => Assert.Equal(Pad, b));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void FromRgbaImageLeavesPaddingUntouched(PixelFormat format, int width, int height, int srcExtra, int dstExtra)
    {
        if (format == PixelFormat.Yuyv && (width & 1) != 0)
        {
            return; // odd-width YUYV deliberately completes the last pair into the row's padding
        }

        var rng = new Random(width + height * 131);
        int srcStride = width * 4 + srcExtra;
        int pitch = PixelFormats.MinPitch(format, width);
        int dstStride = pitch + dstExtra;
        byte[] src = RandomBytes(rng, (height - 1) * srcStride + width * 4);
        var dst = new byte[(height - 1) * dstStride + pitch + 5];
        dst.AsSpan().Fill(Pad);

        PixelConverter.FromRgba(format, src, srcStride, dst, dstStride, width, height);

        for (int y = 0; y < height; y++)
        {
            var expectedRow = new byte[pitch];
            PixelConverter.FromRgba(format, src.AsSpan(y * srcStride, width * 4), expectedRow, width);
            Assert.Equal(expectedRow, dst.AsSpan(y * dstStride, pitch).ToArray());
            int padEnd = y == height - 1 ? dst.Length : (y + 1) * dstStride;
            Assert.All(dst[(y * dstStride + pitch)..padEnd], b => Assert.Equal(Pad, b));
        }
    }

    [Fact]
    public void FullHdXrgb8888FrameConverts()
    {
        const int width = 1920, height = 1080;
        int stride = PixelFormats.MinPitch(PixelFormat.Xrgb8888, width);
        var frame = new byte[stride * height];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int o = y * stride + x * 4;
                frame[o] = (byte)x; // B
                frame[o + 1] = (byte)y; // G
                frame[o + 2] = (byte)(x ^ y); // R
                frame[o + 3] = 0; // X
            }
        }

        var rgba = new byte[width * height * 4];
        var bgra = new byte[width * height * 4];
        PixelConverter.ToRgba(PixelFormat.Xrgb8888, frame, stride, rgba, width * 4, width, height);
        PixelConverter.ToBgra(PixelFormat.Xrgb8888, frame, stride, bgra, width * 4, width, height);

        foreach (var (x, y) in new[] { (0, 0), (1, 0), (1919, 0), (0, 1079), (1919, 1079), (960, 540), (7, 3), (1913, 1077) })
        {
            int o = (y * width + x) * 4;
            Assert.Equal(new byte[] { (byte)(x ^ y), (byte)y, (byte)x, 255 }, rgba[o..(o + 4)]);
            Assert.Equal(new byte[] { (byte)x, (byte)y, (byte)(x ^ y), 255 }, bgra[o..(o + 4)]);
        }

        for (int i = 3; i < rgba.Length; i += 4)
        {
            if (rgba[i] != 255 || bgra[i] != 255)
            {
                Assert.Fail($"alpha not forced at byte {i}");
            }
        }
    }

    [Fact]
    public void InvalidGeometryIsRejected()
    {
        var src = new byte[100];
        var dst = new byte[100];
        // Source stride below the pitch.
        Assert.Throws<ArgumentException>(() => PixelConverter.ToRgba(PixelFormat.Xrgb8888, src, 7, dst, 8, 2, 2));
        // Destination stride below width * 4.
        Assert.Throws<ArgumentException>(() => PixelConverter.ToBgra(PixelFormat.Rgb565, src, 4, dst, 7, 2, 2));
        // Source too short for the last row.
        Assert.Throws<ArgumentException>(() => PixelConverter.ToRgba(PixelFormat.Xrgb8888, src, 40, new byte[1000], 40, 10, 3));
        // Destination too short.
        Assert.Throws<ArgumentException>(() => PixelConverter.ToRgba(PixelFormat.Rgb565, src, 20, dst, 40, 10, 3));
        Assert.Throws<ArgumentException>(() => PixelConverter.FromRgba(PixelFormat.Rgb565, src, 40, dst, 19, 10, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => PixelConverter.ToRgba(PixelFormat.Xrgb8888, src, 4, dst, 4, 1, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PixelConverter.ToRgba(PixelFormat.Xrgb8888, src, 4, dst, 4, -1, 1));
    }

    [Fact]
    public void ZeroHeightIsANoOp()
    {
        var dst = new byte[16];
        dst.AsSpan().Fill(Pad);
        PixelConverter.ToRgba(PixelFormat.Xrgb8888, ReadOnlySpan<byte>.Empty, 0, dst, 0, 4, 0);
        PixelConverter.FromRgba(PixelFormat.Xrgb8888, ReadOnlySpan<byte>.Empty, 0, dst, 0, 4, 0);
        Assert.All(dst, b => Assert.Equal(Pad, b));
    }
}
