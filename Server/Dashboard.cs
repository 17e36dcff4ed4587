using XenDisplayWeb.Client.Components;

namespace XenDisplayWeb.Server;

/// <summary>The views the pages and the API share, read off the running system.</summary>
internal static class Dashboard
{
    public static IReadOnlyList<DomainView> Domains(SimulatedHostService host)
    {
        if (host.System is not { } system) return [];
        var list = new List<DomainView>();
        foreach (var g in system.Guests)
        {
            var device = system.Backend.Device(g.DomId);
            var drm = g.Front.Device;
            var connectors = g.Spec.Connectors.Select((c, i) =>
            {
                var served = device?.Connectors.FirstOrDefault(s => s.Index == i);
                var conn = drm?.Connectors.FirstOrDefault(x => x.Index == i);
                return new ConnectorView(i, served?.Width ?? c.Width, served?.Height ?? c.Height, c.UniqueId,
                    i < g.Settings.Count ? g.Settings[i].Workload : c.Workload,
                    (device?.State ?? Shared.Displif.XenbusState.Unknown).ToString(),
                    conn?.LinkConnected ?? false, served?.FramesShown ?? 0);
            }).ToList();
            list.Add(new DomainView(g.DomId, g.Domain.Name, g.Front.State.ToString(), g.Front.BeAlloc || g.Spec.BeAlloc, connectors));
        }
        return list;
    }
}
