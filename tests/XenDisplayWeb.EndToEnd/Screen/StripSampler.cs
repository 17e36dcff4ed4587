using XenDisplayWeb.Shared.Workloads;

namespace XenDisplayWeb.EndToEnd.Screen;

/// <summary>
/// Reads the measurement strip off a screen capture where the canvas sits at (left, top) drawn at
/// <c>scale</c> (CSS may fit a large canvas to the window): each cell's bit is the mean luminance of a
/// small square at the cell's scaled centre.
/// </summary>
public static class StripSampler
{
    /// <summary>Rows 0 and 1: the frame number and the low 32 bits of the guest's flip time.</summary>
    public static bool TryRead(byte[] rgba, int width, int height, double left, double top, double scale, out uint frameSeq, out uint flipLow32)
    {
        Span<uint> rows = stackalloc uint[2];
        bool ok = TryReadRows(rgba, width, height, left, top, scale, rows);
        (frameSeq, flipLow32) = (rows[0], rows[1]);
        return ok;
    }

    /// <summary>All three rows: also the low 32 bits of the seq of the last input event the guest consumed (row 2).</summary>
    public static bool TryRead(byte[] rgba, int width, int height, double left, double top, double scale, out uint frameSeq, out uint flipLow32, out uint inputSeqLow32)
    {
        Span<uint> rows = stackalloc uint[MeasurementStrip.Rows];
        bool ok = TryReadRows(rgba, width, height, left, top, scale, rows);
        (frameSeq, flipLow32, inputSeqLow32) = (rows[0], rows[1], rows[2]);
        return ok;
    }

    private static bool TryReadRows(byte[] rgba, int width, int height, double left, double top, double scale, Span<uint> rows)
    {
        rows.Clear();
        int radius = Math.Max(0, (int)(MeasurementStrip.SampleSize * scale / 2) - 1);
        for (int band = 0; band < rows.Length; band++)
        {
            uint value = 0;
            for (int i = 0; i < MeasurementStrip.CellsPerRow; i++)
            {
                int cx = (int)Math.Round(left + (i * MeasurementStrip.CellSize + MeasurementStrip.CellSize / 2.0) * scale);
                int cy = (int)Math.Round(top + (band * MeasurementStrip.CellSize + MeasurementStrip.CellSize / 2.0) * scale);
                if (cx - radius < 0 || cy - radius < 0 || cx + radius >= width || cy + radius >= height) return false;
                long sum = 0; int n = 0;
                for (int y = cy - radius; y <= cy + radius; y++)
                    for (int x = cx - radius; x <= cx + radius; x++)
                    {
                        int o = (y * width + x) * 4;
                        sum += 77 * rgba[o] + 150 * rgba[o + 1] + 29 * rgba[o + 2];
                        n++;
                    }
                if (sum >= 128L * 256 * n) value |= 1u << i;
            }
            rows[band] = value;
        }
        return true;
    }
}
