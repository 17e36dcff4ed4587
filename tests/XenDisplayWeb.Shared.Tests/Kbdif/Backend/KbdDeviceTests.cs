using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Kbdif;
using XenDisplayWeb.Shared.Kbdif.Backend;
using XenDisplayWeb.Shared.Tests.Host;

namespace XenDisplayWeb.Shared.Tests.Kbdif.Backend;

public class KbdDeviceTests
{
    private static readonly IXenkbdInEvent[] EveryType =
    [
        new XenkbdKey(true, LinuxInput.KEY_A), new XenkbdKey(false, LinuxInput.KEY_A),
        new XenkbdKey(true, LinuxInput.BTN_LEFT), new XenkbdKey(false, LinuxInput.BTN_LEFT),
        new XenkbdMotion(3, -4, 1), new XenkbdPosition(10, 20, -1),
        XenkbdMtouch.Down(1, 5, 6), XenkbdMtouch.Motion(1, 7, 8), XenkbdMtouch.Shape(1, 30, 20),
        XenkbdMtouch.Orient(1, -90), XenkbdMtouch.Syn(1), XenkbdMtouch.Up(1),
    ];

    [Fact]
    public void Every_event_type_reaches_the_frontend_exactly_with_its_seq()
    {
        using var rig = new KbdRig();
        var (_, got) = rig.AddGuest(1);
        var r1 = rig.Device(1).Accept(EveryType);
        var r2 = rig.Device(1).Accept(EveryType);

        Assert.Equal((EveryType.Length, 0L), (r1.Accepted, r1.FirstSeq));
        Assert.Equal((EveryType.Length, (long)EveryType.Length), (r2.Accepted, r2.FirstSeq));
        var expected = EveryType.Concat(EveryType).Select((e, i) => ((long)i, e)).ToList();
        lock (got) Assert.Equal(expected, got);
        Assert.Equal(r1.Seqs.Concat(r2.Seqs), expected.Select(x => x.Item1));
    }

    [Fact]
    public void Seqs_stay_ring_indices_over_several_laps_of_the_ring()
    {
        using var rig = new KbdRig();
        var (front, got) = rig.AddGuest(1);
        for (int lap = 0; lap < 5; lap++) rig.Device(1).Accept(Enumerable.Range(0, 40).Select(i => (IXenkbdInEvent)new XenkbdMotion(i, lap, 0)).ToList());
        lock (got) Assert.Equal(Enumerable.Range(0, 200).Select(i => (long)i), got.Select(g => g.Seq));
        Assert.Equal(200u, front.InCons);
    }

    [Fact]
    public void Pos_and_mtouch_go_only_to_a_frontend_that_asked_for_them()
    {
        using var rig = new KbdRig();
        var (front, got) = rig.AddGuest(1, wantAbs: false, wantMt: false);
        var xs = rig.Host.Store.Connect(0);
        Assert.Null(xs.Read("/local/domain/1/device/vkbd/0/request-abs-pointer"));
        Assert.Null(xs.Read("/local/domain/1/device/vkbd/0/request-multi-touch"));
        Assert.Equal("1", xs.Read("/local/domain/0/backend/vkbd/1/0/feature-abs-pointer"));
        xs.Dispose();

        var r = rig.Device(1).Accept([new XenkbdPosition(1, 2, 0), XenkbdMtouch.Down(0, 1, 1), new XenkbdMotion(1, 1, 0), new XenkbdKey(true, LinuxInput.KEY_B)]);

        Assert.Equal([-1L, -1L, 0L, 1L], r.Seqs);
        Assert.Equal(2, r.Accepted);
        lock (got) Assert.Equal([(0L, (IXenkbdInEvent)new XenkbdMotion(1, 1, 0)), (1L, new XenkbdKey(true, LinuxInput.KEY_B))], got);
        Assert.Equal(2, rig.Device(1).Status().Refused);
        Assert.False(front.AbsPointer);
    }

    [Fact]
    public void A_backend_that_does_not_offer_a_feature_ignores_the_request()
    {
        using var rig = new KbdRig(new KbdOptions { FeatureAbsPointer = false, FeatureMultiTouch = false });
        var (front, _) = rig.AddGuest(1);
        Assert.False(front.AbsPointer);
        var xs = rig.Host.Store.Connect(0);
        xs.Write("/local/domain/1/device/vkbd/0/request-abs-pointer", "1"); // a frontend asking anyway
        xs.Dispose();
        Assert.False(rig.Device(1).RequestAbsPointer);
        Assert.Equal(-1, rig.Device(1).Accept([new XenkbdPosition(1, 2, 0)]).FirstSeq);
    }

    [Fact]
    public void Disabled_keyboard_refuses_keys_but_not_buttons_and_disabled_pointer_the_reverse()
    {
        using (var rig = new KbdRig(new KbdOptions { FeatureDisableKeyboard = true }))
        {
            rig.AddGuest(1);
            var r = rig.Device(1).Accept([new XenkbdKey(true, LinuxInput.KEY_A), new XenkbdKey(true, LinuxInput.BTN_LEFT), new XenkbdMotion(1, 0, 0)]);
            Assert.Equal([-1L, 0L, 1L], r.Seqs);
        }
        using (var rig = new KbdRig(new KbdOptions { FeatureDisablePointer = true }))
        {
            rig.AddGuest(1);
            var r = rig.Device(1).Accept([new XenkbdKey(true, LinuxInput.KEY_A), new XenkbdKey(true, LinuxInput.BTN_LEFT), new XenkbdMotion(1, 0, 0), new XenkbdPosition(1, 1, 0)]);
            Assert.Equal([0L, -1L, -1L, -1L], r.Seqs);
        }
    }

    [Fact]
    public void A_contact_past_num_contacts_and_an_invalid_keycode_are_refused()
    {
        using var rig = new KbdRig(new KbdOptions { MtNumContacts = 2 });
        rig.AddGuest(1);
        var r = rig.Device(1).Accept([XenkbdMtouch.Down(2, 1, 1), XenkbdMtouch.Down(1, 1, 1), new XenkbdKey(true, 0), new XenkbdKey(true, 0x300)]);
        Assert.Equal([-1L, 0L, -1L, -1L], r.Seqs);
    }

    [Fact]
    public void Width_height_and_the_touch_area_follow_the_connector_mode()
    {
        using var rig = new KbdRig(new KbdOptions { MtNumContacts = 5 });
        var (front, _) = rig.AddGuest(1, width: 1024, height: 768);
        Assert.Equal((1024, 768, 5), (front.Width, front.Height, front.MtNumContacts));

        rig.Device(1).Update(new KbdMode(1920, 1080, "conn-1"));

        var xs = rig.Host.Store.Connect(0);
        string be = "/local/domain/0/backend/vkbd/1/0";
        Assert.Equal([1920, 1080, 1920, 1080], new[] { "width", "height", "multi-touch-width", "multi-touch-height" }.Select(f => xs.ReadInt($"{be}/{f}")!.Value));
        Assert.Equal("conn-1", xs.Read($"{be}/unique-id"));
        Assert.Equal(5, xs.ReadInt($"{be}/multi-touch-num-contacts"));
        xs.Dispose();
    }
}
