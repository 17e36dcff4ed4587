namespace XenDisplayWeb.Shared.Workloads;

/// <summary>Pixel byte order of a picture handed to <see cref="MeasurementStrip.TryRead(ReadOnlySpan{byte}, int, int, int, StripPixelFormat, out uint, out uint, out uint)"/>.</summary>
public enum StripPixelFormat
{
    /// <summary>XRGB8888 little-endian: bytes B, G, R, X (the guest's dumb buffers).</summary>
    Xrgb8888,

    /// <summary>Bytes R, G, B, A (e.g. a browser screenshot or canvas ImageData).</summary>
    Rgba8888,
}

/// <summary>
/// The measurement strip stamped in the top-left corner of every workload frame so an observer can read the
/// frame number, the guest's flip time and the last input event the guest consumed off the picture.
/// </summary>
/// <remarks>
/// Three rows of 32 cells of 16x16 pixels starting at (0,0), 512x48 pixels in all (clipped to smaller frames).
/// Cell i of row 0 (x = 16*i, y 0..15) is bit i of the frame sequence number; cell i of row 1 (y 16..31) is bit i of
/// the low 32 bits of the guest's flip time in Unix milliseconds; cell i of row 2 (y 32..47) is bit i of the low 32
/// bits of the sequence number of the last input event the guest's compositor consumed before drawing the frame
/// (its index in the vkbd in ring; 0 before any input). A cell is white (0xFFFFFF) for 1 and black for 0.
/// Readers of rows 0 and 1 only (<see cref="TwoRowHeight"/>) keep working on the three-row strip.
/// </remarks>
public static class MeasurementStrip
{
    /// <summary>Cell edge in pixels.</summary>
    public const int CellSize = 16;

    /// <summary>Cells (bits) per row.</summary>
    public const int CellsPerRow = 32;

    /// <summary>Strip width in pixels (512).</summary>
    public const int Width = CellSize * CellsPerRow;

    /// <summary>Rows: the frame number, the flip time, the input seq.</summary>
    public const int Rows = 3;

    /// <summary>Strip height in pixels (48).</summary>
    public const int Height = CellSize * Rows;

    /// <summary>Height of rows 0 and 1 (32), all the two-row readers need.</summary>
    public const int TwoRowHeight = CellSize * 2;

    /// <summary>Edge of the square sampled at the centre of each cell when reading.</summary>
    public const int SampleSize = 8;

    private const uint WhiteRgb = 0xFFFFFF;
    private const uint BlackRgb = 0x000000;

    /// <summary>Writes the strip for <paramref name="frameSeq"/>, <paramref name="flipTimeLow32"/> and <paramref name="inputSeqLow32"/> into the top-left corner.</summary>
    public static void Stamp(in FrameTarget target, uint frameSeq, uint flipTimeLow32, uint inputSeqLow32 = 0)
    {
        int w = Math.Min(Width, target.Width);
        int h = Math.Min(Height, target.Height);
        uint white = Xrgb.Pack(WhiteRgb), black = Xrgb.Pack(BlackRgb);
        for (int y = 0; y < h; y++)
        {
            uint bits = RowValue(y / CellSize, frameSeq, flipTimeLow32, inputSeqLow32);
            Span<uint> row = target.Row(y)[..w];
            for (int i = 0, x = 0; x < w; i++, x += CellSize)
                row.Slice(x, Math.Min(CellSize, w - x)).Fill(((bits >> i) & 1) != 0 ? white : black);
        }
    }

    /// <summary>Reads rows 0 and 1 from an XRGB8888 (B, G, R, X) picture; false if it is smaller than 512x32.</summary>
    public static bool TryRead(ReadOnlySpan<byte> xrgb, int width, int height, int stride, out uint frameSeq, out uint flipTimeLow32) =>
        TryRead(xrgb, width, height, stride, StripPixelFormat.Xrgb8888, out frameSeq, out flipTimeLow32);

    /// <summary>Reads rows 0 and 1 from an RGBA (R, G, B, A) picture, e.g. a decoded browser screenshot.</summary>
    public static bool TryReadRgba(ReadOnlySpan<byte> rgba, int width, int height, int stride, out uint frameSeq, out uint flipTimeLow32) =>
        TryRead(rgba, width, height, stride, StripPixelFormat.Rgba8888, out frameSeq, out flipTimeLow32);

    /// <summary>Reads all three rows from an RGBA (R, G, B, A) picture; false if it is smaller than 512x48.</summary>
    public static bool TryReadRgba(ReadOnlySpan<byte> rgba, int width, int height, int stride, out uint frameSeq, out uint flipTimeLow32, out uint inputSeqLow32) =>
        TryRead(rgba, width, height, stride, StripPixelFormat.Rgba8888, out frameSeq, out flipTimeLow32, out inputSeqLow32);

    /// <summary>Reads rows 0 and 1 from a frame target.</summary>
    public static bool TryRead(in FrameTarget target, out uint frameSeq, out uint flipTimeLow32) =>
        TryRead(target.Pixels, target.Width, target.Height, target.Stride, StripPixelFormat.Xrgb8888, out frameSeq, out flipTimeLow32);

    /// <summary>Reads all three rows from a frame target.</summary>
    public static bool TryRead(in FrameTarget target, out uint frameSeq, out uint flipTimeLow32, out uint inputSeqLow32) =>
        TryRead(target.Pixels, target.Width, target.Height, target.Stride, StripPixelFormat.Xrgb8888, out frameSeq, out flipTimeLow32, out inputSeqLow32);

