using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace XenDisplayWeb.Shared.Pixels;

/// <summary>
/// Portable per-pixel conversions. They are the reference the vectorised paths are tested
/// against, the tail handler for those paths, and the only path for the less common formats.
/// Endian-neutral: 16-bit words are assembled from their bytes.
/// </summary>
internal static class ScalarPixelConverter
{
    /// <summary>Validated scalar-only row conversion to RGBA (for tests and comparisons).</summary>
    public static void ToRgba(PixelFormat format, ReadOnlySpan<byte> srcRow, Span<byte> dstRow, int width)
    {
        PixelConverter.ValidateRow(format, srcRow, dstRow, width);
        ToRgbaOrBgra(format, srcRow, dstRow, 0, width, bgra: false);
    }

    /// <summary>Validated scalar-only row conversion to BGRA (for tests and comparisons).</summary>
    public static void ToBgra(PixelFormat format, ReadOnlySpan<byte> srcRow, Span<byte> dstRow, int width)
    {
        PixelConverter.ValidateRow(format, srcRow, dstRow, width);
        ToRgbaOrBgra(format, srcRow, dstRow, 0, width, bgra: true);
    }

    /// <summary>
    /// Converts pixels <c>[start, width)</c> of an already validated row. For YUYV
    /// <paramref name="start"/> must be even.
    /// </summary>
    internal static void ToRgbaOrBgra(PixelFormat format, ReadOnlySpan<byte> src, Span<byte> dst, int start, int width, bool bgra)
    {
        ref byte s = ref MemoryMarshal.GetReference(src);
        ref byte d = ref MemoryMarshal.GetReference(dst);
        // Bit positions of red and blue in the output word.
        int r = bgra ? 16 : 0;
        int b = 16 - r;
        switch (format)
        {
            case PixelFormat.Xrgb8888: From8888(ref s, ref d, start, width, r, b, 0xFF); break;
            case PixelFormat.Argb8888: From8888(ref s, ref d, start, width, r, b, 0); break;
            case PixelFormat.Rgb888: From888(ref s, ref d, start, width, r, b); break;
            case PixelFormat.Rgb565: From565(ref s, ref d, start, width, r, b); break;
            case PixelFormat.Xrgb4444: From4444(ref s, ref d, start, width, r, b, 0xFF); break;
            case PixelFormat.Argb4444: From4444(ref s, ref d, start, width, r, b, 0); break;
            case PixelFormat.Xrgb1555: From1555(ref s, ref d, start, width, r, b, 0xFF); break;
            case PixelFormat.Argb1555: From1555(ref s, ref d, start, width, r, b, 0); break;
            case PixelFormat.Yuyv: FromYuyv(src, ref d, start, width, r, b); break;
            default: throw PixelFormats.Unsupported(format);
        }
    }

