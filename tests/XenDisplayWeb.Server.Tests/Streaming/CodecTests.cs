using System.Buffers.Binary;
using XenDisplayWeb.Server.Streaming;
using static XenDisplayWeb.Server.Tests.Streaming.StreamTestKit;

namespace XenDisplayWeb.Server.Tests.Streaming;

public class CodecTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(37, 23)]
    [InlineData(512, 512)]
    public void A_png_decodes_back_to_the_exact_pixels(int width, int height)
    {
        var rnd = new Random(width * height);
        int stride = width * 4 + 12;
        var bgrx = new byte[stride * height];
        rnd.NextBytes(bgrx);
        var png = PngEncoder.Encode(bgrx, stride, width, height);
        var (w, h, rgb) = DecodePng(png);
        Assert.Equal((width, height), (w, h));
        var expected = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int s = y * stride + x * 4, d = (y * width + x) * 3;
                expected[d] = bgrx[s + 2]; expected[d + 1] = bgrx[s + 1]; expected[d + 2] = bgrx[s];
            }
        Assert.Equal(expected, rgb);
    }

    [Fact]
    public void A_png_whose_chunk_crc_is_wrong_does_not_decode()
    {
        var png = PngEncoder.Encode(new byte[16 * 4 * 8], 16 * 4, 16, 8);
        DecodePng(png);
        png[^13] ^= 1; // the last byte of IDAT's CRC, just before IEND
        Assert.Contains("CRC", Assert.Throws<SixLabors.ImageSharp.InvalidImageContentException>(() => DecodePng(png)).Message);
    }

    [Fact]
    public void A_jpeg_from_libturbojpeg_has_its_markers_and_size_and_gets_smaller_at_lower_quality()
    {
        // This machine has libturbojpeg.so.0; where it is missing the stream falls back to PNG (see FlowControlTests).
        using var jpeg = JpegEncoder.TryCreate(out var error);
        Assert.True(jpeg is not null, $"libturbojpeg is missing: {error}");
        int width = 200, height = 120;
        var bgrx = new byte[width * height * 4];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                BinaryPrimitives.WriteUInt32LittleEndian(bgrx.AsSpan((y * width + x) * 4), (uint)(x * 1.2) | (uint)(y * 2) << 8 | (uint)((x ^ y) & 255) << 16);
        var high = jpeg.Encode(bgrx, width * 4, width, height, 90);
        var low = jpeg.Encode(bgrx, width * 4, width, height, 30);
        Assert.Equal([0xFF, 0xD8], high[..2]);
        Assert.Equal([0xFF, 0xD9], high[^2..]);
        Assert.Equal((width, height), FrameSize(high));
        Assert.True(low.Length < high.Length, $"q30 {low.Length} bytes, q90 {high.Length}");
    }

    /// <summary>Width and height from the SOFn segment.</summary>
    private static (int, int) FrameSize(byte[] jpeg)
    {
        int at = 2;
        while (at < jpeg.Length)
        {
            Assert.Equal(0xFF, jpeg[at]);
            byte marker = jpeg[at + 1];
            int len = BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(at + 2));
            if (marker is >= 0xC0 and <= 0xC2)
                return (BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(at + 7)), BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(at + 5)));
            at += 2 + len;
        }
        throw new InvalidDataException("no SOF");
    }
}
