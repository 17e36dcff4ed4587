using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace XenDisplayWeb.Server.Streaming.Video;

/// <summary>
/// BGRX (little-endian XRGB8888: B, G, R, X bytes) to I420 in BT.601 limited range, the colours the encoder
/// declares in its VUI (and what a decoder assumes without them). Each chroma sample is the average of its
/// 2x2 block. Planes are tight: Y is <c>width</c> bytes a row, U and V <c>width / 2</c>.
/// </summary>
public static class I420Converter
{
    // BT.601 limited range in 16-bit fixed point: Y = 16 + (65.481 R + 128.553 G + 24.966 B) / 255,
    // Cb = 128 + (-37.797 R - 74.203 G + 112 B) / 255, Cr = 128 + (112 R - 93.786 G - 18.214 B) / 255.
    // The chroma rows sum to zero so grey stays exactly 128.
    private const int Shift = 16;
    private const int YR = 16829, YG = 33039, YB = 6416;
    private const int UR = -9714, UG = -19070, UB = 28784;
    private const int VR = 28784, VG = -24103, VB = -4681;
    private const int YOffset = (16 << Shift) + (1 << (Shift - 1));
    // Chroma works on the sum of four pixels, hence two more bits of shift.
    private const int COffset = (128 << (Shift + 2)) + (1 << (Shift + 1));

    /// <summary>Pixels a vector step converts: two rows of this many pixels each.</summary>
    private const int Step = 64;

    /// <summary>Converts a <paramref name="width"/> x <paramref name="height"/> BGRX picture (both even) into the three planes.</summary>
    public static void Convert(ReadOnlySpan<byte> bgrx, int stride, int width, int height, Span<byte> y, Span<byte> u, Span<byte> v)
    {
        if (width <= 0 || height <= 0 || (width & 1) != 0 || (height & 1) != 0)
            throw new ArgumentException($"{width}x{height}: I420 needs a positive, even width and height", nameof(width));
        if (stride < width * 4 || bgrx.Length < (long)(height - 1) * stride + width * 4L)
            throw new ArgumentException($"{bgrx.Length} bytes at stride {stride} do not hold {width}x{height} BGRX pixels", nameof(bgrx));
        int cw = width / 2;
        if (y.Length < width * height || u.Length < cw * (height / 2) || v.Length < cw * (height / 2))
            throw new ArgumentException($"the planes do not hold a {width}x{height} I420 picture", nameof(y));

        ref byte src = ref MemoryMarshal.GetReference(bgrx);
        ref byte yRef = ref MemoryMarshal.GetReference(y);
        ref byte uRef = ref MemoryMarshal.GetReference(u);
        ref byte vRef = ref MemoryMarshal.GetReference(v);
        int vectorWidth = Vector256.IsHardwareAccelerated ? width / Step * Step : 0;
        for (int row = 0; row < height; row += 2)
        {
            ref byte top = ref Unsafe.Add(ref src, (nint)row * stride);
            ref byte bottom = ref Unsafe.Add(ref top, stride);
            ref byte yTop = ref Unsafe.Add(ref yRef, (nint)row * width);
            ref byte yBottom = ref Unsafe.Add(ref yTop, width);
            ref byte uRow = ref Unsafe.Add(ref uRef, (nint)(row / 2) * cw);
            ref byte vRow = ref Unsafe.Add(ref vRef, (nint)(row / 2) * cw);
            for (int x = 0; x < vectorWidth; x += Step)
            {
                LumaStep(ref Unsafe.Add(ref top, x * 4), ref Unsafe.Add(ref yTop, x));
                LumaStep(ref Unsafe.Add(ref bottom, x * 4), ref Unsafe.Add(ref yBottom, x));
                ChromaStep(ref Unsafe.Add(ref top, x * 4), ref Unsafe.Add(ref bottom, x * 4), ref Unsafe.Add(ref uRow, x / 2), ref Unsafe.Add(ref vRow, x / 2));
            }
            for (int x = vectorWidth; x < width; x += 2)
                ScalarPair(ref Unsafe.Add(ref top, x * 4), ref Unsafe.Add(ref bottom, x * 4), ref Unsafe.Add(ref yTop, x), ref Unsafe.Add(ref yBottom, x),
                    ref Unsafe.Add(ref uRow, x / 2), ref Unsafe.Add(ref vRow, x / 2));
        }
    }

