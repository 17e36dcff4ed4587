using System.Runtime.InteropServices;

namespace XenDisplayWeb.Shared.Pixels;

/// <summary>
/// Converts rows and images between the displif <see cref="PixelFormat"/>s and 8-bit RGBA/BGRA
/// (bytes R,G,B,A resp. B,G,R,A; i.e. what browsers' ImageData and most encoders take).
/// </summary>
/// <remarks>
/// <para>Channels narrower than 8 bits are expanded by bit replication; formats without alpha give
/// alpha 255. YUYV is decoded as BT.601 limited range. XRGB8888, ARGB8888, RGB888 and RGB565 use
/// SIMD where the hardware has it; all paths give identical results.</para>
/// <para>Source and destination must not overlap. A row span must hold at least
/// <see cref="PixelFormats.MinPitch"/> bytes of the packed format and <c>width * 4</c> bytes of
/// RGBA/BGRA; bytes past those are neither read (except as noted for odd-width YUYV) nor written.</para>
/// <para>Odd-width YUYV: the last pixel is the first of an incomplete pair and is decoded from that
/// pair's Y0 and U, plus its V if the source row span reaches it (otherwise V = 128).</para>
/// </remarks>
public static class PixelConverter
{
    /// <summary>Converts one row of <paramref name="width"/> pixels to RGBA.</summary>
    /// <exception cref="ArgumentException">A span is too short.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Negative width or unsupported format.</exception>
    public static void ToRgba(PixelFormat format, ReadOnlySpan<byte> srcRow, Span<byte> dstRow, int width)
    {
        ValidateRow(format, srcRow, dstRow, width);
        ConvertRow(format, srcRow, dstRow, width, bgra: false);
    }

    /// <summary>Converts one row of <paramref name="width"/> pixels to BGRA.</summary>
    /// <inheritdoc cref="ToRgba(PixelFormat, ReadOnlySpan{byte}, Span{byte}, int)"/>
    public static void ToBgra(PixelFormat format, ReadOnlySpan<byte> srcRow, Span<byte> dstRow, int width)
    {
        ValidateRow(format, srcRow, dstRow, width);
        ConvertRow(format, srcRow, dstRow, width, bgra: true);
    }

    /// <summary>
    /// Converts a <paramref name="width"/> x <paramref name="height"/> image to RGBA. Strides are in
    /// bytes and may exceed the row sizes; padding bytes in <paramref name="dst"/> are left untouched.
    /// </summary>
    /// <exception cref="ArgumentException">A stride is smaller than its row size or a span is too short.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Negative size or unsupported format.</exception>
    public static void ToRgba(PixelFormat format, ReadOnlySpan<byte> src, int srcStride, Span<byte> dst, int dstStride, int width, int height) =>
        ConvertImage(format, src, srcStride, dst, dstStride, width, height, bgra: false);

    /// <summary>Converts a <paramref name="width"/> x <paramref name="height"/> image to BGRA.</summary>
    /// <inheritdoc cref="ToRgba(PixelFormat, ReadOnlySpan{byte}, int, Span{byte}, int, int, int)"/>
    public static void ToBgra(PixelFormat format, ReadOnlySpan<byte> src, int srcStride, Span<byte> dst, int dstStride, int width, int height) =>
        ConvertImage(format, src, srcStride, dst, dstStride, width, height, bgra: true);

    /// <summary>
    /// Converts one RGBA row to <paramref name="format"/>. Channels are truncated to the format's
    /// width; X bits are written as ones; YUYV averages each pair's chroma (for an odd width the last
    /// pixel writes Y0 and U, and completes the pair with Y1 = Y0 and V only if the row has room).
    /// </summary>
    /// <exception cref="ArgumentException">A span is too short.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Negative width or unsupported format.</exception>
    public static void FromRgba(PixelFormat format, ReadOnlySpan<byte> srcRgbaRow, Span<byte> dstRow, int width)
    {
        int pitch = PixelFormats.MinPitch(format, width);
        CheckLength(srcRgbaRow.Length, 4L * width, nameof(srcRgbaRow));
        CheckLength(dstRow.Length, pitch, nameof(dstRow));
        ScalarPixelConverter.FromRgba(format, srcRgbaRow, dstRow, width);
    }

