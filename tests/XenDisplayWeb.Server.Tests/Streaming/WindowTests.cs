using Microsoft.Extensions.Time.Testing;
using XenDisplayWeb.Server.Streaming;
using static XenDisplayWeb.Server.Tests.Streaming.StreamTestKit;

namespace XenDisplayWeb.Server.Tests.Streaming;

/// <summary>Latency-first flow control: the window follows the round trip, and a connection that does not read is skipped.</summary>
public class WindowTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private int _colour;

    private void NextPicture(ConnectorStream stream, byte[] px, long seq)
    {
        Fill(px, 256, (int)(seq % 4) * 64, 0, 64, 64, 0xFF000000u | (uint)(++_colour * 0x1F0F07));
        stream.Show(View(px, 256, 128, seq));
    }

    [Fact]
    public void A_viewer_80_ms_away_gets_every_picture_of_a_50_fps_guest()
    {
        var sender = new RecordingSender();
        using var stream = Stream(sender, _time);
        var px = Picture(256, 128);
        stream.Show(View(px, 256, 128, 1));
        stream.AddViewer("v");
        var sentAt = new Dictionary<long, DateTimeOffset>();
        var acked = new HashSet<long>();
        int maxInFlight = 0;
        for (long seq = 2; seq <= 60; seq++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(20));           // a picture every 20 ms
            foreach (var (id, at) in sentAt)                        // each ack is back four pictures (80 ms) after its send
                if (!acked.Contains(id) && _time.GetUtcNow() - at >= TimeSpan.FromMilliseconds(70)) { stream.Ack("v", id); acked.Add(id); }
            NextPicture(stream, px, seq);
            stream.Pump();
            foreach (var f in sender.To("v")) sentAt.TryAdd(f.Id, _time.GetUtcNow());
            maxInFlight = Math.Max(maxInFlight, sentAt.Count - acked.Count);
        }

        // 80 ms covers four pictures: four frames are in flight at once (a window of two would merge and drop).
        Assert.Equal(4, maxInFlight);
        // Once the round trip is known, no picture is merged into a later one: every one reaches the viewer.
        var late = sender.To("v").Where(f => f.GuestFrame > 30).ToList();
        Assert.Equal(30, late.Count);
        Assert.All(late, f => Assert.Equal(0, f.Dropped - late[0].Dropped));
    }

    [Fact]
    public void The_window_never_exceeds_the_setting_however_long_the_round_trip()
    {
        var viewer = new Viewer("v", 8, 85);
        for (int i = 0; i < 5; i++) viewer.AddRtt(500);
        Assert.Equal(6, viewer.Window(16.7, 6));
        Assert.Equal(2, new Viewer("new", 8, 85).Window(16.7, 6));   // no round trip yet: the smallest window
        viewer.AddRtt(10);                                             // the base round trip is the shortest seen
        Assert.Equal(2, viewer.Window(16.7, 6));
    }

    [Fact]
    public void A_connection_that_does_not_take_its_frames_gets_none_whatever_it_acks_while_a_good_viewer_gets_every_picture()
    {
        var sender = new GatedSender { Blocked = { "blind" } };
        using var stream = Stream(sender.Recorder, _time, jpeg: false);
        var px = Picture(256, 128);
        stream.Show(View(px, 256, 128, 1));
        stream.AddViewer("good");
        stream.AddViewer("blind");
        for (long seq = 2; seq <= 40; seq++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            NextPicture(stream, px, seq);
            stream.Pump();
            foreach (var f in sender.Recorder.To("good")) stream.Ack("good", f.Id);
            for (long id = 1; id <= seq; id++) stream.Ack("blind", id); // acks for frames it never read
        }
        Assert.Equal(Enumerable.Range(2, 39).Select(i => (long)i), sender.Recorder.To("good").Select(f => f.GuestFrame));
        Assert.Empty(sender.Recorder.To("blind"));

        sender.Blocked.Clear();                                        // it reads again: one frame with everything
        stream.Pump();
        var caughtUp = Assert.Single(sender.Recorder.To("blind"));
        Assert.True(caughtUp.Full);
        Assert.Equal(40, caughtUp.GuestFrame);
    }

    /// <summary>A sender whose blocked connections have not taken what they were sent.</summary>
    private sealed class GatedSender
    {
        public RecordingSender Recorder { get; }
        public HashSet<string> Blocked { get; } = [];

        public GatedSender() => Recorder = new RecordingSender(c => !Blocked.Contains(c));
    }
}