    /// <summary>64 pixels of one row to 64 Y bytes, eight pixels a 32-bit-lane vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LumaStep(ref byte pixels, ref byte yOut)
    {
        for (int half = 0; half < 2; half++)
        {
            ref byte p = ref Unsafe.Add(ref pixels, half * 128);
            var a = Vector256.Narrow(Luma(ref p, 0), Luma(ref p, 32));
            var b = Vector256.Narrow(Luma(ref p, 64), Luma(ref p, 96));
            Vector256.Narrow(a, b).AsByte().StoreUnsafe(ref yOut, (nuint)(half * 32));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Luma(ref byte p, int offset)
    {
        var px = Vector256.LoadUnsafe(ref p, (nuint)offset).AsInt32();
        var mask = Vector256.Create(0xFF);
        var b = px & mask;
        var g = Vector256.ShiftRightLogical(px, 8) & mask;
        var r = Vector256.ShiftRightLogical(px, 16) & mask;
        var sum = r * Vector256.Create(YR) + g * Vector256.Create(YG) + b * Vector256.Create(YB) + Vector256.Create(YOffset);
        return Vector256.ShiftRightArithmetic(sum, Shift);
    }

    /// <summary>
    /// Two rows of 64 pixels to 32 U and 32 V bytes. A 64-bit lane holds two neighbouring pixels; masking
    /// spreads their channels into 16-bit slots so both rows and both pixels add without overflow, leaving
    /// each 2x2 block's B, G and R sums in the lane's low 32 bits (B and R in one 32-bit word, G in another).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ChromaStep(ref byte top, ref byte bottom, ref byte uOut, ref byte vOut)
    {
        for (int half = 0; half < 2; half++)
        {
            int o = half * 128;
            var (u0, v0) = Chroma(ref top, ref bottom, o);
            var (u1, v1) = Chroma(ref top, ref bottom, o + 32);
            var (u2, v2) = Chroma(ref top, ref bottom, o + 64);
            var (u3, v3) = Chroma(ref top, ref bottom, o + 96);
            // The samples are in the even 32-bit lanes: narrowing 64-bit lanes keeps exactly those.
            var u = Vector256.Narrow(Vector256.Narrow(u0.AsInt64(), u1.AsInt64()), Vector256.Narrow(u2.AsInt64(), u3.AsInt64()));
            var v = Vector256.Narrow(Vector256.Narrow(v0.AsInt64(), v1.AsInt64()), Vector256.Narrow(v2.AsInt64(), v3.AsInt64()));
            var uv = Vector256.Narrow(u, v).AsByte();
            uv.GetLower().StoreUnsafe(ref uOut, (nuint)(half * 16));
            uv.GetUpper().StoreUnsafe(ref vOut, (nuint)(half * 16));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<int> U, Vector256<int> V) Chroma(ref byte top, ref byte bottom, int offset)
    {
        var t = Vector256.LoadUnsafe(ref top, (nuint)offset).AsUInt64();
        var d = Vector256.LoadUnsafe(ref bottom, (nuint)offset).AsUInt64();
        var spread = Vector256.Create(0x00FF00FF_00FF00FFUL);
        var br = (t & spread) + (d & spread);
        var gx = (Vector256.ShiftRightLogical(t, 8) & spread) + (Vector256.ShiftRightLogical(d, 8) & spread);
        br += Vector256.ShiftRightLogical(br, 32);
        gx += Vector256.ShiftRightLogical(gx, 32);
        var low = Vector256.Create(0xFFFF);
        var brw = br.AsInt32();
        var b = brw & low;
        var r = Vector256.ShiftRightLogical(brw, 16) & low;
        var g = gx.AsInt32() & low;
        var offset2 = Vector256.Create(COffset);
        var u = Vector256.ShiftRightArithmetic(r * Vector256.Create(UR) + g * Vector256.Create(UG) + b * Vector256.Create(UB) + offset2, Shift + 2);
        var v = Vector256.ShiftRightArithmetic(r * Vector256.Create(VR) + g * Vector256.Create(VG) + b * Vector256.Create(VB) + offset2, Shift + 2);
        return (u, v);
    }

    /// <summary>One 2x2 block the plain way (the tail of a row the vectors do not cover).</summary>
    private static void ScalarPair(ref byte top, ref byte bottom, ref byte yTop, ref byte yBottom, ref byte u, ref byte v)
    {
        int bs = 0, gs = 0, rs = 0;
        for (int i = 0; i < 2; i++)
        {
            ref byte row = ref i == 0 ? ref top : ref bottom;
            ref byte yRow = ref i == 0 ? ref yTop : ref yBottom;
            for (int j = 0; j < 2; j++)
            {
                int b = Unsafe.Add(ref row, j * 4), g = Unsafe.Add(ref row, j * 4 + 1), r = Unsafe.Add(ref row, j * 4 + 2);
                Unsafe.Add(ref yRow, j) = (byte)((YR * r + YG * g + YB * b + YOffset) >> Shift);
                bs += b; gs += g; rs += r;
            }
        }
        u = (byte)((UR * rs + UG * gs + UB * bs + COffset) >> (Shift + 2));
        v = (byte)((VR * rs + VG * gs + VB * bs + COffset) >> (Shift + 2));
    }
}
