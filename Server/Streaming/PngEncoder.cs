using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace XenDisplayWeb.Server.Streaming;

/// <summary>
/// Writes lossless PNGs (8-bit RGB, no alpha) from BGRX pixels: every row Sub-filtered, deflated with
/// .NET's zlib at its fastest level, in one IDAT. Live tiles use it rather than ImageSharp's encoder because it is
/// faster at the same level on the desktop's tiles (<c>tests/XenDisplayWeb.Benchmarks -- png</c>; figures in the README).
/// </summary>
public static class PngEncoder
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Encodes the <paramref name="width"/> x <paramref name="height"/> BGRX image that starts at <paramref name="bgrx"/>[0].</summary>
    public static byte[] Encode(ReadOnlySpan<byte> bgrx, int stride, int width, int height, CompressionLevel level = CompressionLevel.Fastest)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (stride < width * 4 || bgrx.Length < (long)(height - 1) * stride + width * 4L)
            throw new ArgumentException($"{bgrx.Length} bytes at stride {stride} do not hold {width}x{height} BGRX pixels", nameof(bgrx));

        var deflated = new MemoryStream(width * height / 4 + 256);
        using (var z = new ZLibStream(deflated, level, leaveOpen: true))
        {
            var row = new byte[1 + width * 3];
            for (int y = 0; y < height; y++)
            {
                FilterRowSub(bgrx.Slice(y * stride, width * 4), row, width);
                z.Write(row);
            }
        }

        int idatLength = checked((int)deflated.Length);
        var png = new byte[Signature.Length + (12 + 13) + (12 + idatLength) + 12];
        var span = png.AsSpan();
        Signature.CopyTo(span);
        int at = Signature.Length;

        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], height);
        ihdr[8] = 8;  // bit depth
        ihdr[9] = 2;  // colour type: truecolour
        ihdr[10] = 0; // deflate
        ihdr[11] = 0; // adaptive filtering
        ihdr[12] = 0; // no interlace
        at = WriteChunk(span, at, "IHDR"u8, ihdr);
        at = WriteChunk(span, at, "IDAT"u8, deflated.GetBuffer().AsSpan(0, idatLength));
        at = WriteChunk(span, at, "IEND"u8, []);
        return at == png.Length ? png : throw new InvalidOperationException("PNG length mismatch");
    }

    /// <summary>Filter type 1 (Sub): each byte minus the same channel of the pixel to its left.</summary>
    private static void FilterRowSub(ReadOnlySpan<byte> src, Span<byte> dst, int width)
    {
        dst[0] = 1;
        byte pr = 0, pg = 0, pb = 0;
        int o = 1;
        for (int x = 0, s = 0; x < width; x++, s += 4, o += 3)
        {
            byte b = src[s], g = src[s + 1], r = src[s + 2];
            dst[o] = (byte)(r - pr);
            dst[o + 1] = (byte)(g - pg);
            dst[o + 2] = (byte)(b - pb);
            pr = r; pg = g; pb = b;
        }
    }

    private static int WriteChunk(Span<byte> png, int at, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        BinaryPrimitives.WriteInt32BigEndian(png[at..], data.Length);
        type.CopyTo(png[(at + 4)..]);
        data.CopyTo(png[(at + 8)..]);
        uint crc = Crc32.HashToUInt32(png.Slice(at + 4, 4 + data.Length));
        BinaryPrimitives.WriteUInt32BigEndian(png[(at + 8 + data.Length)..], crc);
        return at + 12 + data.Length;
    }
}
