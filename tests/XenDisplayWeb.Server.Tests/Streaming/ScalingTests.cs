using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Server.Streaming;
using static XenDisplayWeb.Server.Tests.Streaming.StreamTestKit;

namespace XenDisplayWeb.Server.Tests.Streaming;

/// <summary>Watches with a box get the picture scaled on the server: exact sizes, box-averaged pixels, shared encodes.</summary>
public class ScalingTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly RecordingSender _sender = new();
    private int _colour;

    [Theory]
    [InlineData(1920, 1080, 320, 180, 320, 180)]
    [InlineData(1024, 768, 320, 180, 240, 180)]
    [InlineData(1280, 720, 320, 180, 320, 180)]
    [InlineData(800, 600, 384, 216, 288, 216)]
    [InlineData(1023, 767, 320, 180, 240, 180)]   // 1023 * 180 / 767 = 240.07
    [InlineData(641, 479, 100, 100, 100, 74)]     // 479 * 100 / 641 = 74.7
    [InlineData(300, 200, 320, 180, 270, 180)]    // only the height is bounded by the box
    [InlineData(4095, 1, 320, 180, 320, 1)]       // never below 1
    [InlineData(1920, 1080, 960, 0, 960, 540)]    // 0: that side is free
    [InlineData(256, 128, 320, 180, 256, 128)]    // never enlarged
    [InlineData(1920, 1080, 0, 0, 1920, 1080)]
    public void The_scaled_size_fits_the_box_keeping_the_aspect_ratio(int w, int h, int maxW, int maxH, int expectedW, int expectedH)
    {
        Assert.Equal((expectedW, expectedH), ScaledSize.Fit(w, h, maxW, maxH));
    }

    [Fact]
    public void A_watch_with_a_small_box_is_answered_the_scaled_size_and_its_frames_carry_it()
    {
        using var stream = Stream(_sender, _time, width: 1024, height: 768);
        stream.Show(View(Picture(1024, 768), 1024, 768, 1));
        Assert.Equal(new WatchResult(240, 180), stream.AddViewer("thumb", new WatchOptions(320, 180)));
        PumpAll(stream);
        var frame = Assert.Single(_sender.To("thumb"));
        Assert.Equal((240, 180, true), (frame.Width, frame.Height, frame.Full));
        Assert.Equal(240L * 180, frame.Rects.Sum(r => (long)r.W * r.H));
    }

    [Fact]
    public void The_scaled_pixels_are_the_rounded_mean_of_their_box()
    {
        // Every pixel different, so a box that is off by one column or row shows.
        const int w = 256, h = 128;
        var px = Pattern(w, h);
        using var stream = Stream(_sender, _time, width: w, height: h);
        stream.Show(View(px, w, h, 1));
        Assert.Equal(new WatchResult(100, 50), stream.AddViewer("thumb", new WatchOptions(100, 100)));
        PumpAll(stream);
        var frame = Assert.Single(_sender.To("thumb"));
        var expected = Reference(px, w, h, 100, 50);
        foreach (var r in frame.Rects)
        {
            Assert.Equal("png", r.Codec);
            Assert.Equal(Rgb(expected, 100, r.X, r.Y, r.W, r.H), DecodePng(r.Data).Rgb);
        }
    }

    [Theory]
    [InlineData(1920, 1080, 320, 180)]
    [InlineData(1021, 767, 240, 180)]
    [InlineData(33, 17, 32, 17)]
    [InlineData(64, 64, 1, 1)]
    [InlineData(4095, 2047, 3, 2)]                    // the largest boxes a mode allows
    public void The_scaler_writes_the_rounded_mean_of_each_box(int w, int h, int dw, int dh)
    {
        var px = Pattern(w, h);
        var scaler = new BoxScaler(w, h, dw, dh);
        var scaled = new byte[dw * dh * 4];
        scaler.Scale(px, scaled, new PixelRect(0, 0, dw, dh));
        Assert.Equal(Reference(px, w, h, dw, dh), scaled);
    }

    [Fact]
    public void A_change_is_scaled_where_it_lands_and_only_there()
    {
        using var stream = Stream(_sender, _time);
        var px = Pattern(256, 128);
        stream.Show(View(px, 256, 128, 1));
        stream.AddViewer("thumb", new WatchOptions(128, 64));
        PumpAll(stream);
        Ack(stream, "thumb");

        _time.Advance(TimeSpan.FromSeconds(1));
        Fill(px, 256, 192, 64, 64, 64, 0xFF3060A0);    // the bottom right tile
        stream.Show(View(px, 256, 128, 2));
        PumpAll(stream);
        var frame = _sender.To("thumb")[^1];
        var rect = Assert.Single(frame.Rects);
        Assert.Equal((64, 0, 64, 64), (rect.X, rect.Y, rect.W, rect.H));   // the right tile of the 128x64 picture
        Assert.Equal(Rgb(Reference(px, 256, 128, 128, 64), 128, 64, 0, 64, 64), DecodePng(rect.Data).Rgb);
    }

    [Fact]
    public void Two_viewers_at_the_same_size_share_one_variant_and_one_encode_per_region()
    {
        using var stream = Stream(_sender, _time);
        var px = Picture(256, 128);
        stream.Show(View(px, 256, 128, 1));
        stream.AddViewer("a", new WatchOptions(128, 64));
        stream.AddViewer("b", new WatchOptions(130, 64));   // a different box, the same scaled size
        var variant = Assert.Single(stream.Scaled.Streams);
        Assert.Equal((128, 64), (variant.Width, variant.Height));
        PumpAll(stream);
        long before = variant.Stream.Encodes;
        for (int k = 0; k < 10; k++)
        {
            Ack(stream, "a");
            Ack(stream, "b");
            _time.Advance(TimeSpan.FromMilliseconds(100));
            ChangeTile(px, k % 3);
            stream.Show(View(px, 256, 128, 2 + k));
            PumpAll(stream);
        }
        Assert.Equal(10, variant.Stream.Encodes - before);   // one region a frame for both
        var a = _sender.To("a").Skip(1).SelectMany(f => f.Rects).ToList();
        var b = _sender.To("b").Skip(1).SelectMany(f => f.Rects).ToList();
        Assert.Equal(10, a.Count);
        Assert.All(a.Zip(b), p => Assert.Same(p.First.Data, p.Second.Data));
        Assert.Contains(a, r => r.Codec == "jpeg");           // fast regions are shared too
        Assert.Equal(0, stream.ViewerCount);                  // nobody watches the full size
    }

    [Fact]
    public void Two_sizes_are_two_variants_and_a_full_size_viewer_gets_the_full_picture()
    {
        using var stream = Stream(_sender, _time);
        var px = Pattern(256, 128);
        stream.Show(View(px, 256, 128, 1));
        Assert.Equal(new WatchResult(128, 64), stream.AddViewer("half", new WatchOptions(128, 64)));
        Assert.Equal(new WatchResult(64, 32), stream.AddViewer("quarter", new WatchOptions(64, 64)));
        Assert.Equal(new WatchResult(256, 128), stream.AddViewer("full", new WatchOptions(0, 0)));
        Assert.Equal([(64, 32), (128, 64)], stream.Scaled.Streams.Select(s => (s.Width, s.Height)).Order());
        PumpAll(stream);
        Assert.Equal((128, 64), Size(_sender.To("half").Single()));
        Assert.Equal((64, 32), Size(_sender.To("quarter").Single()));
        var full = _sender.To("full").Single();
        Assert.Equal((256, 128), Size(full));
        foreach (var r in full.Rects) Assert.Equal(Rgb(px, 256, r.X, r.Y, r.W, r.H), DecodePng(r.Data).Rgb);
    }

    [Fact]
    public void Watching_again_at_another_size_moves_the_viewer_and_the_emptied_variant_goes()
    {
        using var stream = Stream(_sender, _time);
        stream.Show(View(Picture(256, 128), 256, 128, 1));
        stream.AddViewer("v", new WatchOptions(128, 64));
        PumpAll(stream);
        var first = Assert.Single(stream.Scaled.Streams).Stream;

        Assert.Equal(new WatchResult(64, 32), stream.AddViewer("v", new WatchOptions(64, 32)));
        Assert.Equal((64, 32), Assert.Single(stream.Scaled.Streams) is var s ? (s.Width, s.Height) : default);
        Assert.True(first.Completion.IsCompleted);
        PumpAll(stream);
        Assert.Equal((64, 32, true), (_sender.To("v")[^1].Width, _sender.To("v")[^1].Height, _sender.To("v")[^1].Full));

        Assert.Equal(new WatchResult(256, 128), stream.AddViewer("v"));
        Assert.Empty(stream.Scaled.Streams);
        PumpAll(stream);
        Assert.Equal((256, 128), Size(_sender.To("v")[^1]));
        Assert.Equal(1, stream.ViewerCount);
    }

    [Fact]
    public async Task The_variant_stops_when_its_last_viewer_leaves_and_its_frames_stop()
    {
        using var stream = new ConnectorStream(1, 0, Options(), _sender, _time, NullLogger.Instance, JpegEncoder.TryCreate(out _));
        stream.Attach(256, 128);
        var px = Pattern(256, 128);
        stream.Show(View(px, 256, 128, 1));
        stream.AddViewer("a", new WatchOptions(128, 64));
        stream.AddViewer("b", new WatchOptions(128, 64));
        var variant = Assert.Single(stream.Scaled.Streams).Stream;
        await UntilAsync(() => _sender.To("a").Count == 1 && _sender.To("b").Count == 1);

        Assert.True(stream.RemoveViewer("a"));
        Assert.False(variant.Completion.IsCompleted);         // "b" still watches
        Assert.True(stream.RemoveViewer("b"));                // as when the connection leaves
        Assert.Empty(stream.Scaled.Streams);
        await variant.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(stream.RemoveViewer("b"));

        // A change now reaches only a new watcher, at a new variant.
        _time.Advance(TimeSpan.FromSeconds(1));
        ChangeTile(px, 0);
        stream.Show(View(px, 256, 128, 2));
        stream.AddViewer("c", new WatchOptions(128, 64));
        await UntilAsync(() => _sender.To("c").Count == 1);
        Assert.Equal(2, _sender.To("c")[0].GuestFrame);
        Assert.Single(_sender.To("a"));
        Assert.Single(_sender.To("b"));
    }

    [Fact]
    public void A_scaled_watch_gets_at_most_ThumbnailFps_pictures_and_the_last_change_is_never_lost()
    {
        using var stream = Stream(_sender, _time, Options(o => o.ThumbnailFps = 10));   // a picture every 100 ms at most
        var px = Picture(256, 128);
        stream.Show(View(px, 256, 128, 1));
        stream.AddViewer("thumb", new WatchOptions(128, 64));
        PumpAll(stream);                                       // t = 0: frame 1
        for (int k = 1; k <= 12; k++)                          // the guest at 40 fps: frames 2..13 at 25 ms steps
        {
            Ack(stream, "thumb");
            _time.Advance(TimeSpan.FromMilliseconds(25));
            ChangeTile(px, k % 8);
            stream.Show(View(px, 256, 128, 1 + k));
            PumpAll(stream);
        }
        // Fed at 0, 100, 200 and 300 ms: frames 1, 5, 9 and 13.
        Assert.Equal([1L, 5L, 9L, 13L], _sender.To("thumb").Select(f => f.GuestFrame));

        Ack(stream, "thumb");
        _time.Advance(TimeSpan.FromMilliseconds(25));
        ChangeTile(px, 3);
        stream.Show(View(px, 256, 128, 14));                  // the guest's last frame, held back at 325 ms
        PumpAll(stream);
        Assert.Equal(13L, _sender.To("thumb")[^1].GuestFrame);
        _time.Advance(TimeSpan.FromMilliseconds(75));         // the timer wakes the pass at 400 ms
        PumpAll(stream);
        var last = _sender.To("thumb")[^1];
        Assert.Equal(14L, last.GuestFrame);
        var rect = Assert.Single(last.Rects);                 // tile 3, at (192, 0), lands in the right tile of the 128x64 picture
        Assert.Equal((64, 0, 64, 64), (rect.X, rect.Y, rect.W, rect.H));
    }

    [Fact]
    public void A_resolution_change_moves_scaled_viewers_to_the_new_scaled_size()
    {
        using var stream = Stream(_sender, _time);
        stream.Show(View(Picture(256, 128), 256, 128, 1));
        stream.AddViewer("thumb", new WatchOptions(128, 128));
        PumpAll(stream);
        Ack(stream, "thumb");
        _time.Advance(TimeSpan.FromSeconds(1));
        stream.Show(View(Picture(512, 512), 512, 512, 2));
        PumpAll(stream);                                      // the new size is seen: the viewer watches again at 128x128
        PumpAll(stream);
        Assert.Equal((128, 128, true), (_sender.To("thumb")[^1].Width, _sender.To("thumb")[^1].Height, _sender.To("thumb")[^1].Full));
        Assert.Equal((128, 128), Assert.Single(stream.Scaled.Streams) is var s ? (s.Width, s.Height) : default);
    }

    /// <summary>The full stream's pass (which feeds the variants), then each variant's.</summary>
    private static void PumpAll(ConnectorStream stream)
    {
        stream.Pump();
        foreach (var v in stream.Scaled.Streams) v.Stream.Pump();
    }

    private void Ack(ConnectorStream stream, string connection)
    {
        foreach (var f in _sender.To(connection)) stream.Ack(connection, f.Id);
    }

    private void ChangeTile(byte[] px, int k) => Fill(px, 256, (k % 4) * 64, (k / 4) * 64, 64, 64, 0xFF000000u | (uint)(++_colour * 0x1F0F07));

    private static (int, int) Size(FrameMessage f) => (f.Width, f.Height);

    private static async Task UntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition()) await Task.Delay(10, deadline.Token);
    }

    /// <summary>A picture whose every pixel differs from its neighbours in every channel.</summary>
    private static byte[] Pattern(int w, int h)
    {
        var px = new byte[w * h * 4];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int i = (y * w + x) * 4;
                px[i] = (byte)(x * 7 + y * 3);
                px[i + 1] = (byte)(x * 13 ^ y * 5);
                px[i + 2] = (byte)((x + y) * 11);
                px[i + 3] = 0xFF;
            }
        return px;
    }

    /// <summary>The documented rule, written plainly: each pixel the rounded mean of its box, X = 255.</summary>
    private static byte[] Reference(byte[] px, int w, int h, int dw, int dh)
    {
        var o = new byte[dw * dh * 4];
        for (int y = 0; y < dh; y++)
            for (int x = 0; x < dw; x++)
            {
                int x0 = x * w / dw, x1 = (x + 1) * w / dw, y0 = y * h / dh, y1 = (y + 1) * h / dh, n = (x1 - x0) * (y1 - y0);
                for (int c = 0; c < 3; c++)
                {
                    int sum = 0;
                    for (int yy = y0; yy < y1; yy++) for (int xx = x0; xx < x1; xx++) sum += px[(yy * w + xx) * 4 + c];
                    o[(y * dw + x) * 4 + c] = (byte)((sum + n / 2) / n);
                }
                o[(y * dw + x) * 4 + 3] = 255;
            }
        return o;
    }
}
