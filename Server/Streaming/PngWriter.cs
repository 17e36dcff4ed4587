using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using ImageSharpPngEncoder = SixLabors.ImageSharp.Formats.Png.PngEncoder;

namespace XenDisplayWeb.Server.Streaming;

/// <summary>
/// Lossless PNGs (8-bit RGB, no alpha, no ancillary chunks) written by ImageSharp from BGRX pixels the server has
/// already copied out of a guest's pages. ImageSharp only encodes here: nothing a guest or a client sends is decoded.
/// </summary>
public static class PngWriter
{
    /// <summary>
    /// <c>snapshot.png</c> and dbuf downloads: zlib level 6 (the PNG default) with adaptive filtering, for a file a
    /// person keeps; it is asked for one at a time and rate-limited, so the extra CPU over level 1 is paid rarely.
    /// </summary>
    public static ImageSharpPngEncoder Downloads { get; } = Encoder(PngCompressionLevel.Level6, PngFilterMethod.Adaptive);

    /// <summary>An encoder writing 8-bit RGB at <paramref name="level"/> with <paramref name="filter"/>, and nothing but IHDR, IDAT and IEND.</summary>
    public static ImageSharpPngEncoder Encoder(PngCompressionLevel level, PngFilterMethod filter) => new()
    {
        ColorType = PngColorType.Rgb,
        BitDepth = PngBitDepth.Bit8,
        InterlaceMethod = PngInterlaceMode.None,
        CompressionLevel = level,
        FilterMethod = filter,
        ChunkFilter = PngChunkFilter.ExcludeAll,
        IgnoreMetadata = true,
    };

    /// <summary>Encodes the <paramref name="width"/> x <paramref name="height"/> BGRX image that starts at <paramref name="bgrx"/>[0].</summary>
    public static byte[] Encode(ReadOnlySpan<byte> bgrx, int stride, int width, int height, ImageSharpPngEncoder encoder)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (stride < width * 4 || bgrx.Length < (long)(height - 1) * stride + width * 4L)
            throw new ArgumentException($"{bgrx.Length} bytes at stride {stride} do not hold {width}x{height} BGRX pixels", nameof(bgrx));

        using var image = new Image<Rgb24>(width, height);
        var convert = PixelOperations<Rgb24>.Instance;
        for (int y = 0; y < height; y++)
            convert.FromBgra32Bytes(image.GetConfiguration(), bgrx.Slice(y * stride, width * 4), image.DangerousGetPixelRowMemory(y).Span, width);
        var png = new MemoryStream(width * height / 4 + 256);
        image.Save(png, encoder);
        return png.ToArray();
    }
}
