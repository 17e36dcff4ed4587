using System.Globalization;
using XenDisplayWeb.Shared.Kbdif;

namespace XenDisplayWeb.Shared.Tests.Conformance;

// The namespace XenDisplayWeb.Shared.Kbdif would hide the class of the same name.
using Kbdif = global::XenDisplayWeb.Shared.Kbdif.Kbdif;

/// <summary>Every size, offset, constant and Linux code the real headers give (<c>layout</c>) against the C# constants.</summary>
[Collection(KbdifCCollection.Name)]
public sealed class KbdifLayoutConformanceTests(KbdifC c)
{
    private const int U8 = sizeof(byte), U16 = sizeof(short), U32 = sizeof(uint);
    private static readonly uint[] SampleIndices = [0, 1, 24, 25, 26, 50, 51, 52, 100, uint.MaxValue - 1, uint.MaxValue];

    public static TheoryData<string, string> Expected()
    {
        var data = new TheoryData<string, string>();
        foreach (var (key, value) in Table()) data.Add(key, value);
        return data;
    }

    [Theory]
    [MemberData(nameof(Expected))]
    public void HeaderAgreesWithCSharp(string name, string csharp)
    {
        Assert.True(c.Layout.TryGetValue(name, out var header), $"the C program does not print {name}");
        Assert.True(header == csharp, $"{name}: the headers say {header}, the C# code says {csharp}");
    }

    [Fact]
    public void EveryValueTheHeaderGivesIsCompared()
    {
        var compared = Table().Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        var missing = c.Layout.Keys.Where(k => !compared.Contains(k)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "no C# expectation for: " + string.Join(", ", missing));
    }

