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
    public const int RingLength = (SharedRing.PageSize - RingOffset) / EventSize;

    /// <summary>The in ring as an <see cref="EventRingLayout"/>, for the generic producer and consumer.</summary>
    public static readonly EventRingLayout Layout = new("xendispl in ring", InConsOffset, InProdOffset, RingOffset, EventSize, RingLength);

    public static int SlotOffset(uint idx) => Layout.SlotOffset(idx);

    public static uint InCons(byte[] page, int offset = 0) => Layout.Cons(page, offset);
    public static uint InProd(byte[] page, int offset = 0) => Layout.Prod(page, offset);
    public static void SetInCons(byte[] page, uint value, int offset = 0) => Layout.SetCons(page, value, offset);
    public static void SetInProd(byte[] page, uint value, int offset = 0) => Layout.SetProd(page, value, offset);
}

/// <summary>The backend's producer on displif's event page. Drops an event when the page is full.</summary>
public sealed class EventPageProducer(byte[] page, int offset = 0) : EventRingProducer(EventPage.Layout, page, offset)
{
    /// <summary>Our in_prod.</summary>
    public uint InProd => Prod;
}
