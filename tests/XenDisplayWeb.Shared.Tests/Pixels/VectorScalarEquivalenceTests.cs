using System.Runtime.Intrinsics;
using XenDisplayWeb.Shared.Pixels;
using static XenDisplayWeb.Shared.Tests.Pixels.PixelTestHelpers;

namespace XenDisplayWeb.Shared.Tests.Pixels;

public class VectorScalarEquivalenceTests
{
    public static TheoryData<PixelFormat, int> FormatsAndWidths()
    {
        var data = new TheoryData<PixelFormat, int>();
        foreach (PixelFormat f in PixelFormats.All)
        {
            for (int w = 1; w <= 67; w++)
            {
                data.Add(f, w);
            }

            data.Add(f, 1920);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FormatsAndWidths))]
    public void PublicPathEqualsScalarOnRandomData(PixelFormat format, int width)
    {
        var rng = new Random(width * 7919 + (int)((uint)format % 10007));
        int pitch = PixelFormats.MinPitch(format, width);

        // Misaligned source and destination inside larger buffers, with guard bytes around them.
        for (int offset = 0; offset < 4; offset++)
        {
            byte[] srcBuf = RandomBytes(rng, pitch + offset);
            ReadOnlySpan<byte> src = srcBuf.AsSpan(offset, pitch);

            foreach (bool bgra in new[] { false, true })
            {
                var expected = new byte[width * 4];
                var actual = new byte[width * 4 + 2 * 7 + offset];
                actual.AsSpan().Fill(0xA5);
                Span<byte> dst = actual.AsSpan(7 + offset, width * 4);

                if (bgra)
                {
                    ScalarPixelConverter.ToBgra(format, src, expected, width);
                    PixelConverter.ToBgra(format, src, dst, width);
                }
                else
                {
                    ScalarPixelConverter.ToRgba(format, src, expected, width);
                    PixelConverter.ToRgba(format, src, dst, width);
                }

                Assert.Equal(expected, dst.ToArray());
                Assert.All(actual[..(7 + offset)], b => Assert.Equal(0xA5, b));
                Assert.All(actual[(7 + offset + width * 4)..], b => Assert.Equal(0xA5, b));
            }
        }
    }

    [Theory]
    [MemberData(nameof(FormatsAndWidths))]
    public void OutputDoesNotDependOnBytesPastThePitch(PixelFormat format, int width)
    {
        if (format == PixelFormat.Yuyv && (width & 1) != 0)
        {
            return; // documented: odd-width YUYV uses the pair's V byte when the span holds it
        }

        var rng = new Random(width);
        int pitch = PixelFormats.MinPitch(format, width);
        byte[] a = RandomBytes(rng, pitch + 64);
        byte[] b = (byte[])a.Clone();
        a.AsSpan(pitch).Fill(0x00);
        b.AsSpan(pitch).Fill(0xFF);

        var outA = new byte[width * 4];
        var outB = new byte[width * 4];
        PixelConverter.ToRgba(format, a, outA, width);
        PixelConverter.ToRgba(format, b, outB, width);
        Assert.Equal(outA, outB);
    }

    [Theory]
    [InlineData(PixelFormat.Xrgb8888)]
    [InlineData(PixelFormat.Argb8888)]
    [InlineData(PixelFormat.Rgb888)]
    [InlineData(PixelFormat.Rgb565)]
    public void VectorKernelsConvertAPrefixMatchingScalar(PixelFormat format)
    {
        if (!VectorPixelConverter.IsAccelerated)
        {
            return; // nothing vectorised on this machine; the public path is the scalar one
        }

        var rng = new Random(42);
        foreach (int width in new[] { 4, 8, 10, 16, 31, 64, 100 })
        {
            byte[] src = RandomBytes(rng, PixelFormats.MinPitch(format, width));
            foreach (bool bgra in new[] { false, true })
            {
                var vec = new byte[width * 4];
                int done = format switch
                {
                    PixelFormat.Xrgb8888 when bgra => VectorPixelConverter.ForceAlpha8888(ref src[0], ref vec[0], width),
                    PixelFormat.Xrgb8888 => VectorPixelConverter.SwapRedBlue8888(ref src[0], ref vec[0], width, 0xFF000000u),
                    PixelFormat.Argb8888 when bgra => -1,
                    PixelFormat.Argb8888 => VectorPixelConverter.SwapRedBlue8888(ref src[0], ref vec[0], width, 0),
                    PixelFormat.Rgb888 => VectorPixelConverter.Rgb888(ref src[0], ref vec[0], width, bgra),
                    _ => VectorPixelConverter.Rgb565(ref src[0], ref vec[0], width, bgra),
                };
                if (done < 0)
                {
                    continue;
                }

                Assert.InRange(done, 0, width);
                int minBlock = format == PixelFormat.Rgb888 ? 6 : format == PixelFormat.Rgb565 ? 8 : 4;
                if (width >= minBlock)
                {
                    Assert.True(done > 0, $"{format} width {width}: vector kernel did nothing");
                }

                Assert.All(vec[(done * 4)..], b => Assert.Equal(0, b)); // nothing written past the prefix

                var scalar = new byte[width * 4];
                if (bgra)
                {
                    ScalarPixelConverter.ToBgra(format, src, scalar, width);
                }
                else
                {
                    ScalarPixelConverter.ToRgba(format, src, scalar, width);
                }

                Assert.Equal(scalar[..(done * 4)], vec[..(done * 4)]);
            }
        }
    }

    [Fact]
    public void ReportsAccelerationConsistently() =>
        Assert.Equal(BitConverter.IsLittleEndian && Vector128.IsHardwareAccelerated, VectorPixelConverter.IsAccelerated);
}
