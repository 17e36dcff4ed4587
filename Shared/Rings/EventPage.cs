namespace XenDisplayWeb.Shared.Rings;

/// <summary>
/// displif's event page (xendispl_event_page): in_cons @0, in_prod @4, events from byte 64 in
/// 63 slots, indexed <c>idx % 63</c> (not a power of two). The backend produces, the frontend consumes.
/// </summary>
public static class EventPage
{
    public const int InConsOffset = 0;
    public const int InProdOffset = 4;
    public const int RingOffset = 64;
    public const int EventSize = 64;

    /// <summary>XENDISPL_IN_RING_LEN = (4096 - 64) / 64.</summary>
    public const int RingLength = (4096 - RingOffset) / EventSize;

    public static int SlotOffset(uint idx) => RingOffset + (int)(idx % RingLength) * EventSize;

    public static uint InCons(byte[] page, int offset = 0) => SharedRing.Load(page, offset + InConsOffset);
    public static uint InProd(byte[] page, int offset = 0) => SharedRing.Load(page, offset + InProdOffset);
    public static void SetInCons(byte[] page, uint value, int offset = 0) => SharedRing.Store(page, offset + InConsOffset, value);
    public static void SetInProd(byte[] page, uint value, int offset = 0) => SharedRing.Store(page, offset + InProdOffset, value);
}

/// <summary>The backend's producer on an event page. Drops an event when the page is full.</summary>
public sealed class EventPageProducer
{
    private readonly byte[] _page;
    private readonly int _ofs;

    /// <summary>Attaches and resets in_prod to in_cons, as displ_be does.</summary>
    public EventPageProducer(byte[] page, int offset = 0)
    {
        _page = page;
        _ofs = offset;
        InProd = EventPage.InCons(page, offset);
        EventPage.SetInProd(page, InProd, offset);
    }

    public uint InProd { get; private set; }
    public long Dropped { get; private set; }

    /// <summary>
    /// The guest's in_cons, checked: it may not run ahead of what we produced nor lag more than a
    /// page behind. Returns false when it is out of range (a misbehaving frontend).
    /// </summary>
    public bool TryReadConsumer(out uint inCons)
    {
        inCons = EventPage.InCons(_page, _ofs);
        return unchecked(InProd - inCons) <= EventPage.RingLength;
    }

    /// <summary>Copies one 64-byte event in and publishes it. False when the page is full (dropped).</summary>
    public bool TryPut(ReadOnlySpan<byte> evt)
    {
        uint inCons = EventPage.InCons(_page, _ofs);
        if (unchecked(InProd - inCons) >= EventPage.RingLength) { Dropped++; return false; }
        var slot = _page.AsSpan(_ofs + EventPage.SlotOffset(InProd), EventPage.EventSize);
        evt[..EventPage.EventSize].CopyTo(slot);
        InProd++;
        EventPage.SetInProd(_page, InProd, _ofs); // release: the event body is visible before the index
        return true;
    }
}
