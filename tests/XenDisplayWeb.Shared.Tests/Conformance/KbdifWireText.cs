using XenDisplayWeb.Shared.Kbdif;

namespace XenDisplayWeb.Shared.Tests.Conformance;

/// <summary>kbdif events as the manifest's text: the C field names of each type, decimal values (signed fields signed).</summary>
public static class KbdifWireText
{
    /// <summary>The fields after the type, by their names in io/kbdif.h, in struct order.</summary>
    public static (string Name, long Value)[] Fields(IXenkbdInEvent evt) => evt switch
    {
        XenkbdMotion m => [("rel_x", m.RelX), ("rel_y", m.RelY), ("rel_z", m.RelZ)],
        XenkbdKey k => [("pressed", k.Pressed ? 1 : 0), ("keycode", k.Keycode)],
        XenkbdPosition p => [("abs_x", p.AbsX), ("abs_y", p.AbsY), ("rel_z", p.RelZ)],
        XenkbdMtouch t => [("event_type", (byte)t.EventType), ("contact_id", t.ContactId), .. t.EventType switch
        {
            XenkbdMtEv.Down or XenkbdMtEv.Motion => [("abs_x", t.AbsX), ("abs_y", t.AbsY)],
            XenkbdMtEv.Shape => [("major", t.Major), ("minor", t.Minor)],
            XenkbdMtEv.Orient => [("orientation", t.Orientation)],
            _ => Array.Empty<(string, long)>(),
        }],
        _ => throw new ArgumentException($"unknown event {evt.GetType().Name}", nameof(evt)),
    };

    /// <summary>The event a manifest line describes (its type= and field pairs).</summary>
    public static IXenkbdInEvent Build(ManifestRecord r) => (XenkbdType)r.U8("type") switch
    {
        XenkbdType.Motion => new XenkbdMotion(r.I32("rel_x"), r.I32("rel_y"), r.I32("rel_z")),
        XenkbdType.Key => new XenkbdKey(r.U8("pressed") != 0, r.U32("keycode")),
        XenkbdType.Pos => new XenkbdPosition(r.I32("abs_x"), r.I32("abs_y"), r.I32("rel_z")),
        XenkbdType.Mtouch => (XenkbdMtEv)r.U8("event_type") switch
        {
            XenkbdMtEv.Down => XenkbdMtouch.Down(r.U8("contact_id"), r.I32("abs_x"), r.I32("abs_y")),
            XenkbdMtEv.Motion => XenkbdMtouch.Motion(r.U8("contact_id"), r.I32("abs_x"), r.I32("abs_y")),
            XenkbdMtEv.Up => XenkbdMtouch.Up(r.U8("contact_id")),
            XenkbdMtEv.Syn => XenkbdMtouch.Syn(r.U8("contact_id")),
            XenkbdMtEv.Shape => XenkbdMtouch.Shape(r.U8("contact_id"), r.U32("major"), r.U32("minor")),
            XenkbdMtEv.Orient => XenkbdMtouch.Orient(r.U8("contact_id"), short.Parse(r["orientation"], System.Globalization.CultureInfo.InvariantCulture)),
            var ev => throw new ArgumentException($"unknown touch event {ev} in '{r}'", nameof(r)),
        },
        var t => throw new ArgumentException($"unknown type {t} in '{r}'", nameof(r)),
    };

    public static string Format(string kind, uint idx, IXenkbdInEvent evt) =>
        FormattableString.Invariant($"{kind} idx={idx} type={(byte)evt.Type}")
        + string.Concat(Fields(evt).Select(f => FormattableString.Invariant($" {f.Name}={f.Value}")));

    /// <summary>An out event as the C program makes one: the type, then 39 bytes of <paramref name="fill"/>.</summary>
    public static byte[] OutEvent(byte type, byte fill)
    {
        var e = new byte[XenDisplayWeb.Shared.Kbdif.Kbdif.OutEventSize];
        Array.Fill(e, fill);
        e[XenkbdOutEvent.TypeOffset] = type;
        return e;
    }

    public static string FormatOut(string kind, uint idx, byte type, byte fill) =>
        FormattableString.Invariant($"{kind} idx={idx} type={type} fill={fill}");
}
