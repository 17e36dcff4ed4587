namespace XenDisplayWeb.Shared.Xen;

/// <summary>A foreign page mapped through a grant reference (gntdev's map_grant_ref).</summary>
public sealed class GrantMapping
{
    private readonly byte[] _data;

    internal GrantMapping(int domId, uint gref, bool readOnly, byte[] data)
    {
        DomId = domId;
        Gref = gref;
        ReadOnly = readOnly;
        _data = data;
    }

    /// <summary>The granting domain.</summary>
    public int DomId { get; }
    public uint Gref { get; }
    public bool ReadOnly { get; }
    public bool IsMapped { get; internal set; } = true;

    /// <summary>The page. Read-only mappings must not be written (a real binding maps them without PROT_WRITE).</summary>
    public Span<byte> Span => _data;
    public ReadOnlySpan<byte> ReadOnlySpan => _data;
    public Memory<byte> Memory => _data;
    internal byte[] Data => _data;
}

/// <summary>What the backend needs to map guests' grants (the xengnttab interface).</summary>
public interface IGrantMapper
{
    /// <summary>Maps one grant; throws <see cref="XenException"/> (ENOENT, EPERM, EINVAL) when the grant is not live for us.</summary>
    GrantMapping Map(int domId, uint gref, bool readOnly);

    void Unmap(GrantMapping mapping);

    /// <summary>Mappings this handle holds right now: leaks show here.</summary>
    int ActiveMappings { get; }
}

/// <summary>A page this domain allocated and granted to another domain (the xengntshr/gntalloc interface).</summary>
public sealed class SharedPage(int granteeDomId, uint gref, XenPage page, bool readOnly)
{
    public int GranteeDomId { get; } = granteeDomId;
    public uint Gref { get; } = gref;
    public bool ReadOnly { get; } = readOnly;
    public Span<byte> Span => page.Data;
    public Memory<byte> Memory => page.Data;
    internal XenPage Page => page;
}

public interface IGrantSharer
{
    /// <summary>Allocates a zeroed page and grants it to <paramref name="granteeDomId"/>.</summary>
    SharedPage Share(int granteeDomId, bool readOnly);

    /// <summary>Ends the grant and frees the page; throws EBUSY while the grantee maps it.</summary>
    void Unshare(SharedPage page);

    int ActiveShares { get; }
}
