namespace XenDisplayWeb.Shared.Xen;

/// <summary>One 4096-byte page of a domain's memory. Pinned, so its address never moves.</summary>
public sealed class XenPage
{
    public const int Size = 4096;
    public const int Shift = 12;

    internal XenPage(int ownerDomId, ulong pfn)
    {
        OwnerDomId = ownerDomId;
        Pfn = pfn;
        Data = GC.AllocateArray<byte>(Size, pinned: true);
    }

    public int OwnerDomId { get; }

    /// <summary>The guest frame number: pages a domain allocates are not contiguous.</summary>
    public ulong Pfn { get; }

    public byte[] Data { get; }

    public Span<byte> Span => Data;
}
