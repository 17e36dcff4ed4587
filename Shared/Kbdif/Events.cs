using System.Buffers.Binary;

namespace XenDisplayWeb.Shared.Kbdif;

/// <summary>A backend-to-frontend event (union xenkbd_in_event member) that can be written into a 40-byte slot.</summary>
public interface IXenkbdInEvent
{
    XenkbdType Type { get; }

    /// <summary>Writes the whole 40-byte event: reserved bytes are 0, nothing of an earlier event stays.</summary>
    void Write(Span<byte> evt);
}

/// <summary>What every in event shares: type u8 @0, 40 bytes in all.</summary>
public static class XenkbdInEvent
{
    public const int TypeOffset = 0;

    public static byte Type(ReadOnlySpan<byte> evt) => evt[TypeOffset];

    /// <summary>
    /// The event a copied slot holds, or null for a type frontends ignore (XENKBD_TYPE_RESERVED or unknown).
    /// Reserved bytes are not checked: the header asks writers to zero them, readers to ignore them.
    /// </summary>
    public static IXenkbdInEvent? Read(ReadOnlySpan<byte> evt)
    {
        CheckSize(evt.Length);
        return Type(evt) switch
        {
            (byte)XenkbdType.Motion => XenkbdMotion.Read(evt),
            (byte)XenkbdType.Key => XenkbdKey.Read(evt),
            (byte)XenkbdType.Pos => XenkbdPosition.Read(evt),
            (byte)XenkbdType.Mtouch => XenkbdMtouch.Read(evt),
            _ => null,
        };
    }

    /// <summary>A fresh 40-byte packet holding <paramref name="e"/>.</summary>
    public static byte[] ToPacket(this IXenkbdInEvent e)
    {
        var p = new byte[Kbdif.InEventSize];
        e.Write(p);
        return p;
    }

    internal static void Begin(Span<byte> evt, XenkbdType type)
    {
        CheckSize(evt.Length);
        evt[..Kbdif.InEventSize].Clear();
        evt[TypeOffset] = (byte)type;
    }

    internal static void CheckSize(int length)
    {
        if (length < Kbdif.InEventSize) throw new ArgumentException($"a kbdif event is {Kbdif.InEventSize} bytes, got {length}");
    }