    /// <summary>Converts an RGBA image to <paramref name="format"/>; see the row overload.</summary>
    /// <exception cref="ArgumentException">A stride is smaller than its row size or a span is too short.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Negative size or unsupported format.</exception>
    public static void FromRgba(PixelFormat format, ReadOnlySpan<byte> src, int srcStride, Span<byte> dst, int dstStride, int width, int height)
    {
        int dstRowBytes = PixelFormats.MinPitch(format, width);
        if (!ValidateImage(src.Length, srcStride, checked(width * 4), dst.Length, dstStride, dstRowBytes, height))
        {
            return;
        }

        for (int y = 0; y < height; y++)
        {
            ScalarPixelConverter.FromRgba(format, src.Slice(y * srcStride), RowSlice(dst, y, dstStride), width);
        }
    }

    private static void ConvertImage(PixelFormat format, ReadOnlySpan<byte> src, int srcStride, Span<byte> dst, int dstStride, int width, int height, bool bgra)
    {
        int srcRowBytes = PixelFormats.MinPitch(format, width);
        int dstRowBytes = checked(width * 4);
        if (!ValidateImage(src.Length, srcStride, srcRowBytes, dst.Length, dstStride, dstRowBytes, height))
        {
            return;
        }

        if (srcStride == srcRowBytes && dstStride == dstRowBytes && (format != PixelFormat.Yuyv || (width & 1) == 0))
        {
            // Tightly packed on both sides: one long row (fewer scalar tails).
            int pixels = width * height;
            ConvertRow(format, src[..(srcRowBytes * height)], dst, pixels, bgra);
            return;
        }

        for (int y = 0; y < height; y++)
        {
            ConvertRow(format, RowSlice(src, y, srcStride), dst.Slice(y * dstStride), width, bgra);
        }
    }

    /// <summary>Row <paramref name="y"/> of an image, at most one stride long (the last row may be shorter).</summary>
    private static ReadOnlySpan<byte> RowSlice(ReadOnlySpan<byte> image, int y, int stride)
    {
        int start = y * stride;
        return image.Slice(start, Math.Min(stride, image.Length - start));
    }

    private static Span<byte> RowSlice(Span<byte> image, int y, int stride)
    {
        int start = y * stride;
        return image.Slice(start, Math.Min(stride, image.Length - start));
    }

    private static void ConvertRow(PixelFormat format, ReadOnlySpan<byte> src, Span<byte> dst, int width, bool bgra)
    {
        int done = 0;
        if (format == PixelFormat.Argb8888 && bgra)
        {
            src[..(width * 4)].CopyTo(dst);
            return;
        }

        if (VectorPixelConverter.IsAccelerated)
        {
            ref byte s = ref MemoryMarshal.GetReference(src);
            ref byte d = ref MemoryMarshal.GetReference(dst);
            done = format switch
            {
                PixelFormat.Xrgb8888 => bgra
                    ? VectorPixelConverter.ForceAlpha8888(ref s, ref d, width)
                    : VectorPixelConverter.SwapRedBlue8888(ref s, ref d, width, 0xFF000000u),
                PixelFormat.Argb8888 => VectorPixelConverter.SwapRedBlue8888(ref s, ref d, width, 0),
                PixelFormat.Rgb888 => VectorPixelConverter.Rgb888(ref s, ref d, width, bgra),
                PixelFormat.Rgb565 => VectorPixelConverter.Rgb565(ref s, ref d, width, bgra),
                _ => 0,
            };
        }

        if (done < width)
        {
            ScalarPixelConverter.ToRgbaOrBgra(format, src, dst, done, width, bgra);
        }
    }

    internal static void ValidateRow(PixelFormat format, ReadOnlySpan<byte> srcRow, Span<byte> dstRow, int width)
    {
        int pitch = PixelFormats.MinPitch(format, width);
        CheckLength(srcRow.Length, pitch, nameof(srcRow));
        CheckLength(dstRow.Length, 4L * width, nameof(dstRow));
    }

    private static void CheckLength(int actual, long required, string name)
    {
        if (actual < required)
        {
            throw new ArgumentException($"The span holds {actual} bytes; {required} are required.", name);
        }
    }

    /// <summary>Validates an image's geometry; false when there is nothing to do.</summary>
    private static bool ValidateImage(int srcLength, int srcStride, int srcRowBytes, int dstLength, int dstStride, int dstRowBytes, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        if (height == 0)
        {
            return false;
        }

        if (srcStride < srcRowBytes)
        {
            throw new ArgumentException($"Source stride {srcStride} is smaller than the row size {srcRowBytes}.", nameof(srcStride));
        }

        if (dstStride < dstRowBytes)
        {
            throw new ArgumentException($"Destination stride {dstStride} is smaller than the row size {dstRowBytes}.", nameof(dstStride));
        }

        CheckLength(srcLength, ((long)height - 1) * srcStride + srcRowBytes, "src");
        CheckLength(dstLength, ((long)height - 1) * dstStride + dstRowBytes, "dst");
        return true;
    }
}
