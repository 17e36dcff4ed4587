namespace XenDisplayWeb.Benchmarks;

internal static class Stats
{
    public static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * p))];

    public static string Us(double v) => v.ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
}
