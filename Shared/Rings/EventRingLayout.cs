namespace XenDisplayWeb.Shared.Rings;

/// <summary>
/// Where an event ring lives in its shared page: the consumer's and producer's u32 indices, the first slot,
/// the slot size and the number of slots. A slot is <c>idx % SlotCount</c>: the count need not be a power of
/// two (displif has 63 slots, kbdif 51 and 25), so, as in the C macros, the slot sequence jumps when the u32
/// index wraps: for 51 slots idx 0xffffffff and idx 0 share slot 0, and an event still pending there when the
/// index wraps is overwritten. Both sides compute it the same way; a frontend that starts at 0 meets it after
/// 2^32 events.
/// </summary>
public sealed record EventRingLayout
{
    public EventRingLayout(string name, int consOffset, int prodOffset, int ringOffset, int slotSize, int slotCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slotSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slotCount);
        if (consOffset < 0 || prodOffset < 0 || consOffset % 4 != 0 || prodOffset % 4 != 0 || Math.Abs(consOffset - prodOffset) < 4)
            throw new ArgumentException($"{name}: cons @{consOffset} and prod @{prodOffset} must be distinct aligned u32s");
        if (ringOffset < 0 || (long)ringOffset + (long)slotSize * slotCount > SharedRing.PageSize)
            throw new ArgumentException($"{name}: {slotCount} slots of {slotSize} bytes at {ringOffset} do not fit a page");
        if (Overlaps(consOffset, ringOffset, slotSize * slotCount) || Overlaps(prodOffset, ringOffset, slotSize * slotCount))
            throw new ArgumentException($"{name}: an index lies inside the slots");
        Name = name;
        ConsOffset = consOffset;
        ProdOffset = prodOffset;
        RingOffset = ringOffset;
        SlotSize = slotSize;
        SlotCount = slotCount;
    }

    /// <summary>The ring's name in its header's words, for messages ("xenkbd in ring").</summary>
    public string Name { get; }
    public int ConsOffset { get; }
    public int ProdOffset { get; }
    public int RingOffset { get; }
    public int SlotSize { get; }
    public int SlotCount { get; }

    /// <summary>Bytes the slots take: SlotSize * SlotCount.</summary>
    public int RingSize => SlotSize * SlotCount;

    /// <summary>The page bytes this layout touches, from 0: a mapping must hold at least this many.</summary>
    public int Extent => Math.Max(RingOffset + RingSize, Math.Max(ConsOffset, ProdOffset) + sizeof(uint));

    /// <summary>The byte offset of slot <c>idx % SlotCount</c> from the start of the page.</summary>
    public int SlotOffset(uint idx) => RingOffset + (int)(idx % (uint)SlotCount) * SlotSize;

    /// <summary>Events published and not yet consumed, if the two indices are consistent: 0..SlotCount.</summary>
    public bool InRange(uint prod, uint cons) => unchecked(prod - cons) <= (uint)SlotCount;

    public uint Cons(byte[] page, int offset = 0) => SharedRing.Load(page, offset + ConsOffset);
    public uint Prod(byte[] page, int offset = 0) => SharedRing.Load(page, offset + ProdOffset);
    public void SetCons(byte[] page, uint value, int offset = 0) => SharedRing.Store(page, offset + ConsOffset, value);
    public void SetProd(byte[] page, uint value, int offset = 0) => SharedRing.Store(page, offset + ProdOffset, value);

    /// <summary>Throws unless <paramref name="page"/> holds this layout at <paramref name="offset"/>.</summary>
    public void CheckFits(byte[] page, int offset)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (offset < 0 || offset % sizeof(uint) != 0 || page.Length - offset < Extent)
            throw new ArgumentException($"{Name} needs {Extent} bytes at an aligned offset; got {page.Length - offset} at {offset}", nameof(page));
    }

    private static bool Overlaps(int field, int start, int length) => field + sizeof(uint) > start && field < start + length;
}