    internal static int I32(ReadOnlySpan<byte> p, int offset) => BinaryPrimitives.ReadInt32LittleEndian(p[offset..]);
    internal static uint U32(ReadOnlySpan<byte> p, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(p[offset..]);
    internal static void I32(Span<byte> p, int offset, int v) => BinaryPrimitives.WriteInt32LittleEndian(p[offset..], v);
    internal static void U32(Span<byte> p, int offset, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(p[offset..], v);
}

/// <summary>XENKBD_TYPE_MOTION (struct xenkbd_motion): relative pointer motion, rel_z is the wheel.</summary>
public readonly record struct XenkbdMotion(int RelX, int RelY, int RelZ) : IXenkbdInEvent
{
    public const int RelXOffset = 4, RelYOffset = 8, RelZOffset = 12;
    public XenkbdType Type => XenkbdType.Motion;

    public void Write(Span<byte> evt)
    {
        XenkbdInEvent.Begin(evt, Type);
        XenkbdInEvent.I32(evt, RelXOffset, RelX);
        XenkbdInEvent.I32(evt, RelYOffset, RelY);
        XenkbdInEvent.I32(evt, RelZOffset, RelZ);
    }

    public static XenkbdMotion Read(ReadOnlySpan<byte> evt) =>
        new(XenkbdInEvent.I32(evt, RelXOffset), XenkbdInEvent.I32(evt, RelYOffset), XenkbdInEvent.I32(evt, RelZOffset));
}

/// <summary>XENKBD_TYPE_KEY (struct xenkbd_key): a key or pointer button, by its Linux KEY_*/BTN_* code.</summary>
public readonly record struct XenkbdKey(bool Pressed, uint Keycode) : IXenkbdInEvent
{
    public const int PressedOffset = 1, KeycodeOffset = 4;
    public XenkbdType Type => XenkbdType.Key;

    public void Write(Span<byte> evt)
    {
        XenkbdInEvent.Begin(evt, Type);
        evt[PressedOffset] = Pressed ? (byte)1 : (byte)0;
        XenkbdInEvent.U32(evt, KeycodeOffset, Keycode);
    }

    /// <summary>Any non-zero pressed byte is a press, as Linux's input core takes it.</summary>
    public static XenkbdKey Read(ReadOnlySpan<byte> evt) => new(evt[PressedOffset] != 0, XenkbdInEvent.U32(evt, KeycodeOffset));
}

/// <summary>XENKBD_TYPE_POS (struct xenkbd_position): an absolute pointer position in fb pixels, rel_z is the wheel.</summary>
public readonly record struct XenkbdPosition(int AbsX, int AbsY, int RelZ) : IXenkbdInEvent
{
    public const int AbsXOffset = 4, AbsYOffset = 8, RelZOffset = 12;
    public XenkbdType Type => XenkbdType.Pos;

    public void Write(Span<byte> evt)
    {
        XenkbdInEvent.Begin(evt, Type);
        XenkbdInEvent.I32(evt, AbsXOffset, AbsX);
        XenkbdInEvent.I32(evt, AbsYOffset, AbsY);
        XenkbdInEvent.I32(evt, RelZOffset, RelZ);
    }

    public static XenkbdPosition Read(ReadOnlySpan<byte> evt) =>
        new(XenkbdInEvent.I32(evt, AbsXOffset), XenkbdInEvent.I32(evt, AbsYOffset), XenkbdInEvent.I32(evt, RelZOffset));
}

/// <summary>
/// XENKBD_TYPE_MTOUCH (struct xenkbd_mtouch): event_type @1, contact_id @2, 5 reserved, then a union @8 whose
/// member the sub-type chooses: pos (abs_x @8, abs_y @12) for DOWN and MOTION, shape (major @8, minor @12) for
/// SHAPE, orientation (i16 @8) for ORIENT, nothing for UP and SYN. Made through the factories, so a value never
/// carries fields its sub-type does not send.
/// </summary>
public readonly record struct XenkbdMtouch : IXenkbdInEvent
{
    public const int EventTypeOffset = 1, ContactIdOffset = 2, ReservedOffset = 3, UOffset = 8;
    public const int AbsXOffset = UOffset, AbsYOffset = UOffset + 4;
    public const int MajorOffset = UOffset, MinorOffset = UOffset + 4;
    public const int OrientationOffset = UOffset;

    private XenkbdMtouch(XenkbdMtEv eventType, byte contactId, int absX = 0, int absY = 0, uint major = 0, uint minor = 0, short orientation = 0)
    {
        EventType = eventType;
        ContactId = contactId;
        AbsX = absX;
        AbsY = absY;
        Major = major;
        Minor = minor;
        Orientation = orientation;
    }

    public XenkbdType Type => XenkbdType.Mtouch;
    public XenkbdMtEv EventType { get; }
    public byte ContactId { get; }
    public int AbsX { get; }
    public int AbsY { get; }
    public uint Major { get; }
    public uint Minor { get; }
    /// <summary>Clockwise angle of the major axis from +Y, degrees in [-180, 180].</summary>
    public short Orientation { get; }

    public static XenkbdMtouch Down(byte contactId, int absX, int absY) => new(XenkbdMtEv.Down, contactId, absX, absY);
    public static XenkbdMtouch Motion(byte contactId, int absX, int absY) => new(XenkbdMtEv.Motion, contactId, absX, absY);
    public static XenkbdMtouch Up(byte contactId) => new(XenkbdMtEv.Up, contactId);
    public static XenkbdMtouch Syn(byte contactId) => new(XenkbdMtEv.Syn, contactId);
    public static XenkbdMtouch Shape(byte contactId, uint major, uint minor) => new(XenkbdMtEv.Shape, contactId, major: major, minor: minor);
    public static XenkbdMtouch Orient(byte contactId, short orientation) => new(XenkbdMtEv.Orient, contactId, orientation: orientation);

    public void Write(Span<byte> evt)
    {
        XenkbdInEvent.Begin(evt, Type);
        evt[EventTypeOffset] = (byte)EventType;
        evt[ContactIdOffset] = ContactId;
        switch (EventType)
        {
            case XenkbdMtEv.Down or XenkbdMtEv.Motion:
                XenkbdInEvent.I32(evt, AbsXOffset, AbsX);
                XenkbdInEvent.I32(evt, AbsYOffset, AbsY);
                break;
            case XenkbdMtEv.Shape:
                XenkbdInEvent.U32(evt, MajorOffset, Major);
                XenkbdInEvent.U32(evt, MinorOffset, Minor);
                break;
            case XenkbdMtEv.Orient:
                BinaryPrimitives.WriteInt16LittleEndian(evt[OrientationOffset..], Orientation);
                break;
        }
    }

    /// <summary>Reads the union member the sub-type chooses; an unknown sub-type keeps its number and no fields.</summary>
    public static XenkbdMtouch Read(ReadOnlySpan<byte> evt)
    {
        var ev = (XenkbdMtEv)evt[EventTypeOffset];
        byte contact = evt[ContactIdOffset];
        return ev switch
        {
            XenkbdMtEv.Down or XenkbdMtEv.Motion => new(ev, contact, XenkbdInEvent.I32(evt, AbsXOffset), XenkbdInEvent.I32(evt, AbsYOffset)),
            XenkbdMtEv.Shape => Shape(contact, XenkbdInEvent.U32(evt, MajorOffset), XenkbdInEvent.U32(evt, MinorOffset)),
            XenkbdMtEv.Orient => Orient(contact, BinaryPrimitives.ReadInt16LittleEndian(evt[OrientationOffset..])),
            _ => new(ev, contact),
        };
    }
}

/// <summary>A frontend-to-backend event: type u8 @0, 40 bytes. None are defined, and receiving one is an error.</summary>
public static class XenkbdOutEvent
{
    public const int TypeOffset = 0;

    public static byte Type(ReadOnlySpan<byte> evt) => evt[TypeOffset];
}
