namespace XenDisplayWeb.Shared.Xen;

/// <summary>
/// A XenStore transaction handle, as returned by <see cref="IXenStore.BeginTransaction"/>.
/// It ends with <see cref="IXenStore.Commit"/> or <see cref="IXenStore.Abort"/>.
/// </summary>
public class XsTransaction
{
    protected XsTransaction(uint id, int domId)
    {
        Id = id;
        DomId = domId;
    }

    /// <summary>Transaction id (unique per store, never 0: 0 means "no transaction" on the wire).</summary>
    public uint Id { get; }

    /// <summary>Domain of the connection that started the transaction.</summary>
    public int DomId { get; }

    /// <summary>False once the transaction has been committed (successfully or not) or aborted.</summary>
    public bool IsActive { get; protected internal set; } = true;

    public override string ToString() => $"xs-tx {Id} (dom{DomId}{(IsActive ? "" : ", ended")})";
}

/// <summary>
/// Transaction state in the simulated store. The tree is immutable, so a transaction just keeps
/// the root it started from (<see cref="Base"/>) and its private view (<see cref="Work"/>).
/// </summary>
internal sealed class SimTransaction(uint id, XenStoreConnection owner, XenStore.Node root) : XsTransaction(id, owner.DomId)
{
    public XenStoreConnection Owner { get; } = owner;
    public XenStore.Node Base { get; } = root;
    public XenStore.Node Work { get; set; } = root;

    /// <summary>Paths read, listed or written; the commit fails if any changed in the store since <see cref="Base"/>.</summary>
    public HashSet<string> Touched { get; } = new(StringComparer.Ordinal);

    /// <summary>Mutations to replay on the live tree at commit.</summary>
    public List<XenStore.Op> Ops { get; } = [];
}
