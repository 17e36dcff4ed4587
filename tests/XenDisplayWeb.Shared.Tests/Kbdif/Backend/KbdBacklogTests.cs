using XenDisplayWeb.Shared.Kbdif;
using XenDisplayWeb.Shared.Kbdif.Backend;
using KbdifConst = XenDisplayWeb.Shared.Kbdif.Kbdif;

namespace XenDisplayWeb.Shared.Tests.Kbdif.Backend;

public class KbdBacklogTests
{
    [Fact]
    public void A_full_ring_merges_moves_into_the_queued_one_and_keeps_seq_equal_to_the_ring_index()
    {
        using var rig = new KbdRig();
        var (front, got) = rig.AddGuest(1);
        front.Paused = true;
        var dev = rig.Device(1);

        var fill = dev.Accept(Enumerable.Range(0, KbdifConst.InRingLen).Select(i => (IXenkbdInEvent)new XenkbdPosition(i, i, 0)).ToList());
        var moves = dev.Accept(Enumerable.Range(100, 10).Select(i => (IXenkbdInEvent)new XenkbdPosition(i, i + 1, 1)).ToList());
        var keys = dev.Accept([new XenkbdKey(true, LinuxInput.KEY_A), new XenkbdPosition(7, 7, 0), new XenkbdKey(false, LinuxInput.KEY_A)]);

        Assert.Equal(KbdifConst.InRingLen, fill.Accepted);
        Assert.All(moves.Seqs, s => Assert.Equal(51L, s)); // one queued event, every move merged into it
        Assert.Equal([52L, 53L, 54L], keys.Seqs);
        var status = dev.Status();
        Assert.Equal((9L, 0L, 4), (status.Coalesced, status.Dropped, status.Backlog));

        front.Paused = false;

        lock (got)
        {
            Assert.Equal(Enumerable.Range(0, 55).Select(i => (long)i), got.Select(g => g.Seq));
            Assert.Equal(new XenkbdPosition(109, 110, 10), got[51].Event); // the last position, the wheel summed
            Assert.Equal(new XenkbdKey(true, LinuxInput.KEY_A), got[52].Event);
            Assert.Equal(new XenkbdPosition(7, 7, 0), got[53].Event);
        }
        Assert.Equal(0, dev.Status().Backlog);
    }

    [Fact]
    public void A_key_press_is_refused_when_the_backlog_has_no_room_left_for_its_release()
    {
        using var rig = new KbdRig(new KbdOptions { BacklogCapacity = 3 });
        var (front, got) = rig.AddGuest(1);
        front.Paused = true;
        var dev = rig.Device(1);
        dev.Accept(Enumerable.Range(0, KbdifConst.InRingLen).Select(i => (IXenkbdInEvent)new XenkbdPosition(i, i, 0)).ToList());

        // A's press waits in the backlog and keeps a slot for its release: 2 of 3 taken.
        Assert.Equal([51L], dev.Accept([new XenkbdKey(true, LinuxInput.KEY_A)]).Seqs);
        // B's press would fit alone, but not with its release: refused, so it can never be left held down.
        var b = dev.Accept([new XenkbdKey(true, LinuxInput.KEY_B)]);
        Assert.Equal((0, -1L), (b.Accepted, b.Seqs[0]));
        // A's release takes the slot kept for it.
        Assert.Equal([52L], dev.Accept([new XenkbdKey(false, LinuxInput.KEY_A)]).Seqs);

        front.Paused = false;
        lock (got)
            Assert.Equal([new XenkbdKey(true, LinuxInput.KEY_A), new XenkbdKey(false, LinuxInput.KEY_A)], got.Select(g => g.Event).OfType<XenkbdKey>());
    }

    [Fact]
    public void A_1000_event_burst_to_a_live_guest_loses_no_key_and_no_move()
    {
        using var rig = new KbdRig();
        var (_, got) = rig.AddGuest(1);
        var burst = Burst(1000);

        var r = rig.Device(1).Accept(burst);

        Assert.Equal(1000, r.Accepted);
        lock (got) Assert.Equal(burst.Select((e, i) => ((long)i, e)), got);
        Assert.Equal(0L, rig.Device(1).Status().Dropped);
    }

    [Fact]
    public void A_1000_event_burst_to_a_stalled_guest_drops_moves_counted_and_never_half_a_key_press()
    {
        using var rig = new KbdRig(new KbdOptions { BacklogCapacity = 16 });
        var (front, got) = rig.AddGuest(1);
        front.Paused = true;
        var burst = Burst(1000);

        var r = rig.Device(1).Accept(burst);
        front.Paused = false;

        var status = rig.Device(1).Status();
        Assert.True(status.Dropped > 0);
        Assert.Contains(burst.Where((e, i) => e is XenkbdKey { Pressed: true } && r.Seqs[i] < 0), _ => true); // presses refused when their release would not fit
        var acceptedKeys = burst.Where((e, i) => e is XenkbdKey && r.Seqs[i] >= 0).Cast<XenkbdKey>().ToList();
        // Every key press taken has its release taken too, and in order.
        Assert.Equal(acceptedKeys.Count(k => k.Pressed), acceptedKeys.Count(k => !k.Pressed));
        for (int i = 0; i < acceptedKeys.Count; i += 2)
            Assert.Equal((true, false, acceptedKeys[i].Keycode), (acceptedKeys[i].Pressed, acceptedKeys[i + 1].Pressed, acceptedKeys[i + 1].Keycode));
        lock (got)
        {
            Assert.Equal(acceptedKeys, got.Select(g => g.Event).OfType<XenkbdKey>());
            Assert.Equal(r.Seqs.Where(s => s >= 0).Distinct(), got.Select(g => g.Seq)); // seqs are what the guest saw, merged moves once
            Assert.Equal(Enumerable.Range(0, got.Count).Select(i => (long)i), got.Select(g => g.Seq));
        }
        int refusedMoves = burst.Where((e, i) => e is XenkbdPosition && r.Seqs[i] < 0).Count();
        Assert.Equal(refusedMoves, status.Dropped);
        Assert.Equal(r.Seqs.Count(s => s >= 0), r.Accepted);
    }

    /// <summary>Press, move, release, move, with keys cycling over the letters.</summary>
    private static IXenkbdInEvent[] Burst(int n) => Enumerable.Range(0, n).Select(i => (i % 4) switch
    {
        0 => (IXenkbdInEvent)new XenkbdKey(true, (uint)(LinuxInput.KEY_Q + i / 4 % 10)),
        2 => new XenkbdKey(false, (uint)(LinuxInput.KEY_Q + i / 4 % 10)),
        _ => new XenkbdPosition(i, i, 0),
    }).ToArray();
}
