using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace XenDisplayWeb.Shared.Pixels;

/// <summary>
/// SIMD kernels (cross-platform <see cref="Vector128"/>/<see cref="Vector256"/> APIs) for the common
/// formats. Each converts a prefix of the row and returns how many pixels it did; the caller
/// finishes the tail with <see cref="ScalarPixelConverter"/>. Callers must have validated the
/// spans and checked <see cref="IsAccelerated"/>. The kernels never read past the source row's
/// minimum pitch nor write past <c>width * 4</c> destination bytes.
/// </summary>
internal static class VectorPixelConverter
{
    /// <summary>The kernels reinterpret bytes as little-endian words and need 128-bit SIMD.</summary>
    public static bool IsAccelerated => BitConverter.IsLittleEndian && Vector128.IsHardwareAccelerated;

    /// <summary>B,G,R,A -&gt; R,G,B,A with <paramref name="alphaOr"/> OR-ed into every pixel word.</summary>
    public static int SwapRedBlue8888(ref byte s, ref byte d, int width, uint alphaOr)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<byte> alpha = Vector256.Create(alphaOr).AsByte();
            for (; i <= width - 8; i += 8)
            {
                Vector256<byte> v = Vector256.LoadUnsafe(ref s, (nuint)i * 4);
                v = Vector256.Shuffle(v, Vector256.Create(
                    (byte)2, 1, 0, 3, 6, 5, 4, 7, 10, 9, 8, 11, 14, 13, 12, 15,
                    18, 17, 16, 19, 22, 21, 20, 23, 26, 25, 24, 27, 30, 29, 28, 31));
                (v | alpha).StoreUnsafe(ref d, (nuint)i * 4);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            Vector128<byte> alpha = Vector128.Create(alphaOr).AsByte();
            for (; i <= width - 4; i += 4)
            {
                Vector128<byte> v = Vector128.LoadUnsafe(ref s, (nuint)i * 4);
                v = Vector128.Shuffle(v, Vector128.Create((byte)2, 1, 0, 3, 6, 5, 4, 7, 10, 9, 8, 11, 14, 13, 12, 15));
                (v | alpha).StoreUnsafe(ref d, (nuint)i * 4);
            }
        }

