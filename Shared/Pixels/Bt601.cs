using System.Runtime.CompilerServices;

namespace XenDisplayWeb.Shared.Pixels;

/// <summary>
/// ITU-R BT.601 limited-range ("studio swing": Y 16..235, Cb/Cr 16..240) YCbCr &lt;-&gt; RGB,
/// in 8.8 fixed point.
/// </summary>
internal static class Bt601
{
    /// <summary>The chroma terms shared by both pixels of a YUYV pair.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Chroma(int u, int v, out int rc, out int gc, out int bc)
    {
        int d = u - 128;
        int e = v - 128;
        rc = 409 * e;
        gc = -100 * d - 208 * e;
        bc = 516 * d;
    }

    /// <summary>Luma term including the rounding constant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Luma(int y) => 298 * (y - 16) + 128;

    /// <summary>Shift a fixed-point sum down and clamp it to 0..255.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte Clamp(int fixedPoint)
    {
        // Branchless: negatives become 0, values above 255 become all ones (truncated to 255).
        int v = fixedPoint >> 8;
        v &= ~(v >> 31);
        v |= (255 - v) >> 31;
        return (byte)v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte Y(int r, int g, int b) => (byte)(((66 * r + 129 * g + 25 * b + 128) >> 8) + 16);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte U(int r, int g, int b) => (byte)(((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte V(int r, int g, int b) => (byte)(((112 * r - 94 * g - 18 * b + 128) >> 8) + 128);
}
