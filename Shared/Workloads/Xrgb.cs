using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace XenDisplayWeb.Shared.Workloads;

/// <summary>Pixel value helpers for XRGB8888 stored little-endian (bytes B, G, R, X).</summary>
internal static class Xrgb
{
    /// <summary>The native-endian u32 whose memory bytes are B, G, R, 0xFF for a 0xRRGGBB colour.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Pack(uint rgb)
    {
        uint v = (rgb & 0xFFFFFF) | 0xFF000000;
        return BitConverter.IsLittleEndian ? v : BinaryPrimitives.ReverseEndianness(v);
    }

    /// <summary>The native-endian u32 whose memory bytes are <paramref name="b"/>, <paramref name="g"/>, <paramref name="r"/>, <paramref name="x"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint FromBytes(byte b, byte g, byte r, byte x)
    {
        uint v = b | ((uint)g << 8) | ((uint)r << 16) | ((uint)x << 24);
        return BitConverter.IsLittleEndian ? v : BinaryPrimitives.ReverseEndianness(v);
    }

    /// <summary>Adds the four bytes of two words independently, each wrapping mod 256.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint AddBytes(uint a, uint b) =>
        ((a & 0x7F7F7F7Fu) + (b & 0x7F7F7F7Fu)) ^ ((a ^ b) & 0x80808080u);

    /// <summary>A cheap well-mixed 32-bit hash of three values (deterministic across runs).</summary>
    public static uint Hash(uint a, uint b, uint c)
    {
        uint h = a * 0x9E3779B1u ^ (b + 0x7F4A7C15u) * 0x85EBCA77u ^ (c + 0x165667B1u) * 0xC2B2AE3Du;
        h ^= h >> 16;
        h *= 0x7FEB352Du;
        h ^= h >> 15;
        h *= 0x846CA68Bu;
        h ^= h >> 16;
        return h;
    }
}