    /// <summary>Reads rows 0 and 1 (see the three-row overload); false if the picture is smaller than 512x32.</summary>
    public static bool TryRead(ReadOnlySpan<byte> pixels, int width, int height, int stride, StripPixelFormat format,
        out uint frameSeq, out uint flipTimeLow32)
    {
        Span<uint> rows = stackalloc uint[2];
        bool ok = TryReadRows(pixels, width, height, stride, format, rows);
        (frameSeq, flipTimeLow32) = (rows[0], rows[1]);
        return ok;
    }

    /// <summary>
    /// Reads the strip back, tolerating lossy compression: each bit is the mean luminance
    /// (BT.601 weights) of the central <see cref="SampleSize"/>x<see cref="SampleSize"/> pixels of its cell, thresholded at 128.
    /// </summary>
    /// <returns>False if the picture is smaller than 512x48.</returns>
    /// <exception cref="ArgumentException">The geometry does not fit the buffer.</exception>
    public static bool TryRead(ReadOnlySpan<byte> pixels, int width, int height, int stride, StripPixelFormat format,
        out uint frameSeq, out uint flipTimeLow32, out uint inputSeqLow32)
    {
        Span<uint> rows = stackalloc uint[Rows];
        bool ok = TryReadRows(pixels, width, height, stride, format, rows);
        (frameSeq, flipTimeLow32, inputSeqLow32) = (rows[0], rows[1], rows[2]);
        return ok;
    }

    /// <summary>Reads the first <c>rows.Length</c> rows; all 0 and false if the picture has no room for them.</summary>
    private static bool TryReadRows(ReadOnlySpan<byte> pixels, int width, int height, int stride, StripPixelFormat format, Span<uint> rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        if ((long)width * 4 > stride)
            throw new ArgumentOutOfRangeException(nameof(stride), stride, "Stride must be at least width*4.");
        if (height > 0 && pixels.Length < FrameTarget.RequiredLength(width, height, stride))
            throw new ArgumentException("Buffer is smaller than the frame geometry.", nameof(pixels));
        rows.Clear();
        if (width < Width || height < rows.Length * CellSize)
            return false;

        int rIdx, bIdx;
        switch (format)
        {
            case StripPixelFormat.Xrgb8888: bIdx = 0; rIdx = 2; break;
            case StripPixelFormat.Rgba8888: rIdx = 0; bIdx = 2; break;
            default: throw new ArgumentOutOfRangeException(nameof(format), format, null);
        }

        const int margin = (CellSize - SampleSize) / 2;
        const int threshold = 128 * 256 * SampleSize * SampleSize;
        for (int band = 0; band < rows.Length; band++)
        {
            uint value = 0;
            for (int i = 0; i < CellsPerRow; i++)
            {
                int sum = 0;
                for (int dy = 0; dy < SampleSize; dy++)
                {
                    int o = (band * CellSize + margin + dy) * stride + (i * CellSize + margin) * 4;
                    ReadOnlySpan<byte> run = pixels.Slice(o, SampleSize * 4);
                    for (int p = 0; p < run.Length; p += 4)
                        sum += 77 * run[p + rIdx] + 150 * run[p + 1] + 29 * run[p + bIdx];
                }
                if (sum >= threshold)
                    value |= 1u << i;
            }
            rows[band] = value;
        }
        return true;
    }

    /// <summary>
    /// Reconstructs a full Unix-millisecond time from its low 32 bits: the value congruent to
    /// <paramref name="low32"/> mod 2^32 nearest to <paramref name="nowUnixMs"/> (so latency works across the wrap every ~49.7 days).
    /// </summary>
    public static long FlipTimeMsFromLow32(uint low32, long nowUnixMs)
    {
        const long span = 1L << 32;
        long candidate = (nowUnixMs & ~(span - 1)) | low32;
        long diff = candidate - nowUnixMs;
        if (diff > span / 2)
            candidate -= span;
        else if (diff < -span / 2)
            candidate += span;
        return candidate;
    }

    /// <summary>
    /// True if the buffer still carries exactly the strip this code stamped for these values
    /// (checked at each visible cell centre). Used by incremental renderers to validate their buffer history.
    /// </summary>
    internal static bool Matches(in FrameTarget target, uint frameSeq, uint flipTimeLow32, uint inputSeqLow32)
    {
        uint white = Xrgb.Pack(WhiteRgb), black = Xrgb.Pack(BlackRgb);
        for (int band = 0; band < Rows; band++)
        {
            int y = band * CellSize + CellSize / 2;
            if (y >= target.Height)
                break;
            uint bits = RowValue(band, frameSeq, flipTimeLow32, inputSeqLow32);
            Span<uint> row = target.Row(y);
            for (int i = 0; i < CellsPerRow; i++)
            {
                int x = i * CellSize + CellSize / 2;
                if (x >= target.Width)
                    break;
                if (row[x] != (((bits >> i) & 1) != 0 ? white : black))
                    return false;
            }
        }
        return true;
    }

    private static uint RowValue(int row, uint frameSeq, uint flipTimeLow32, uint inputSeqLow32) => row switch
    {
        0 => frameSeq,
        1 => flipTimeLow32,
        _ => inputSeqLow32,
    };
}
