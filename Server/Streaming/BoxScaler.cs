using System.Numerics;
using System.Runtime.InteropServices;

namespace XenDisplayWeb.Server.Streaming;

/// <summary>
/// Shrinks a BGRX picture by box averaging. Destination pixel (x, y) of a <c>dw</c> x <c>dh</c> picture made from a
/// <c>sw</c> x <c>sh</c> one is the mean, rounded to nearest, of every source pixel in columns
/// [x * sw / dw, (x + 1) * sw / dw) and rows [y * sh / dh, (y + 1) * sh / dh) (integer division; every box holds
/// at least one pixel since dw &lt;= sw and dh &lt;= sh). X is written 255. Source rows are summed column by column with
/// vector adds, then each column run is summed once per destination row.
/// </summary>
public sealed class BoxScaler
{
    private readonly int[] _x0, _x1, _y0, _y1;
    private readonly double[] _perColumns, _perRows;
    private uint[] _sums = [];

    public BoxScaler(int sourceWidth, int sourceHeight, int width, int height)
    {
        if (width < 1 || height < 1 || width > sourceWidth || height > sourceHeight)
            throw new ArgumentOutOfRangeException(nameof(width), $"{width}x{height} does not fit {sourceWidth}x{sourceHeight}");
        SourceWidth = sourceWidth;
        SourceHeight = sourceHeight;
        Width = width;
        Height = height;
        (_x0, _x1) = Boxes(sourceWidth, width);
        (_y0, _y1) = Boxes(sourceHeight, height);
        _perColumns = Inverses(_x0, _x1);
        _perRows = Inverses(_y0, _y1);
    }

    public int SourceWidth { get; }
    public int SourceHeight { get; }
    public int Width { get; }
    public int Height { get; }

    /// <summary>Destination pixels whose boxes may meet source pixels [<paramref name="x"/>, x + w) x [<paramref name="y"/>, y + h).</summary>
    public PixelRect Covering(PixelRect source)
    {
        int x0 = Math.Max(0, (int)((long)source.X * Width / SourceWidth) - 1);
        int x1 = Math.Min(Width, (int)(((long)(source.X + source.W) * Width + SourceWidth - 1) / SourceWidth) + 1);
        int y0 = Math.Max(0, (int)((long)source.Y * Height / SourceHeight) - 1);
        int y1 = Math.Min(Height, (int)(((long)(source.Y + source.H) * Height + SourceHeight - 1) / SourceHeight) + 1);
        return new PixelRect(x0, y0, x1 - x0, y1 - y0);
    }

    /// <summary>Writes the destination pixels of <paramref name="area"/> into <paramref name="destination"/> (BGRX, tightly packed).</summary>
    public void Scale(ReadOnlySpan<byte> source, Span<byte> destination, PixelRect area)
    {
        int sx0 = _x0[area.X], sx1 = _x1[area.X + area.W - 1];
        int n = (sx1 - sx0) * 4;
        if (_sums.Length < n) _sums = new uint[n];
        var sums = _sums.AsSpan(0, n);
        int sourceStride = SourceWidth * 4, stride = Width * 4;
        for (int y = area.Y; y < area.Y + area.H; y++)
        {
            sums.Clear();
            for (int sy = _y0[y]; sy < _y1[y]; sy++) AddRow(source.Slice(sy * sourceStride + sx0 * 4, n), sums);
            int rows = _y1[y] - _y0[y];
            double perRows = _perRows[y];
            var row = destination.Slice(y * stride, stride);
            for (int x = area.X; x < area.X + area.W; x++)
            {
                uint b = 0, g = 0, r = 0;
                for (int i = (_x0[x] - sx0) * 4, end = (_x1[x] - sx0) * 4; i < end; i += 4)
                {
                    b += sums[i];
                    g += sums[i + 1];
                    r += sums[i + 2];
                }
                // (sum + n / 2) / n in integers, as floor((sum + n / 2 + 0.5) / n) by a multiply: the quotient is
                // at least 0.5 / n from an integer, far above the product's rounding error, so it is exact.
                uint half = (uint)(rows * (_x1[x] - _x0[x])) / 2;
                double inverse = perRows * _perColumns[x];
                int at = x * 4;
                row[at] = (byte)((b + half + 0.5) * inverse);
                row[at + 1] = (byte)((g + half + 0.5) * inverse);
                row[at + 2] = (byte)((r + half + 0.5) * inverse);
                row[at + 3] = 255;
            }
        }
    }

    /// <summary>sums[i] += row[i], widening bytes to 32 bits a vector at a time.</summary>
    private static void AddRow(ReadOnlySpan<byte> row, Span<uint> sums)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vectorSums = MemoryMarshal.Cast<uint, Vector<uint>>(sums);
            int per = Vector<byte>.Count, quarter = Vector<uint>.Count;
            for (; i + per <= row.Length; i += per)
            {
                Vector.Widen(new Vector<byte>(row.Slice(i, per)), out Vector<ushort> lo, out Vector<ushort> hi);
                Vector.Widen(lo, out Vector<uint> a, out Vector<uint> b);
                Vector.Widen(hi, out Vector<uint> c, out Vector<uint> d);
                int v = i / quarter;
                vectorSums[v] += a;
                vectorSums[v + 1] += b;
                vectorSums[v + 2] += c;
                vectorSums[v + 3] += d;
            }
        }
        for (; i < row.Length; i++) sums[i] += row[i];
    }

    private static double[] Inverses(int[] start, int[] end)
    {
        var inverse = new double[start.Length];
        for (int d = 0; d < start.Length; d++) inverse[d] = 1.0 / (end[d] - start[d]);
        return inverse;
    }

    private static (int[] Start, int[] End) Boxes(int source, int size)
    {
        var start = new int[size];
        var end = new int[size];
        for (int d = 0; d < size; d++)
        {
            start[d] = (int)((long)d * source / size);
            end[d] = (int)((long)(d + 1) * source / size);
        }
        return (start, end);
    }
}
