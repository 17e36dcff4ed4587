using System.Globalization;

namespace XenDisplayWeb.Shared.Kbdif;

/// <summary>In events as the rings page and the trace print them: "KEY KEY_A press", "POS 10,20 z0", "MTOUCH down #0 5,5".</summary>
public static class EventText
{
    /// <summary>The trace operation of an in event: its XENKBD_TYPE_* name.</summary>
    public static string Operation(XenkbdType type) => $"XENKBD_TYPE_{Kbdif.TypeName((byte)type)}";

    public static string Describe(IXenkbdInEvent e) => e switch
    {
        XenkbdKey k => $"KEY {LinuxInput.Name(k.Keycode)} {(k.Pressed ? "press" : "release")}",
        XenkbdMotion m => Inv($"MOTION {m.RelX},{m.RelY} z{m.RelZ}"),
        XenkbdPosition p => Inv($"POS {p.AbsX},{p.AbsY} z{p.RelZ}"),
        XenkbdMtouch t => $"MTOUCH {Kbdif.MtEvName((byte)t.EventType).ToLowerInvariant()} #{t.ContactId}{Contact(t)}",
        _ => Kbdif.TypeName((byte)e.Type),
    };

    /// <summary>"seq 41 KEY KEY_A press".</summary>
    public static string Describe(long seq, IXenkbdInEvent e) => Inv($"seq {seq} ") + Describe(e);

    private static string Contact(XenkbdMtouch t) => t.EventType switch
    {
        XenkbdMtEv.Down or XenkbdMtEv.Motion => Inv($" {t.AbsX},{t.AbsY}"),
        XenkbdMtEv.Shape => Inv($" {t.Major}x{t.Minor}"),
        XenkbdMtEv.Orient => Inv($" {t.Orientation}"),
        _ => "",
    };

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