    private static IEnumerable<(string Key, string Value)> Table()
    {
        var t = new List<(string, string)>();
        void Add(string key, object value) => t.Add((key, Convert.ToString(value, CultureInfo.InvariantCulture)!));
        void Field(string key, int offset, int size)
        {
            Add(key + ".offset", offset);
            Add(key + ".size", size);
        }
        // A struct's size: its last field's end, padded to its alignment (4: every struct holds a 32-bit field).
        static int Padded(int end) => (end + U32 - 1) / U32 * U32;

        const int typeOffset = XenkbdInEvent.TypeOffset;
        int motionSize = Padded(XenkbdMotion.RelZOffset + U32);
        Add("motion.sizeof", motionSize);
        Field("motion.type", typeOffset, U8);
        Field("motion.rel_x", XenkbdMotion.RelXOffset, U32);
        Field("motion.rel_y", XenkbdMotion.RelYOffset, U32);
        Field("motion.rel_z", XenkbdMotion.RelZOffset, U32);

        int keySize = Padded(XenkbdKey.KeycodeOffset + U32);
        Add("key.sizeof", keySize);
        Field("key.type", typeOffset, U8);
        Field("key.pressed", XenkbdKey.PressedOffset, U8);
        Field("key.keycode", XenkbdKey.KeycodeOffset, U32);

        int posSize = Padded(XenkbdPosition.RelZOffset + U32);
        Add("position.sizeof", posSize);
        Field("position.type", typeOffset, U8);
        Field("position.abs_x", XenkbdPosition.AbsXOffset, U32);
        Field("position.abs_y", XenkbdPosition.AbsYOffset, U32);
        Field("position.rel_z", XenkbdPosition.RelZOffset, U32);

        int unionSize = XenkbdMtouch.MinorOffset + U32 - XenkbdMtouch.UOffset; // shape, the largest member
        int mtouchSize = Padded(XenkbdMtouch.UOffset + unionSize);
        Add("mtouch.sizeof", mtouchSize);
        Field("mtouch.type", typeOffset, U8);
        Field("mtouch.event_type", XenkbdMtouch.EventTypeOffset, U8);
        Field("mtouch.contact_id", XenkbdMtouch.ContactIdOffset, U8);
        Field("mtouch.reserved", XenkbdMtouch.ReservedOffset, XenkbdMtouch.UOffset - XenkbdMtouch.ReservedOffset);
        Field("mtouch.u", XenkbdMtouch.UOffset, unionSize);
        Field("mtouch.u.pos.abs_x", XenkbdMtouch.AbsXOffset, U32);
        Field("mtouch.u.pos.abs_y", XenkbdMtouch.AbsYOffset, U32);
        Field("mtouch.u.shape.major", XenkbdMtouch.MajorOffset, U32);
        Field("mtouch.u.shape.minor", XenkbdMtouch.MinorOffset, U32);
        Field("mtouch.u.orientation", XenkbdMtouch.OrientationOffset, U16);

        Add("in_event.sizeof", Kbdif.InEventSize);
        Field("in_event.type", typeOffset, U8);
        Field("in_event.motion", 0, motionSize);
        Field("in_event.key", 0, keySize);
        Field("in_event.pos", 0, posSize);
        Field("in_event.mtouch", 0, mtouchSize);
        Add("out_event.sizeof", Kbdif.OutEventSize);
        Field("out_event.type", XenkbdOutEvent.TypeOffset, U8);

        Add("page.sizeof", XenkbdPage.HeaderSize);
        Field("page.in_cons", XenkbdPage.InRing.ConsOffset, U32);
        Field("page.in_prod", XenkbdPage.InRing.ProdOffset, U32);
        Field("page.out_cons", XenkbdPage.OutRing.ConsOffset, U32);
        Field("page.out_prod", XenkbdPage.OutRing.ProdOffset, U32);

        Add("XENKBD_IN_EVENT_SIZE", XenkbdPage.InRing.SlotSize);
        Add("XENKBD_OUT_EVENT_SIZE", XenkbdPage.OutRing.SlotSize);
        Add("XENKBD_IN_RING_SIZE", Kbdif.InRingSize);
        Add("XENKBD_IN_RING_LEN", XenkbdPage.InRing.SlotCount);
        Add("XENKBD_IN_RING_OFFS", XenkbdPage.InRing.RingOffset);
        Add("XENKBD_OUT_RING_SIZE", Kbdif.OutRingSize);
        Add("XENKBD_OUT_RING_LEN", XenkbdPage.OutRing.SlotCount);
        Add("XENKBD_OUT_RING_OFFS", XenkbdPage.OutRing.RingOffset);
        foreach (var idx in SampleIndices)
        {
            Add($"XENKBD_IN_RING_REF.{idx}.offset", XenkbdPage.InRing.SlotOffset(idx));
            Add($"XENKBD_OUT_RING_REF.{idx}.offset", XenkbdPage.OutRing.SlotOffset(idx));
        }

        Add("XENKBD_TYPE_MOTION", (byte)XenkbdType.Motion);
        Add("XENKBD_TYPE_RESERVED", (byte)XenkbdType.Reserved);
        Add("XENKBD_TYPE_KEY", (byte)XenkbdType.Key);
        Add("XENKBD_TYPE_POS", (byte)XenkbdType.Pos);
        Add("XENKBD_TYPE_MTOUCH", (byte)XenkbdType.Mtouch);
        Add("XENKBD_MT_EV_DOWN", (byte)XenkbdMtEv.Down);
        Add("XENKBD_MT_EV_UP", (byte)XenkbdMtEv.Up);
        Add("XENKBD_MT_EV_MOTION", (byte)XenkbdMtEv.Motion);
        Add("XENKBD_MT_EV_SYN", (byte)XenkbdMtEv.Syn);
        Add("XENKBD_MT_EV_SHAPE", (byte)XenkbdMtEv.Shape);
        Add("XENKBD_MT_EV_ORIENT", (byte)XenkbdMtEv.Orient);

        Add("XENKBD_DRIVER_NAME", Kbdif.DriverName);
        Add("XENKBD_FIELD_FEAT_DSBL_KEYBRD", Kbdif.Field.FeatDsblKeybrd);
        Add("XENKBD_FIELD_FEAT_DSBL_POINTER", Kbdif.Field.FeatDsblPointer);
        Add("XENKBD_FIELD_FEAT_ABS_POINTER", Kbdif.Field.FeatAbsPointer);
        Add("XENKBD_FIELD_FEAT_RAW_POINTER", Kbdif.Field.FeatRawPointer);
        Add("XENKBD_FIELD_FEAT_MTOUCH", Kbdif.Field.FeatMtouch);
        Add("XENKBD_FIELD_REQ_ABS_POINTER", Kbdif.Field.ReqAbsPointer);
        Add("XENKBD_FIELD_REQ_RAW_POINTER", Kbdif.Field.ReqRawPointer);
        Add("XENKBD_FIELD_REQ_MTOUCH", Kbdif.Field.ReqMtouch);
        Add("XENKBD_FIELD_RING_GREF", Kbdif.Field.RingGref);
        Add("XENKBD_FIELD_EVT_CHANNEL", Kbdif.Field.EvtChannel);
        Add("XENKBD_FIELD_WIDTH", Kbdif.Field.Width);
        Add("XENKBD_FIELD_HEIGHT", Kbdif.Field.Height);
        Add("XENKBD_FIELD_MT_WIDTH", Kbdif.Field.MtWidth);
        Add("XENKBD_FIELD_MT_HEIGHT", Kbdif.Field.MtHeight);
        Add("XENKBD_FIELD_MT_NUM_CONTACTS", Kbdif.Field.MtNumContacts);
        Add("XENKBD_FIELD_UNIQUE_ID", Kbdif.Field.UniqueId);
        Add("XENKBD_FIELD_RING_REF", Kbdif.Field.RingRef);

        foreach (var (name, code) in LinuxInput.Codes) Add(name, code);
        return t;
    }
}