        return i;
    }

    /// <summary>Copy 32-bit pixels while forcing alpha to 255 (XRGB8888 -&gt; BGRA).</summary>
    public static int ForceAlpha8888(ref byte s, ref byte d, int width)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<uint> alpha = Vector256.Create(0xFF000000u);
            for (; i <= width - 8; i += 8)
            {
                (Vector256.LoadUnsafe(ref s, (nuint)i * 4).AsUInt32() | alpha).AsByte().StoreUnsafe(ref d, (nuint)i * 4);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            Vector128<uint> alpha = Vector128.Create(0xFF000000u);
            for (; i <= width - 4; i += 4)
            {
                (Vector128.LoadUnsafe(ref s, (nuint)i * 4).AsUInt32() | alpha).AsByte().StoreUnsafe(ref d, (nuint)i * 4);
            }
        }

        return i;
    }

    /// <summary>RGB888 (bytes B,G,R) -&gt; RGBA or BGRA with alpha 255.</summary>
    public static int Rgb888(ref byte s, ref byte d, int width, bool bgra) => bgra
        ? Rgb888Core(ref s, ref d, width,
            Vector128.Create((byte)0, 1, 2, 0, 3, 4, 5, 0, 6, 7, 8, 0, 9, 10, 11, 0),
            Vector256.Create(
                (byte)0, 1, 2, 0, 3, 4, 5, 0, 6, 7, 8, 0, 9, 10, 11, 0,
                16, 17, 18, 16, 19, 20, 21, 16, 22, 23, 24, 16, 25, 26, 27, 16))
        : Rgb888Core(ref s, ref d, width,
            Vector128.Create((byte)2, 1, 0, 0, 5, 4, 3, 0, 8, 7, 6, 0, 11, 10, 9, 0),
            Vector256.Create(
                (byte)2, 1, 0, 0, 5, 4, 3, 0, 8, 7, 6, 0, 11, 10, 9, 0,
                18, 17, 16, 16, 21, 20, 19, 16, 24, 23, 22, 16, 27, 26, 25, 16));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Rgb888Core(ref byte s, ref byte d, int width, Vector128<byte> shuffle128, Vector256<byte> shuffle256)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            // 8 pixels: two 16-byte loads at +0 and +12 (12 useful bytes each, one per 128-bit lane),
            // then an in-lane shuffle. The second load ends at byte 3*i + 28, inside the row while
            // i + 10 <= width.
            Vector256<byte> alpha = Vector256.Create(0xFF000000u).AsByte();
            for (; i <= width - 10; i += 8)
            {
                nuint o = (nuint)i * 3;
                Vector256<byte> v = Vector256.Create(Vector128.LoadUnsafe(ref s, o), Vector128.LoadUnsafe(ref s, o + 12));
                (Vector256.Shuffle(v, shuffle256) | alpha).StoreUnsafe(ref d, (nuint)i * 4);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            // 4 pixels from a 16-byte load ending at byte 3*i + 16, inside the row while i + 6 <= width.
            Vector128<byte> alpha = Vector128.Create(0xFF000000u).AsByte();
            for (; i <= width - 6; i += 4)
            {
                Vector128<byte> v = Vector128.LoadUnsafe(ref s, (nuint)i * 3);
                (Vector128.Shuffle(v, shuffle128) | alpha).StoreUnsafe(ref d, (nuint)i * 4);
            }
        }

        return i;
    }

    /// <summary>RGB565 -&gt; RGBA or BGRA with bit replication and alpha 255.</summary>
    public static int Rgb565(ref byte s, ref byte d, int width, bool bgra) => bgra
        ? Rgb565Core(ref s, ref d, width, bgra: true)
        : Rgb565Core(ref s, ref d, width, bgra: false);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Rgb565Core(ref byte s, ref byte d, int width, bool bgra)
    {
        // Each 16-bit lane is expanded to (first | G << 8) and (third | 0xFF00), where first/third are
        // R/B (RGBA) or B/R (BGRA); widening both to 32 bits and merging gives the output pixels.
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= width - 16; i += 16)
            {
                Vector256<ushort> p = Vector256.LoadUnsafe(ref s, (nuint)i * 2).AsUInt16();
                Vector256<ushort> r = p >>> 11;
                Vector256<ushort> g = (p >>> 5) & Vector256.Create((ushort)0x3F);
                Vector256<ushort> b = p & Vector256.Create((ushort)0x1F);
                r = (r << 3) | (r >>> 2);
                g = (g << 2) | (g >>> 4);
                b = (b << 3) | (b >>> 2);
                Vector256<ushort> first = (bgra ? b : r) | (g << 8);
                Vector256<ushort> third = (bgra ? r : b) | Vector256.Create((ushort)0xFF00);
                (Vector256<uint> f0, Vector256<uint> f1) = Vector256.Widen(first);
                (Vector256<uint> t0, Vector256<uint> t1) = Vector256.Widen(third);
                (f0 | (t0 << 16)).AsByte().StoreUnsafe(ref d, (nuint)i * 4);
                (f1 | (t1 << 16)).AsByte().StoreUnsafe(ref d, (nuint)i * 4 + 32);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= width - 8; i += 8)
            {
                Vector128<ushort> p = Vector128.LoadUnsafe(ref s, (nuint)i * 2).AsUInt16();
                Vector128<ushort> r = p >>> 11;
                Vector128<ushort> g = (p >>> 5) & Vector128.Create((ushort)0x3F);
                Vector128<ushort> b = p & Vector128.Create((ushort)0x1F);
                r = (r << 3) | (r >>> 2);
                g = (g << 2) | (g >>> 4);
                b = (b << 3) | (b >>> 2);
                Vector128<ushort> first = (bgra ? b : r) | (g << 8);
                Vector128<ushort> third = (bgra ? r : b) | Vector128.Create((ushort)0xFF00);
                (Vector128<uint> f0, Vector128<uint> f1) = Vector128.Widen(first);
                (Vector128<uint> t0, Vector128<uint> t1) = Vector128.Widen(third);
                (f0 | (t0 << 16)).AsByte().StoreUnsafe(ref d, (nuint)i * 4);
                (f1 | (t1 << 16)).AsByte().StoreUnsafe(ref d, (nuint)i * 4 + 16);
            }
        }

        return i;
    }
}