    /// <summary>
    /// Writes one output pixel as a single little-endian word; <paramref name="r"/> and
    /// <paramref name="b"/> are the bit positions (0 or 16) of red and blue. Channel values must be 0..255.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref byte dp, int r, int b, int red, int green, int blue, int alpha)
    {
        uint px = ((uint)red << r) | ((uint)green << 8) | ((uint)blue << b) | ((uint)alpha << 24);
        if (!BitConverter.IsLittleEndian)
        {
            px = BinaryPrimitives.ReverseEndianness(px);
        }

        Unsafe.WriteUnaligned(ref dp, px);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Read16(ref byte s, int pixel) =>
        Unsafe.Add(ref s, pixel * 2) | (Unsafe.Add(ref s, pixel * 2 + 1) << 8);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Expand5(int v) => (v << 3) | (v >> 2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Expand6(int v) => (v << 2) | (v >> 4);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Expand4(int v) => v * 17;

    private static void From8888(ref byte s, ref byte d, int start, int end, int r, int b, int alphaOr)
    {
        for (int i = start; i < end; i++)
        {
            ref byte sp = ref Unsafe.Add(ref s, i * 4);
            int blue = sp;
            int green = Unsafe.Add(ref sp, 1);
            int red = Unsafe.Add(ref sp, 2);
            int alpha = Unsafe.Add(ref sp, 3) | alphaOr;
            Store(ref Unsafe.Add(ref d, i * 4), r, b, red, green, blue, alpha);
        }
    }

    private static void From888(ref byte s, ref byte d, int start, int end, int r, int b)
    {
        for (int i = start; i < end; i++)
        {
            ref byte sp = ref Unsafe.Add(ref s, i * 3);
            Store(ref Unsafe.Add(ref d, i * 4), r, b, Unsafe.Add(ref sp, 2), Unsafe.Add(ref sp, 1), sp, 0xFF);
        }
    }

    private static void From565(ref byte s, ref byte d, int start, int end, int r, int b)
    {
        for (int i = start; i < end; i++)
        {
            int p = Read16(ref s, i);
            Store(ref Unsafe.Add(ref d, i * 4), r, b,
                Expand5(p >> 11), Expand6((p >> 5) & 0x3F), Expand5(p & 0x1F), 0xFF);
        }
    }

    private static void From4444(ref byte s, ref byte d, int start, int end, int r, int b, int alphaOr)
    {
        for (int i = start; i < end; i++)
        {
            int p = Read16(ref s, i);
            Store(ref Unsafe.Add(ref d, i * 4), r, b,
                Expand4((p >> 8) & 0xF), Expand4((p >> 4) & 0xF), Expand4(p & 0xF), Expand4(p >> 12) | alphaOr);
        }
    }

    private static void From1555(ref byte s, ref byte d, int start, int end, int r, int b, int alphaOr)
    {
        for (int i = start; i < end; i++)
        {
            int p = Read16(ref s, i);
            Store(ref Unsafe.Add(ref d, i * 4), r, b,
                Expand5((p >> 10) & 0x1F), Expand5((p >> 5) & 0x1F), Expand5(p & 0x1F), (-(p >> 15) & 0xFF) | alphaOr);
        }
    }

    private static void FromYuyv(ReadOnlySpan<byte> src, ref byte d, int start, int end, int r, int b)
    {
        Debug.Assert((start & 1) == 0, "YUYV conversion must start on a pixel pair.");
        ref byte s = ref MemoryMarshal.GetReference(src);
        int i = start;
        for (; i + 1 < end; i += 2)
        {
            ref byte sp = ref Unsafe.Add(ref s, i * 2);
            Bt601.Chroma(Unsafe.Add(ref sp, 1), Unsafe.Add(ref sp, 3), out int rc, out int gc, out int bc);
            int l0 = Bt601.Luma(sp);
            int l1 = Bt601.Luma(Unsafe.Add(ref sp, 2));
            ref byte dp = ref Unsafe.Add(ref d, i * 4);
            Store(ref dp, r, b, Bt601.Clamp(l0 + rc), Bt601.Clamp(l0 + gc), Bt601.Clamp(l0 + bc), 0xFF);
            Store(ref Unsafe.Add(ref dp, 4), r, b, Bt601.Clamp(l1 + rc), Bt601.Clamp(l1 + gc), Bt601.Clamp(l1 + bc), 0xFF);
        }

        if (i < end)
        {
            // Odd width: the last pixel is the first of an incomplete pair and uses its Y0 and U.
            // The pair's V lies past the row's minimum pitch; use it when the row span holds it,
            // otherwise treat the chroma as neutral (128).
            int off = i * 2;
            int v = off + 3 < src.Length ? src[off + 3] : 128;
            Bt601.Chroma(src[off + 1], v, out int rc, out int gc, out int bc);
            int l0 = Bt601.Luma(src[off]);
            Store(ref Unsafe.Add(ref d, i * 4), r, b, Bt601.Clamp(l0 + rc), Bt601.Clamp(l0 + gc), Bt601.Clamp(l0 + bc), 0xFF);
        }
    }

    /// <summary>Converts one validated RGBA row to <paramref name="format"/>.</summary>
    internal static void FromRgba(PixelFormat format, ReadOnlySpan<byte> src, Span<byte> dst, int width)
    {
        ref byte s = ref MemoryMarshal.GetReference(src);
        ref byte d = ref MemoryMarshal.GetReference(dst);
        switch (format)
        {
            case PixelFormat.Xrgb8888: To8888(ref s, ref d, width, 0xFF); break;
            case PixelFormat.Argb8888: To8888(ref s, ref d, width, 0); break;
            case PixelFormat.Rgb888: To888(ref s, ref d, width); break;
            case PixelFormat.Rgb565: To565(ref s, ref d, width); break;
            case PixelFormat.Xrgb4444: To4444(ref s, ref d, width, 0xF000); break;
            case PixelFormat.Argb4444: To4444(ref s, ref d, width, 0); break;
            case PixelFormat.Xrgb1555: To1555(ref s, ref d, width, 0x8000); break;
            case PixelFormat.Argb1555: To1555(ref s, ref d, width, 0); break;
            case PixelFormat.Yuyv: ToYuyv(ref s, dst, width); break;
            default: throw PixelFormats.Unsupported(format);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write16(ref byte d, int pixel, int value)
    {
        Unsafe.Add(ref d, pixel * 2) = (byte)value;
        Unsafe.Add(ref d, pixel * 2 + 1) = (byte)(value >> 8);
    }

    private static void To8888(ref byte s, ref byte d, int width, int alphaOr)
    {
        for (int i = 0; i < width; i++)
        {
            ref byte sp = ref Unsafe.Add(ref s, i * 4);
            byte red = sp, green = Unsafe.Add(ref sp, 1), blue = Unsafe.Add(ref sp, 2);
            byte alpha = (byte)(Unsafe.Add(ref sp, 3) | alphaOr);
            ref byte dp = ref Unsafe.Add(ref d, i * 4);
            dp = blue;
            Unsafe.Add(ref dp, 1) = green;
            Unsafe.Add(ref dp, 2) = red;
            Unsafe.Add(ref dp, 3) = alpha;
        }
    }

    private static void To888(ref byte s, ref byte d, int width)
    {
        for (int i = 0; i < width; i++)
        {
            ref byte sp = ref Unsafe.Add(ref s, i * 4);
            byte red = sp, green = Unsafe.Add(ref sp, 1), blue = Unsafe.Add(ref sp, 2);
            ref byte dp = ref Unsafe.Add(ref d, i * 3);
            dp = blue;
            Unsafe.Add(ref dp, 1) = green;
            Unsafe.Add(ref dp, 2) = red;
        }
    }

    private static void To565(ref byte s, ref byte d, int width)
    {
        for (int i = 0; i < width; i++)
        {
            ref byte sp = ref Unsafe.Add(ref s, i * 4);
            Write16(ref d, i, ((sp >> 3) << 11) | ((Unsafe.Add(ref sp, 1) >> 2) << 5) | (Unsafe.Add(ref sp, 2) >> 3));
        }
    }

    private static void To4444(ref byte s, ref byte d, int width, int alphaOr)
    {
        for (int i = 0; i < width; i++)
        {
            ref byte sp = ref Unsafe.Add(ref s, i * 4);
            int p = ((Unsafe.Add(ref sp, 3) >> 4) << 12) | ((sp >> 4) << 8) |
                    ((Unsafe.Add(ref sp, 1) >> 4) << 4) | (Unsafe.Add(ref sp, 2) >> 4);
            Write16(ref d, i, p | alphaOr);
        }
    }

    private static void To1555(ref byte s, ref byte d, int width, int alphaOr)
    {
        for (int i = 0; i < width; i++)
        {
            ref byte sp = ref Unsafe.Add(ref s, i * 4);
            int p = ((Unsafe.Add(ref sp, 3) >> 7) << 15) | ((sp >> 3) << 10) |
                    ((Unsafe.Add(ref sp, 1) >> 3) << 5) | (Unsafe.Add(ref sp, 2) >> 3);
            Write16(ref d, i, p | alphaOr);
        }
    }

    private static void ToYuyv(ref byte s, Span<byte> dst, int width)
    {
        ref byte d = ref MemoryMarshal.GetReference(dst);
        int i = 0;
        for (; i + 1 < width; i += 2)
        {
            ref byte p0 = ref Unsafe.Add(ref s, i * 4);
            int r0 = p0, g0 = Unsafe.Add(ref p0, 1), b0 = Unsafe.Add(ref p0, 2);
            int r1 = Unsafe.Add(ref p0, 4), g1 = Unsafe.Add(ref p0, 5), b1 = Unsafe.Add(ref p0, 6);
            ref byte dp = ref Unsafe.Add(ref d, i * 2);
            dp = Bt601.Y(r0, g0, b0);
            Unsafe.Add(ref dp, 1) = (byte)((Bt601.U(r0, g0, b0) + Bt601.U(r1, g1, b1) + 1) >> 1);
            Unsafe.Add(ref dp, 2) = Bt601.Y(r1, g1, b1);
            Unsafe.Add(ref dp, 3) = (byte)((Bt601.V(r0, g0, b0) + Bt601.V(r1, g1, b1) + 1) >> 1);
        }

        if (i < width)
        {
            // Odd width: write Y0 and U; complete the pair (Y1 = Y0, V) only if the row has room.
            ref byte p0 = ref Unsafe.Add(ref s, i * 4);
            int r0 = p0, g0 = Unsafe.Add(ref p0, 1), b0 = Unsafe.Add(ref p0, 2);
            int off = i * 2;
            byte y = Bt601.Y(r0, g0, b0);
            dst[off] = y;
            dst[off + 1] = Bt601.U(r0, g0, b0);
            if (off + 3 < dst.Length)
            {
                dst[off + 2] = y;
                dst[off + 3] = Bt601.V(r0, g0, b0);
            }
        }
    }
}
