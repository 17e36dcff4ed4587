using XenDisplayWeb.Shared.Kbdif;

namespace XenDisplayWeb.Shared.Tests.Kbdif;

// The namespace XenDisplayWeb.Shared.Kbdif would hide the class of the same name.
using Kbdif = global::XenDisplayWeb.Shared.Kbdif.Kbdif;

public class EventTests
{
    // The header's diagrams, byte by byte (little-endian); the rest of the 40 bytes is zero.
    public static TheoryData<string, IXenkbdInEvent, string> Encodings() => new()
    {
        { "motion", new XenkbdMotion(1, -2, 0x01020304), "01000000" + "01000000" + "feffffff" + "04030201" },
        { "key", new XenkbdKey(true, 0x110), "03010000" + "10010000" },
        { "key up", new XenkbdKey(false, 30), "03000000" + "1e000000" },
        { "pos", new XenkbdPosition(1919, 1079, -1), "04000000" + "7f070000" + "37040000" + "ffffffff" },
        { "mt down", XenkbdMtouch.Down(9, 640, -3), "05000900" + "00000000" + "80020000" + "fdffffff" },
        { "mt motion", XenkbdMtouch.Motion(255, 1, 2), "0502ff00" + "00000000" + "01000000" + "02000000" },
        { "mt up", XenkbdMtouch.Up(3), "05010300" },
        { "mt syn", XenkbdMtouch.Syn(0), "05030000" },
        { "mt shape", XenkbdMtouch.Shape(1, 0xfffffffe, 7), "05040100" + "00000000" + "feffffff" + "07000000" },
        { "mt orient", XenkbdMtouch.Orient(2, -180), "05050200" + "00000000" + "4cff" },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Each_event_has_the_header_layout_and_reads_back(string name, IXenkbdInEvent evt, string hex)
    {
        var want = new byte[Kbdif.InEventSize];
        Convert.FromHexString(hex).CopyTo(want, 0);
        var slot = new byte[Kbdif.InEventSize];
        Array.Fill(slot, (byte)0xa5); // leftovers of an earlier event
        evt.Write(slot);
        Assert.True(want.AsSpan().SequenceEqual(slot), $"{name}: wrote {Convert.ToHexString(slot)}");
        Assert.Equal(evt, XenkbdInEvent.Read(slot));
        Assert.Equal((byte)evt.Type, XenkbdInEvent.Type(slot));
    }

    [Fact]
    public void Writing_touches_only_the_40_bytes_of_its_slot()
    {
        var page = new byte[2 * Kbdif.InEventSize];
        new XenkbdMotion(-1, -1, -1).Write(page.AsSpan(0));
        Assert.True(page.AsSpan(Kbdif.InEventSize).IndexOfAnyExcept((byte)0) < 0);
        XenkbdMtouch.Orient(0, 1).Write(page.AsSpan(Kbdif.InEventSize));
        Assert.Equal((byte)XenkbdType.Motion, page[0]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData((byte)XenkbdType.Reserved)]
    [InlineData(6)]
    [InlineData(255)]
    public void Types_a_frontend_ignores_read_as_null(byte type)
    {
        var slot = new byte[Kbdif.InEventSize];
        slot[0] = type;
        Assert.Null(XenkbdInEvent.Read(slot));
    }

    [Fact]
    public void A_nonzero_pressed_byte_is_a_press() =>
        Assert.Equal(new XenkbdKey(true, 2), XenkbdInEvent.Read(Convert.FromHexString("03800000" + "02000000" + new string('0', 64))));

    [Fact]
    public void An_unknown_touch_subtype_keeps_its_number_and_no_fields()
    {
        var slot = Convert.FromHexString("05070400" + "00000000" + "11111111" + "22222222" + new string('0', 48));
        var mt = Assert.IsType<XenkbdMtouch>(XenkbdInEvent.Read(slot));
        Assert.Equal((XenkbdMtEv)7, mt.EventType);
        Assert.Equal(4, mt.ContactId);
        Assert.Equal((0, 0, 0u, 0u, (short)0), (mt.AbsX, mt.AbsY, mt.Major, mt.Minor, mt.Orientation));
        var rewritten = new byte[Kbdif.InEventSize];
        mt.Write(rewritten);
        Assert.Equal("05070400", Convert.ToHexString(rewritten, 0, 4));
        Assert.True(rewritten.AsSpan(4).IndexOfAnyExcept((byte)0) < 0);
    }

    [Fact]
    public void Short_buffers_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new XenkbdKey(true, 1).Write(new byte[39]));
        Assert.Throws<ArgumentException>(() => XenkbdInEvent.Read(new byte[39]));
    }

    [Fact]
    public void Names_follow_the_header()
    {
        Assert.Equal("POS", Kbdif.TypeName((byte)XenkbdType.Pos));
        Assert.Equal("TYPE_9", Kbdif.TypeName(9));
        Assert.Equal("ORIENT", Kbdif.MtEvName((byte)XenkbdMtEv.Orient));
        Assert.Equal("MT_EV_6", Kbdif.MtEvName(6));
    }

    [Fact]
    public void The_page_holds_51_in_slots_at_1024_and_25_out_slots_at_3072()
    {
        Assert.Equal((0, 4, 1024, 40, 51), (XenkbdPage.InRing.ConsOffset, XenkbdPage.InRing.ProdOffset, XenkbdPage.InRing.RingOffset, XenkbdPage.InRing.SlotSize, XenkbdPage.InRing.SlotCount));
        Assert.Equal((8, 12, 3072, 40, 25), (XenkbdPage.OutRing.ConsOffset, XenkbdPage.OutRing.ProdOffset, XenkbdPage.OutRing.RingOffset, XenkbdPage.OutRing.SlotSize, XenkbdPage.OutRing.SlotCount));
        Assert.Equal(1024 + 50 * 40, XenkbdPage.InRing.SlotOffset(50));
        Assert.Equal(1024, XenkbdPage.InRing.SlotOffset(51));
        // idx % 51 over u32: the last index before the wrap and the first after it share a slot.
        Assert.Equal(XenkbdPage.InRing.SlotOffset(0), XenkbdPage.InRing.SlotOffset(uint.MaxValue));
        Assert.Equal(4072, XenkbdPage.OutRing.Extent);
    }
}
