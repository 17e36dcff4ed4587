using XenDisplayWeb.Client.Models;
using XenDisplayWeb.Shared.Host;

namespace XenDisplayWeb.Server.Views;

/// <summary>A XenStore subtree with each node's owner, for the XenStore page and API.</summary>
public static class XenStoreViewBuilder
{
    /// <summary>
    /// Null when the node does not exist. Throws <see cref="Shared.Xen.XenStoreException"/> (EINVAL) for a
    /// path XenStore would refuse.
    /// </summary>
    public static XenStoreView? At(SimulatedSystem? system, string path)
    {
        if (system is null) return null;
        var store = system.Host.Store;
        long generation = store.Generation;
        var nodes = store.Snapshot(path);
        if (nodes.Count == 0) return null;
        return new XenStoreView(path, generation,
            nodes.Select(n => new XenStoreNodeView(n.Path, n.Name, n.Value, n.Owner, n.Depth, n.Generation)).ToList());
    }
}
