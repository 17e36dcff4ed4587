using System.Runtime.InteropServices;

namespace XenDisplayWeb.Shared.Workloads;

/// <summary>
/// A frame buffer to draw into: XRGB8888, 32 bpp, little-endian (bytes B, G, R, X per pixel),
/// <paramref name="height"/> rows of <paramref name="stride"/> bytes.
/// </summary>
/// <remarks>
/// <see cref="BufferIndex"/> tells an incremental renderer which of the caller's buffers this is
/// (e.g. 0 or 1 for a double-buffered connector). Renderers additionally key their per-buffer
/// history on the buffer's address and verify the measurement strip left in it, so a wrong or
/// constant index costs CPU (a full repaint) but never correctness.
/// </remarks>
public readonly ref struct FrameTarget
{
    /// <summary>Bytes per XRGB8888 pixel.</summary>
    public const int BytesPerPixel = 4;

    /// <summary>Creates a target; throws <see cref="ArgumentException"/> if the geometry does not fit <paramref name="pixels"/>.</summary>
    public FrameTarget(Span<byte> pixels, int width, int height, int stride, int bufferIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if ((long)width * BytesPerPixel > stride)
            throw new ArgumentOutOfRangeException(nameof(stride), stride, $"Stride must be at least width*4 = {(long)width * BytesPerPixel}.");
        long needed = RequiredLength(width, height, stride);
        if (pixels.Length < needed)
            throw new ArgumentException($"Buffer of {pixels.Length} bytes is smaller than the {needed} bytes a {width}x{height} frame with stride {stride} needs.", nameof(pixels));
        Pixels = pixels;
        Width = width;
        Height = height;
        Stride = stride;
        BufferIndex = bufferIndex;
    }

    /// <summary>The pixel bytes (B, G, R, X per pixel).</summary>
    public Span<byte> Pixels { get; }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Bytes from the start of one row to the next.</summary>
    public int Stride { get; }

    /// <summary>The caller's id for this buffer (e.g. 0/1 for double buffering).</summary>
    public int BufferIndex { get; }

    /// <summary>Row <paramref name="y"/> as <see cref="Width"/> native-endian 32-bit pixels.</summary>
    public Span<uint> Row(int y) => MemoryMarshal.Cast<byte, uint>(Pixels.Slice(y * Stride, Width * BytesPerPixel));

    /// <summary>Bytes a frame of this geometry occupies: stride*(height-1) + width*4.</summary>
    public static long RequiredLength(int width, int height, int stride) =>
        (long)stride * (height - 1) + (long)width * BytesPerPixel;
}
