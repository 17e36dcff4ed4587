namespace XenDisplayWeb.Shared.Xen;

/// <summary>A foreign page mapped through a grant reference (gntdev's map_grant_ref).</summary>
public sealed class GrantMapping
{
    internal GrantMapping(int domId, uint gref, bool readOnly, XenPage page)
    {
        DomId = domId;
        Gref = gref;
        ReadOnly = readOnly;
        Array = page.Array;
        Offset = page.Offset;
    }

    /// <summary>The granting domain.</summary>
    public int DomId { get; }
    public uint Gref { get; }
    public bool ReadOnly { get; }
    public bool IsMapped { get; internal set; } = true;

    /// <summary>The page. Read-only mappings must not be written (a real binding maps them without PROT_WRITE).</summary>
    public Span<byte> Span => Array.AsSpan(Offset, XenPage.Size);
    public ReadOnlySpan<byte> ReadOnlySpan => Array.AsSpan(Offset, XenPage.Size);
    public Memory<byte> Memory => Array.AsMemory(Offset, XenPage.Size);

    /// <summary>Where the mapping lives in this process (mappings of adjacent pages are adjacent).</summary>
    public byte[] Array { get; }
    public int Offset { get; }
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
    public Span<byte> Span => page.Span;
    public Memory<byte> Memory => page.Memory;
    public byte[] Array => page.Array;
    public int Offset => page.Offset;
    internal XenPage Page => page;
}

public interface IGrantSharer
{
    /// <summary>Allocates <paramref name="count"/> zeroed pages (adjacent here) and grants each to <paramref name="granteeDomId"/>.</summary>
    SharedPage[] Share(int granteeDomId, int count, bool readOnly);

    /// <summary>Ends the grant and frees the page; throws EBUSY while the grantee maps it.</summary>
    void Unshare(SharedPage page);

    /// <summary>Whether the grantee maps the page now (Unshare would fail with EBUSY).</summary>
    bool IsInUse(SharedPage page);

    int ActiveShares { get; }
}
