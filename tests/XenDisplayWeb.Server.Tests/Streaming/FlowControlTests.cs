using Microsoft.Extensions.Time.Testing;
using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Server.Streaming;
using static XenDisplayWeb.Server.Tests.Streaming.StreamTestKit;

namespace XenDisplayWeb.Server.Tests.Streaming;

public class FlowControlTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly RecordingSender _sender = new();

    private int _colour;

    /// <summary>Changes only tile k (of 4 x 2 tiles), to a colour not used before.</summary>
    private void ChangeTile(byte[] px, int k) => Fill(px, 256, (k % 4) * 64, (k / 4) * 64, 64, 64, 0xFF000000u | (uint)(++_colour * 0x1F0F07));

    [Fact]
    public void A_viewer_that_does_not_ack_gets_two_frames_then_one_with_everything_merged_and_the_drops_counted()
    {
        using var stream = Stream(_sender, _time);
        var px = Picture(256, 128);
        stream.Show(View(px, 256, 128, 1));
        stream.AddViewer("v");
        stream.Pump();                                  // id 1: full
        ChangeTile(px, 0);
        stream.Show(View(px, 256, 128, 2));
        stream.Pump();                                  // id 2: tile 0
        for (int k = 1; k < 8; k++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));     // slow enough to stay lossless
            ChangeTile(px, k);
            stream.Show(View(px, 256, 128, 2 + k));
            stream.Pump();
        }
        var frames = _sender.To("v");
        Assert.Equal([1L, 2L], frames.Select(f => f.Id));

        stream.Ack("v", 1);
        stream.Pump();
        frames = _sender.To("v");
        Assert.Equal(3, frames.Count);
        var merged = frames[2];
        Assert.Equal(9, merged.GuestFrame);
        Assert.Equal(6, merged.Dropped);                // frames 3..9 went out as one
        Assert.False(merged.Full);
        // Tiles 1..7 changed: the union, with the latest pixels.
        Assert.Equal(7L * 64 * 64, merged.Rects.Sum(r => (long)r.W * r.H));
        foreach (var r in merged.Rects) Assert.Equal(Rgb(px, 256, r.X, r.Y, r.W, r.H), DecodePng(r.Data).Rgb);

        stream.Pump();
        Assert.Equal(3, _sender.To("v").Count);         // nothing new: nothing sent
    }

    [Fact]
    public void A_stalled_viewer_holds_up_neither_another_viewer_nor_the_ring_thread()
    {
        using var stream = Stream(_sender, _time);
        var px = Picture(256, 128);
        stream.Show(View(px, 256, 128, 1));
        stream.AddViewer("stalled");
        stream.AddViewer("live");
        stream.Pump();
        for (int k = 0; k < 30; k++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(16));
            ChangeTile(px, k % 8);
            stream.Show(View(px, 256, 128, 2 + k)); // returns at once whatever the viewers do
            stream.Pump();
            foreach (var f in _sender.To("live")) stream.Ack("live", f.Id);
        }
        Assert.Equal(2, _sender.To("stalled").Count);
        var live = _sender.To("live");
        Assert.Equal(31, live.Count);
        Assert.Equal(31, live[^1].GuestFrame);
        Assert.Equal(0, live[^1].Dropped);
    }

    [Fact]
    public void Two_viewers_at_the_same_quality_share_one_encode_per_region()
    {
        using var one = Stream(_sender, _time);
        var twoSender = new RecordingSender();
        using var two = Stream(twoSender, _time);
        var px = Picture(256, 128);
        foreach (var s in new[] { one, two }) s.Show(View(px, 256, 128, 1));
        one.AddViewer("a");
        two.AddViewer("a");
        two.AddViewer("b");
        for (int k = 0; k < 10; k++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(50));
            ChangeTile(px, k % 3);
            foreach (var s in new[] { one, two })
            {
                s.Show(View(px, 256, 128, 2 + k));
                s.Pump();
                s.Ack("a", k + 1);
                s.Ack("b", k + 1);
            }
        }
        Assert.Equal(10, one.Encodes);                  // one region a frame
        Assert.Equal(10, two.Encodes);                  // the same with two viewers
        var a = twoSender.To("a").SelectMany(f => f.Rects).ToList();
        var b = twoSender.To("b").SelectMany(f => f.Rects).ToList();
        Assert.Equal(10, a.Count);
        Assert.All(a.Zip(b), p => Assert.Same(p.First.Data, p.Second.Data));
        Assert.Contains(a, r => r.Codec == "jpeg");     // fast regions are shared too
    }

    [Fact]
    public void Rewatching_and_a_resolution_change_each_send_a_full_frame_at_the_current_size()
    {
        using var stream = Stream(_sender, _time);
        stream.Show(View(Picture(256, 128), 256, 128, 1));
        Assert.Equal(new WatchResult(256, 128), stream.AddViewer("v"));
        stream.Pump();
        stream.Ack("v", 1);
        Assert.Equal(new WatchResult(256, 128), stream.AddViewer("v")); // reconnect: starts over
        stream.Pump();
        var again = _sender.To("v")[^1];
        Assert.True(again.Full);
        Assert.Equal(1, again.Id);
        stream.Ack("v", 1);

        var small = Picture(100, 60, 0xFF336699);
        stream.Show(View(small, 100, 60, 2));
        stream.Pump();
        var resized = _sender.To("v")[^1];
        Assert.True(resized.Full);
        Assert.Equal((100, 60), (resized.Width, resized.Height));
        var rect = Assert.Single(resized.Rects);
        Assert.Equal((0, 0, 100, 60), (rect.X, rect.Y, rect.W, rect.H));
        Assert.Equal(Rgb(small, 100, 0, 0, 100, 60), DecodePng(rect.Data).Rgb);
    }

    [Fact]
    public void Blank_is_sent_once_and_the_next_picture_comes_full()
    {
        using var stream = Stream(_sender, _time);
        var px = Picture(256, 128);
        stream.Show(View(px, 256, 128, 1));
        stream.AddViewer("v");
        stream.Pump();
        stream.Ack("v", 1);
        stream.Blank();
        stream.Pump();
        stream.Blank();
        stream.Pump();
        Assert.Equal(new BlankMessage(1, 0), Assert.Single(_sender.Blanks).Blank);
        Assert.Null(stream.SnapshotPng());
        stream.Show(View(px, 256, 128, 2));
        stream.Pump();
        Assert.True(_sender.To("v")[^1].Full);
    }

    [Fact]
    public void The_registry_finds_a_connector_while_the_backend_serves_it_and_drops_a_leaving_connection()
    {
        var sender = new RecordingSender();
        using var registry = Registry(sender, _time);
        Assert.Null(registry.Find(1, 0));
        var sink = registry.Create(new(1, 0, 0), 256, 128);
        var stream = registry.Find(1, 0);
        Assert.NotNull(stream);
        Assert.Equal(new WatchResult(256, 128), stream.AddViewer("c"));
        registry.RemoveViewer("c");
        Assert.Equal(0, stream.ViewerCount);
        sink.Dispose();
        Assert.Null(registry.Find(1, 0));
    }
}
