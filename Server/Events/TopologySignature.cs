using System.Globalization;
using System.Text;
using XenDisplayWeb.Client.Models;

namespace XenDisplayWeb.Server.Events;

/// <summary>
/// What makes a topology different: domains, connectors, modes, XenBus states, links, workloads, misbehaving, and each
/// vkbd device's state and the last input seq its guest consumed (an operator's page shows it); not frame counts.
/// </summary>
public static class TopologySignature
{
    public static string Of(IReadOnlyList<DomainView> domains)
    {
        var sb = new StringBuilder();
        foreach (var d in domains)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{d.DomId}|{d.Name}|{d.State}|{d.BeAlloc}|{d.BackendState}|{d.Misbehaving};");
            foreach (var c in d.Connectors)
                sb.Append(CultureInfo.InvariantCulture, $"[{c.Index}|{c.Width}x{c.Height}|{c.UniqueId}|{c.Workload}|{c.State}|{c.Connected}|{c.FramesPerSecond}|{c.Input?.State}|{c.Input?.LastSeq}]");
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
