namespace XenDisplayWeb.Shared.Rings;

/// <summary>
/// The consumer of an event ring (displif's event page or kbdif's in ring in the frontend, kbdif's out ring in
/// the backend). Its consumer index is private and only published; the producer index is the other side's,
/// read once per batch and checked. Each event is copied out of its slot before anyone looks at it.
/// </summary>
public sealed class EventRingConsumer
{
    private readonly byte[] _page;
    private readonly int _ofs;

    /// <summary>Attaches at the consumer index the page holds (a frontend that set up its own page, or a backend taking over).</summary>
    public EventRingConsumer(EventRingLayout layout, byte[] page, int offset = 0)
    {
        ArgumentNullException.ThrowIfNull(layout);
        layout.CheckFits(page, offset);
        Layout = layout;
        _page = page;
        _ofs = offset;
        Cons = layout.Cons(page, offset);
    }

    public EventRingLayout Layout { get; }

    /// <summary>Our consumer index: the next event to take is in this slot.</summary>
    public uint Cons { get; private set; }

    /// <summary>
    /// The other side's producer index, read once: pass it to <see cref="Unconsumed"/> rather than reading again.
    /// False when it is behind our index or more than a ring ahead of it (a misbehaving peer).
    /// </summary>
    public bool TryReadProducer(out uint prod)
    {
        prod = Layout.Prod(_page, _ofs); // acquire: the slots it covers are read after it
        return Layout.InRange(prod, Cons);
    }

    /// <summary>Events between our index and a producer index <see cref="TryReadProducer"/> accepted.</summary>
    public int Unconsumed(uint prod) => Layout.InRange(prod, Cons) ? (int)unchecked(prod - Cons) : 0;

    /// <summary>Copies the event at our index into <paramref name="destination"/> and steps past it; publish with <see cref="Publish"/>.</summary>
    public void CopyNext(Span<byte> destination)
    {
        if (destination.Length < Layout.SlotSize) throw new ArgumentException($"an event of {Layout.Name} is {Layout.SlotSize} bytes", nameof(destination));
        _page.AsSpan(_ofs + Layout.SlotOffset(Cons), Layout.SlotSize).CopyTo(destination);
        Cons++;
    }

    /// <summary>Hands the consumed slots back: a full barrier (the copies are done) and then the index, as Linux's kbdfront does.</summary>
    public void Publish()
    {
        Interlocked.MemoryBarrier();
        Layout.SetCons(_page, Cons, _ofs);
    }

    /// <summary>
    /// Starts again at <paramref name="prod"/>, skipping whatever was pending: after an out-of-range producer
    /// index there is nothing in the ring that can be trusted. Publishes the new index.
    /// </summary>
    public void SkipTo(uint prod)
    {
        Cons = prod;
        Publish();
    }
}
