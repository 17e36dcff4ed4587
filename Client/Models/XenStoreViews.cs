namespace XenDisplayWeb.Client.Models;

/// <summary>A XenStore subtree (<c>GET /api/xenstore?path=</c>), nodes in pre-order.</summary>
public sealed record XenStoreView(string Path, long Generation, IReadOnlyList<XenStoreNodeView> Nodes);

/// <summary>One XenStore node.</summary>
/// <param name="Owner">The domain that created the node (its permission owner; the simulated store keeps no other ACL).</param>
/// <param name="Depth">Path segments below "/" ("/local" is 1).</param>
/// <param name="Generation">Store generation of the node's last change.</param>
public sealed record XenStoreNodeView(string Path, string Name, string Value, int Owner, int Depth, long Generation);
