namespace XenDisplayWeb.Shared.Xen;

/// <summary>One node of a <see cref="XenStore.Snapshot"/>, for observers such as a dashboard.</summary>
/// <param name="Path">Absolute path of the node.</param>
/// <param name="Value">The node's value (empty for directories).</param>
/// <param name="Owner">Domain id of the connection that created the node.</param>
/// <param name="Depth">Number of path segments: "/" is 0, "/local" is 1.</param>
/// <param name="Generation">Store generation at which the node's value or child list last changed.</param>
public sealed record XenStoreNodeInfo(string Path, string Value, int Owner, int Depth, long Generation)
{
    /// <summary>Last path segment ("" for the root).</summary>
    public string Name => Path.Length == 1 ? "" : Path[(Path.LastIndexOf('/') + 1)..];
}
