using XenDisplayWeb.Shared.Workloads;

namespace XenDisplayWeb.EndToEnd.Screen;

/// <summary>
/// Reads the measurement strip off a screen capture where the canvas sits at (left, top) drawn at
/// <c>scale</c> (CSS may fit a large canvas to the window): each cell's bit is the mean luminance of a
/// small square at the cell's scaled centre.
/// </summary>
public static class StripSampler
{
    public static bool TryRead(byte[] rgba, int width, int height, double left, double top, double scale, out uint frameSeq, out uint flipLow32)
    {
        frameSeq = flipLow32 = 0;
        int radius = Math.Max(0, (int)(MeasurementStrip.SampleSize * scale / 2) - 1);
        for (int band = 0; band < 2; band++)
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
            if (band == 0) frameSeq = value; else flipLow32 = value;
        }
        return true;
    }
}
