using System.Globalization;

namespace XenDisplayWeb.Client.Models;

/// <summary>How the pages write numbers (the script writes live updates the same way).</summary>
public static class Format
{
    /// <summary>At most one decimal, invariant: 60, 29.5.</summary>
    public static string Number(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1 << 20 => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        >= 1 << 10 => (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };
}
