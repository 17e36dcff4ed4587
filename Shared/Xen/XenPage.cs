namespace XenDisplayWeb.Shared.Xen;

/// <summary>One 4096-byte page of a domain's memory. Pinned, so its address never moves.</summary>
public sealed class XenPage
{
    public const int Size = 4096;
    public const int Shift = 12;

    internal XenPage(int ownerDomId, ulong pfn, byte[] array, int offset)
    {
        OwnerDomId = ownerDomId;
        Pfn = pfn;
        Array = array;
        Offset = offset;
    }

    public int OwnerDomId { get; }

    /// <summary>The guest frame number: pages a domain allocates are not contiguous.</summary>
    public ulong Pfn { get; }

    /// <summary>
    /// Where the page lives in this process. Pages allocated together are adjacent here, as a
    /// kernel's vmap makes them adjacent in virtual memory, while their frame numbers are scattered.
    /// </summary>
    public byte[] Array { get; }
    public int Offset { get; }

    public Span<byte> Span => Array.AsSpan(Offset, Size);
    public Memory<byte> Memory => Array.AsMemory(Offset, Size);
}
