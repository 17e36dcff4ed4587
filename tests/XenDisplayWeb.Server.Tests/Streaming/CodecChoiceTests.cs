using Microsoft.Extensions.Time.Testing;
using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Server.Streaming;
using static XenDisplayWeb.Server.Tests.Streaming.StreamTestKit;

namespace XenDisplayWeb.Server.Tests.Streaming;

public class CodecChoiceTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly RecordingSender _sender = new();
    private readonly byte[] _px = Picture(256, 128);
    private long _seq;

    private FrameMessage ShowAndPump(ConnectorStream stream, uint? colourOfTile0 = null)
    {
        int before = _sender.To("v").Count;
        if (colourOfTile0 is { } c) Fill(_px, 256, 0, 0, 64, 64, c);
        stream.Show(View(_px, 256, 128, ++_seq));
        stream.Pump();
        var frames = _sender.To("v");
        Assert.Equal(before + 1, frames.Count);
        stream.Ack("v", frames[^1].Id);
        return frames[^1];
    }

    [Fact]
    public void A_region_changing_fast_goes_jpeg_and_gets_a_lossless_refresh_once_it_stops()
    {
        using var stream = Stream(_sender, _time, Options(o => o.RefreshDelayMs = 300));
        stream.Show(View(_px, 256, 128, ++_seq));
        stream.AddViewer("v");
        stream.Pump();
        var full = _sender.To("v")[0];
        Assert.All(full.Rects, r => Assert.Equal("png", r.Codec));
        stream.Ack("v", full.Id);

        var codecs = new List<string>();
        for (int i = 0; i < 6; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100)); // 10 frames a second
            var f = ShowAndPump(stream, 0xFF000000u + (uint)i * 40);
            codecs.Add(Assert.Single(f.Rects).Codec);
        }
        // The third change within a second makes the region "fast".
        Assert.Equal(["png", "jpeg", "jpeg", "jpeg", "jpeg", "jpeg"], codecs);
        var lastJpeg = _sender.To("v")[^1].Rects[0];
        Assert.Equal((0, 0, 64, 64), (lastJpeg.X, lastJpeg.Y, lastJpeg.W, lastJpeg.H));

        _time.Advance(TimeSpan.FromMilliseconds(200));
        stream.Pump();
        Assert.Equal(7, _sender.To("v").Count); // still within the refresh delay: nothing

        _time.Advance(TimeSpan.FromMilliseconds(150));
        stream.Pump();
        var refresh = _sender.To("v")[^1];
        Assert.Equal(8, _sender.To("v").Count);
        Assert.False(refresh.Full);
        var rect = Assert.Single(refresh.Rects);
        Assert.Equal((0, 0, 64, 64, "png"), (rect.X, rect.Y, rect.W, rect.H, rect.Codec));
        Assert.Equal(Rgb(_px, 256, 0, 0, 64, 64), DecodePng(rect.Data).Rgb);

        stream.Ack("v", refresh.Id);
        _time.Advance(TimeSpan.FromSeconds(2));
        stream.Pump();
        Assert.Equal(8, _sender.To("v").Count); // refreshed once
    }

    [Fact]
    public void A_region_changing_once_a_second_stays_lossless()
    {
        using var stream = Stream(_sender, _time);
        stream.Show(View(_px, 256, 128, ++_seq));
        stream.AddViewer("v");
        stream.Pump();
        stream.Ack("v", _sender.To("v")[0].Id);
        for (int i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal("png", Assert.Single(ShowAndPump(stream, 0xFF101010u * (uint)(i + 1)).Rects).Codec);
        }
    }

    [Fact]
    public void Without_libturbojpeg_fast_regions_are_sent_lossless()
    {
        using var stream = Stream(_sender, _time, jpeg: false);
        stream.Show(View(_px, 256, 128, ++_seq));
        stream.AddViewer("v");
        stream.Pump();
        stream.Ack("v", _sender.To("v")[0].Id);
        for (int i = 0; i < 6; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(16));
            Assert.Equal("png", Assert.Single(ShowAndPump(stream, 0xFF000000u + (uint)i * 40).Rects).Codec);
        }
    }
}
