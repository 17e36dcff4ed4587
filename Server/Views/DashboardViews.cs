using XenDisplayWeb.Client.Models;
using XenDisplayWeb.Shared.Diagnostics;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Host;

namespace XenDisplayWeb.Server.Views;

/// <summary>The views the pages, the API and the hub share, read off the running system.</summary>
public static class DashboardViews
{
    public static IReadOnlyList<DomainView> Domains(SimulatedSystem? system)
    {
        if (system is null) return [];
        var list = new List<DomainView>();
        foreach (var g in system.Guests)
        {
            var device = system.Backend.Device(g.DomId);
            var drm = g.Front.Device;
            var backendState = (device?.State ?? XenbusState.Unknown).ToString();
            var connectors = g.Spec.Connectors.Select((c, i) =>
            {
                var served = device?.Connectors.FirstOrDefault(s => s.Index == i);
                var conn = drm?.Connectors.FirstOrDefault(x => x.Index == i);
                var settings = i < g.Settings.Count ? g.Settings[i] : null;
                return new ConnectorView(i, served?.Width ?? c.Width, served?.Height ?? c.Height, c.UniqueId,
                    settings?.Workload ?? c.Workload, backendState, conn?.LinkConnected ?? false,
                    served?.FramesShown ?? 0, settings?.FramesPerSecond ?? c.FramesPerSecond, Input(system, g, i));
            }).ToList();
            list.Add(new DomainView(g.DomId, g.Domain.Name, g.Front.State.ToString(), g.Front.BeAlloc || g.Spec.BeAlloc,
                connectors, backendState, device?.MisbehavingReason));
        }
        return list;
    }

    private static InputView Input(SimulatedSystem system, Guest g, int index)
    {
        var stats = g.Compositor.Stats(index);
        return new InputView((system.VkbdDevice(g.DomId, index)?.State ?? XenbusState.Unknown).ToString(), stats.InputEvents, stats.LastInputSeq);
    }

    public static TraceEntryView Trace(TraceEntry e) =>
        new(e.Sequence, e.Time, e.DomId, e.DevId, e.Connector, e.Kind.ToString(), e.Id, e.Operation, e.Status, e.ElapsedUs, e.Text);
}
