using XenDisplayWeb.Shared.Displif;
using D = XenDisplayWeb.Shared.Displif.Displif;

namespace XenDisplayWeb.Shared.Host;

/// <summary>
/// What the host-wide controls accept, in one place: the frontends' timeouts and the backend's faults. The API,
/// the pages' forms (their min and max) and the start-up settings use these. Each check answers the rule broken,
/// or null; an absent value (null) keeps the current one and is no problem, except where it says "required".
/// </summary>
public static class ControlLimits
{
    /// <summary>A frontend's request or frame-done timeout: ten minutes is already a hung guest.</summary>
    public const int MaxTimeoutMs = 600_000;
    public const int MaxResponseDelayMs = 60_000;
    /// <summary>Responses or frame-done events to drop, or requests to fail.</summary>
    public const int MaxFaultCount = 100_000;
    /// <summary>Linux's MAX_ERRNO: a failed request's status is a negative errno, -MaxErrno..-1.</summary>
    public const int MaxErrno = 4095;

    public static string? TimeoutMsProblem(int? ms) => Bounds.Rule(ms, 1, MaxTimeoutMs, required: false);

    public static string? ResponseDelayMsProblem(int? ms) => Bounds.Rule(ms, 0, MaxResponseDelayMs, required: false);

    public static string? DropResponsesProblem(int? count) => Bounds.Rule(count, 0, MaxFaultCount, required: false);

    /// <summary>-1 drops every frame-done event until set again.</summary>
    public static string? DropFrameDoneProblem(int? count) => Bounds.Rule(count, -1, MaxFaultCount, required: false);

    /// <summary>How many of the next requests to fail (required; 0 clears).</summary>
    public static string? FailCountProblem(int? count) => Bounds.Rule(count, 0, MaxFaultCount);

    /// <summary>The status the failed requests answer (required).</summary>
    public static string? FailStatusProblem(int? status) => Bounds.Rule(status, -MaxErrno, -1);

    /// <summary>The operations a failure can be asked for, by their header names ("DBUF_CREATE", ...).</summary>
    public static IReadOnlyList<string> FailOperations { get; } = Enum.GetValues<XendisplOp>().Select(o => D.OpName((byte)o)).ToList();

    /// <summary>The operation named (in any case), or the rule the name breaks.</summary>
    public static string? FailOperationProblem(string? name, out XendisplOp op)
    {
        foreach (var o in Enum.GetValues<XendisplOp>())
            if (string.Equals(D.OpName((byte)o), name, StringComparison.OrdinalIgnoreCase)) { op = o; return null; }
        op = default;
        return $"must be one of {string.Join(", ", FailOperations)}";
    }
}
