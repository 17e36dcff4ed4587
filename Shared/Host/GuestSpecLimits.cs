using System.Text;
using XenDisplayWeb.Shared.Workloads;
using XenDisplayWeb.Shared.Xen;
using D = XenDisplayWeb.Shared.Displif.Displif;

namespace XenDisplayWeb.Shared.Host;

/// <summary>
/// What a guest and its connectors may be given, in one place: the guest console, the connector controls
/// and the demo settings check these. Each check answers the rule broken, or null.
/// </summary>
public static class GuestSpecLimits
{
    /// <summary>The name goes to XenStore (/local/domain/N/name), whose values hold at most this many UTF-8 bytes.</summary>
    public const int MaxNameBytes = XenStore.MaxValueBytes;

    public const int MaxUniqueIdLength = D.MaxUniqueIdLength;

    /// <summary>0 draws as fast as frame-done events allow.</summary>
    public const double MaxFramesPerSecond = 1000;

    public static string? NameProblem(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "is required and not blank"
        : name.Any(char.IsControl) ? "must not contain control characters"
        : Encoding.UTF8.GetByteCount(name) > MaxNameBytes ? $"must be at most {MaxNameBytes} UTF-8 bytes"
        : null;

    /// <summary>The unique-id goes to XenStore as a value and names the connector in URLs: a short plain word.</summary>
    public static string? UniqueIdProblem(string? uniqueId) => D.UniqueIdProblem(uniqueId);

    /// <summary>Null keeps the connector's rate (the workload control); a new connector's defaults to 60.</summary>
    public static string? FramesPerSecondProblem(double? framesPerSecond) => Bounds.Rule(framesPerSecond, 0, MaxFramesPerSecond, required: false);

    public static string? WorkloadProblem(string? workload) =>
        workload is not null && WorkloadRenderers.Names.Contains(workload, StringComparer.OrdinalIgnoreCase) ? null
        : $"must be one of {string.Join(", ", WorkloadRenderers.Names)}, not '{workload}'";

    /// <summary>The first field at fault in a whole guest (named as the console's request names it), or null.</summary>
    public static (string Field, string Rule)? Check(string? name, IReadOnlyList<GuestConnector> connectors)
    {
        if (NameProblem(name) is { } n) return ("name", n);
        if (connectors.Count is 0 or > D.MaxConnectors) return ("connectors", $"must list 1 to {D.MaxConnectors} connectors");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < connectors.Count; i++)
        {
            var c = connectors[i];
            string at = $"connectors[{i}]";
            if (D.ModeProblem(c.Width, c.Height) is var (side, mode)) return ($"{at}.{side}", mode);
            if (UniqueIdProblem(c.UniqueId) is { } u) return ($"{at}.uniqueId", u);
            if (!ids.Add(c.UniqueId)) return ($"{at}.uniqueId", $"'{c.UniqueId}' is used by another connector of this guest");
            if (WorkloadProblem(c.Workload) is { } w) return ($"{at}.workload", w);
            if (FramesPerSecondProblem(c.FramesPerSecond) is { } f) return ($"{at}.framesPerSecond", f);
        }
        return null;
    }
}
