using Microsoft.Extensions.Time.Testing;
using XenDisplayWeb.Shared.Diagnostics;
using XenDisplayWeb.Shared.Kbdif;
using XenDisplayWeb.Shared.Kbdif.Backend;
using XenDisplayWeb.Shared.Tests.Host;
using KbdifConst = XenDisplayWeb.Shared.Kbdif.Kbdif;

namespace XenDisplayWeb.Shared.Tests.Kbdif.Backend;

public class KbdTraceTests
{
    private readonly FakeTimeProvider _time = new();

    private static List<TraceEntry> Input(KbdRig rig) => rig.Backend.Trace.Snapshot().Where(e => e.Kind == TraceKind.Input).ToList();

    [Fact]
    public void Every_event_written_is_traced_decoded_with_its_seq_and_the_moves_beyond_the_rate_are_counted()
    {
        using var rig = new KbdRig(new KbdOptions { TraceMovesPerSecond = 2 }, _time);
        rig.AddGuest(3);
        var dev = rig.Device(3);

        var sent = dev.Accept([
            new XenkbdKey(true, LinuxInput.KEY_A), new XenkbdKey(false, LinuxInput.KEY_A),
            .. Enumerable.Range(0, 10).Select(i => (IXenkbdInEvent)new XenkbdPosition(10 + i, 20, 0)),
            XenkbdMtouch.Down(0, 5, 5), XenkbdMtouch.Up(0),
        ]);

        Assert.Equal(14, sent.Accepted);
        long s = sent.FirstSeq;
        var input = Input(rig);
        Assert.Equal(
            [$"seq {s} KEY KEY_A press", $"seq {s + 1} KEY KEY_A release", $"seq {s + 2} POS 10,20 z0", $"seq {s + 3} POS 11,20 z0",
             $"seq {s + 12} MTOUCH down #0 5,5 (8 moves not shown)", $"seq {s + 13} MTOUCH up #0"],
            input.Select(e => e.Text));
        Assert.Equal(["XENKBD_TYPE_KEY", "XENKBD_TYPE_KEY", "XENKBD_TYPE_POS", "XENKBD_TYPE_POS", "XENKBD_TYPE_MTOUCH", "XENKBD_TYPE_MTOUCH"],
            input.Select(e => e.Operation));
        Assert.All(input, e => Assert.Equal((3, 0, 0), (e.DomId, e.DevId, e.Connector)));
        Assert.Equal((ushort)(s + 12), input[4].Id);
        Assert.Equal(8, dev.Status().MovesNotTraced);

        _time.Advance(TimeSpan.FromSeconds(1));
        dev.Accept([new XenkbdMotion(1, -1, 2)]);
        Assert.Equal($"seq {s + 14} MOTION 1,-1 z2", Input(rig)[^1].Text);
    }

    [Fact]
    public void Coalescing_in_a_full_ring_is_a_note_and_so_is_the_backlog_draining()
    {
        using var rig = new KbdRig(time: _time);
        var (front, _) = rig.AddGuest(1);
        front.Paused = true;
        var dev = rig.Device(1);
        dev.Accept(Enumerable.Range(0, KbdifConst.InRingLen).Select(i => (IXenkbdInEvent)new XenkbdKey(i % 2 == 0, LinuxInput.KEY_B)).ToList());

        dev.Accept(Enumerable.Range(0, 20).Select(i => (IXenkbdInEvent)new XenkbdPosition(i, i, 0)).ToList());

        var notes = rig.Backend.Trace.Snapshot().Where(e => e.Operation == KbdDevice.BacklogOperation).ToList();
        var first = Assert.Single(notes);
        Assert.Equal(TraceKind.Note, first.Kind);
        // The first move waits in the backlog; the second is merged into it and is the first told.
        Assert.Equal("vkbd: in ring full: 0 move(s) dropped, 1 coalesced, 0 press(es) refused", first.Text);

        front.Paused = false;
        TestRig.WaitUntil(() => dev.Status().Backlog == 0 && rig.Backend.Trace.Snapshot().Count(e => e.Operation == KbdDevice.BacklogOperation) == 2,
            "the backlog to drain");
        Assert.Equal("vkbd: in ring full: 0 move(s) dropped, 18 coalesced, 0 press(es) refused; the backlog has drained",
            rig.Backend.Trace.Snapshot().Last(e => e.Operation == KbdDevice.BacklogOperation).Text);
    }
}
