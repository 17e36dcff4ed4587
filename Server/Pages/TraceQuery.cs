using XenDisplayWeb.Client.Models;
using XenDisplayWeb.Server.Views;
using XenDisplayWeb.Shared.Diagnostics;
using XenDisplayWeb.Shared.Host;

namespace XenDisplayWeb.Server.Pages;

/// <summary>
/// A filter over the protocol trace: entries after a sequence number, of a domain, device, connector, operation or
/// kind (kind Input with op XENKBD_TYPE_KEY, devId 0: guest's vkbd device 0's keys).
/// </summary>
public sealed record TraceQuery(long After, int? DomId, int? Connector, string? Operation, TraceKind? Kind, int Limit, int? DevId = null)
{
    public static readonly IReadOnlyList<string> Kinds = Enum.GetNames<TraceKind>();

    public static TraceQuery All { get; } = new(-1, null, null, null, null, int.MaxValue);

    /// <summary>Null when <paramref name="kind"/> is not a trace kind or the limit is out of range.</summary>
    public static TraceQuery? Create(long? after, int? domId, int? connector, string? op, string? kind, int limit, int maxLimit, int? devId = null)
    {
        TraceKind? k = null;
        if (!string.IsNullOrEmpty(kind))
        {
            if (!Enum.TryParse<TraceKind>(kind, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed)) return null;
            k = parsed;
        }
        if (limit < 1 || limit > maxLimit) return null;
        return new TraceQuery(after ?? -1, domId, connector, string.IsNullOrEmpty(op) ? null : op, k, limit, devId);
    }

    /// <summary>The newest <see cref="Limit"/> matching entries, oldest first.</summary>
    public IReadOnlyList<TraceEntryView> Run(SimulatedSystem? system)
    {
        if (system is null) return [];
        var matching = system.Trace.Snapshot(After).Where(Matches).ToList();
        if (matching.Count > Limit) matching.RemoveRange(0, matching.Count - Limit);
        return matching.Select(DashboardViews.Trace).ToList();
    }

    private bool Matches(TraceEntry e) =>
        (DomId is null || e.DomId == DomId)
        && (DevId is null || e.DevId == DevId)
        && (Connector is null || e.Connector == Connector)
        && (Kind is null || e.Kind == Kind)
        && (Operation is null || string.Equals(e.Operation, Operation, StringComparison.OrdinalIgnoreCase));
}
