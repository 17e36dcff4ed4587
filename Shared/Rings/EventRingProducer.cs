namespace XenDisplayWeb.Shared.Rings;

/// <summary>What became of one event offered to an <see cref="EventRingProducer"/>.</summary>
public enum EventPutResult
{
    Put,
    /// <summary>SlotCount events are unconsumed: the event was dropped.</summary>
    Full,
    /// <summary>The other side's consumer index is ahead of what we produced or a ring behind: dropped, and the other side misbehaves.</summary>
    ConsumerOutOfRange,
}

/// <summary>
/// The producer of an event ring (displif's event page, kbdif's in ring in the backend, kbdif's out ring in
/// the frontend). Its producer index is private: the copy in the page is published, never read back. The
/// consumer index is the other side's and is checked at every read. A full ring drops, never waits.
/// </summary>
public class EventRingProducer
{
    private readonly byte[] _page;
    private readonly int _ofs;

    /// <summary>Attaches and resets prod to the consumer's index, as displ_be does: nothing stale is pending.</summary>
    public EventRingProducer(EventRingLayout layout, byte[] page, int offset = 0)
    {
        ArgumentNullException.ThrowIfNull(layout);
        layout.CheckFits(page, offset);
        Layout = layout;
        _page = page;
        _ofs = offset;
        Prod = layout.Cons(page, offset);
        layout.SetProd(page, Prod, offset);
    }

    public EventRingLayout Layout { get; }

    /// <summary>Our producer index: the next event goes to this slot.</summary>
    public uint Prod { get; private set; }

    /// <summary>Events not put, whether the ring was full or its consumer index out of range.</summary>
    public long Dropped { get; private set; }

    /// <summary>
    /// The other side's consumer index, checked: it may not run ahead of what we produced nor lag more than a
    /// ring behind. Returns false when it is out of range (a misbehaving peer).
    /// </summary>
    public bool TryReadConsumer(out uint cons)
    {
        cons = Layout.Cons(_page, _ofs);
        return Layout.InRange(Prod, cons);
    }

    /// <summary>Slots free for events, or -1 when the consumer index is out of range.</summary>
    public int Free => TryReadConsumer(out uint cons) ? Layout.SlotCount - (int)unchecked(Prod - cons) : -1;

    /// <summary>Copies one event (the first SlotSize bytes of <paramref name="evt"/>) in and publishes it.</summary>
    public EventPutResult Put(ReadOnlySpan<byte> evt)
    {
        if (evt.Length < Layout.SlotSize) throw new ArgumentException($"an event of {Layout.Name} is {Layout.SlotSize} bytes", nameof(evt));
        // An acquire read: the slot is written only after the consumer's index said it was free.
        if (!TryReadConsumer(out uint cons)) { Dropped++; return EventPutResult.ConsumerOutOfRange; }
        if (unchecked(Prod - cons) == (uint)Layout.SlotCount) { Dropped++; return EventPutResult.Full; }
        evt[..Layout.SlotSize].CopyTo(_page.AsSpan(_ofs + Layout.SlotOffset(Prod), Layout.SlotSize));
        Prod++;
        Layout.SetProd(_page, Prod, _ofs); // release: the event body is visible before the index
        return EventPutResult.Put;
    }

    /// <summary>Copies one event in and publishes it. False when it was dropped (see <see cref="Put"/>).</summary>
    public bool TryPut(ReadOnlySpan<byte> evt) => Put(evt) == EventPutResult.Put;
}
