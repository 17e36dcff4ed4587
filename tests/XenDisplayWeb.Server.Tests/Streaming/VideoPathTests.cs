using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Server.Streaming;
using XenDisplayWeb.Server.Streaming.Video;
using XenDisplayWeb.Shared.Backend;
using static XenDisplayWeb.Server.Tests.Streaming.StreamTestKit;

namespace XenDisplayWeb.Server.Tests.Streaming;

public class VideoPathTests
{
    private static readonly WatchOptions Avc = new(0, 0, ["avc1"]);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly RecordingSender _sender = new();
    private readonly FakeVideoEncoderFactory _factory = new();
    private byte[] _px = Picture(256, 128);
    private int _width = 256, _height = 128;
    private long _seq;
    private uint _colour = 0xFF101010;

    private ConnectorStream VideoStream(Action<StreamingOptions>? change = null, IVideoEncoderFactory? factory = null, ILogger? logger = null)
    {
        var s = new ConnectorStream(1, 0, Options(change), _sender, _time, logger ?? NullLogger.Instance, JpegEncoder.TryCreate(out _),
            runEncoder: false, video: factory ?? _factory);
        s.Attach(_width, _height);
        return s;
    }

    /// <summary>A stream showing a picture, watched by "v", a page that presents avc1, its first frame acknowledged.</summary>
    private ConnectorStream WatchedByOne(Action<StreamingOptions>? change = null)
    {
        var stream = VideoStream(change);
        stream.Show(View(_px, 256, 128, ++_seq));
        stream.AddViewer("v", Avc);
        stream.Pump();
        AckAll(stream, "v");
        return stream;
    }

    /// <summary>The guest draws a new picture over all of the screen.</summary>
    private void Move(ConnectorStream stream, int afterMs = 16)
    {
        _time.Advance(TimeSpan.FromMilliseconds(afterMs));
        _colour += 0x030507;
        Fill(_px, _width, 0, 0, _width, _height, _colour);
        stream.Show(View(_px, _width, _height, ++_seq));
        stream.Pump();
    }

    private void AckAll(ConnectorStream stream, string viewer)
    {
        foreach (var f in _sender.To(viewer)) stream.Ack(viewer, f.Id);
    }

    private static bool IsVideo(FrameMessage f) => f.Video is not null;

    [Fact]
    public void Motion_switches_to_video_and_stillness_back_to_tiles_ending_with_a_lossless_full_frame()
    {
        using var stream = VideoStream();
        stream.Show(View(_px, 256, 128, ++_seq));
        stream.AddViewer("v", Avc);
        stream.Pump();
        Assert.False(IsVideo(_sender.To("v")[0]));

        // 60 pictures a second over the whole screen: tiles for the first half second, then video.
        for (int i = 0; i < 28; i++) { Move(stream); AckAll(stream, "v"); }
        Assert.All(_sender.To("v"), f => Assert.False(IsVideo(f)));
        Assert.Equal("tiles", stream.Path);
        for (int i = 0; i < 10; i++) { Move(stream); AckAll(stream, "v"); }
        Assert.Equal("video", stream.Path);
        var video = _sender.To("v").Where(IsVideo).ToList();
        Assert.NotEmpty(video);
        Assert.True(video[0].Video!.Key);
        Assert.True(video[0].Full);
        Assert.Empty(video[0].Rects);
        Assert.Equal(("avc1.42E01F", 256, 128), (video[0].Video!.Codec, video[0].Width, video[0].Height));
        Assert.All(video.Skip(1), f => Assert.False(f.Video!.Key));
        Assert.Equal(_colour, FakeVideoEncoder.FirstPixel(video[^1].Video!.Data)); // the latest picture
        Assert.Equal(_seq, video[^1].GuestFrame);
        var stats = stream.TakeStats()!;
        Assert.Equal("video", stats.Mode);
        Assert.True(stats.Codecs.Video > 0);

        // Still: video until a second has passed without motion, then one full lossless frame.
        int sent = _sender.To("v").Count;
        for (int i = 0; i < 9; i++) { _time.Advance(TimeSpan.FromMilliseconds(100)); stream.Pump(); }
        Assert.Equal(sent, _sender.To("v").Count);
        Assert.Equal("video", stream.Path);
        _time.Advance(TimeSpan.FromMilliseconds(120));
        stream.Pump();
        Assert.Equal("tiles", stream.Path);
        var back = Assert.Single(_sender.To("v").Skip(sent));
        Assert.False(IsVideo(back));
        Assert.True(back.Full);
        Assert.All(back.Rects, r => Assert.Equal("png", r.Codec));
        Assert.Equal(256L * 128, back.Rects.Sum(r => (long)r.W * r.H));
        foreach (var r in back.Rects) Assert.Equal(Rgb(_px, 256, r.X, r.Y, r.W, r.H), DecodePng(r.Data).Rgb);
        Assert.Single(_factory.Created);
        Assert.True(_factory.Created[0].Disposed); // released on the way back to tiles
        Assert.Equal("tiles", stream.TakeStats()!.Mode);
    }

    [Fact]
    public void Motion_below_the_picture_rate_stays_on_tiles()
    {
        using var stream = VideoStream();
        stream.Show(View(_px, 256, 128, ++_seq));
        stream.AddViewer("v", Avc);
        stream.Pump();
        for (int i = 0; i < 30; i++) { Move(stream, afterMs: 100); AckAll(stream, "v"); } // 10 a second for 3 s
        Assert.Equal("tiles", stream.Path);
        Assert.All(_sender.To("v"), f => Assert.False(IsVideo(f)));
    }

    [Fact]
    public void A_viewer_joining_a_stream_on_video_gets_a_key_frame_and_then_both_share_each_encode()
    {
        using var stream = VideoStream(o => o.VideoMode = "video");
        stream.Show(View(_px, 256, 128, ++_seq));
        stream.AddViewer("a", Avc);
        stream.Pump();
        for (int i = 0; i < 3; i++) { Move(stream); AckAll(stream, "a"); }
        Assert.Equal([true, false, false, false], _sender.To("a").Select(f => f.Video!.Key));

        stream.AddViewer("b", Avc);
        stream.Pump(); // nothing new on screen: a key frame all the same, for the newcomer
        Assert.True(Assert.Single(_sender.To("b")).Video!.Key);
        AckAll(stream, "a"); AckAll(stream, "b");
        int encodes = _factory.Encodes;
        for (int i = 0; i < 5; i++) { Move(stream); AckAll(stream, "a"); AckAll(stream, "b"); }

        Assert.Equal(encodes + 5, _factory.Encodes); // one encode a picture, whatever the number of viewers
        var a = _sender.To("a").TakeLast(5).ToList();
        var b = _sender.To("b").TakeLast(5).ToList();
        for (int i = 0; i < 5; i++)
        {
            Assert.Same(a[i].Video!.Data, b[i].Video!.Data);
            Assert.False(b[i].Video!.Key);
        }
    }

    [Fact]
    public void A_page_without_the_codec_gets_tiles_from_the_same_stream_while_another_gets_video()
    {
        using var stream = VideoStream(o => o.VideoMode = "video");
        stream.Show(View(_px, 256, 128, ++_seq));
        stream.AddViewer("video", Avc);
        stream.AddViewer("plain");                          // a JSON client or a browser without WebCodecs
        stream.AddViewer("thumb", Avc with { MaxWidth = 128, MaxHeight = 64 }); // smaller than the picture
        stream.Pump();
        for (int i = 0; i < 4; i++) { Move(stream); AckAll(stream, "video"); AckAll(stream, "plain"); AckAll(stream, "thumb"); }

        Assert.All(_sender.To("video"), f => Assert.True(IsVideo(f)));
        Assert.All(_sender.To("plain").Concat(_sender.To("thumb")), f => { Assert.False(IsVideo(f)); Assert.NotEmpty(f.Rects); });
        Assert.Equal(5, _sender.To("plain").Count);
        Assert.Equal(_seq, _sender.To("plain")[^1].GuestFrame);
        Assert.Equal(5, _factory.Encodes);
    }

    [Fact]
    public void A_lagging_viewer_skips_to_the_next_key_frame_instead_of_queueing_stale_frames()
    {
        using var stream = VideoStream(o => o.VideoMode = "video");
        stream.Show(View(_px, 256, 128, ++_seq));
        stream.AddViewer("live", Avc);
        stream.AddViewer("slow", Avc);
        stream.Pump();
        for (int i = 0; i < 6; i++) { Move(stream); AckAll(stream, "live"); } // "slow" acks nothing: its window (2) fills

        var slow = _sender.To("slow");
        Assert.Equal(2, slow.Count);
        Assert.Equal(7, _sender.To("live").Count);

        AckAll(stream, "slow");
        stream.Pump(); // room again, nothing new on screen: a key frame of the latest picture (everyone gets it)
        slow = _sender.To("slow");
        Assert.Equal(3, slow.Count);
        Assert.True(slow[2].Video!.Key);
        Assert.Equal(_colour, FakeVideoEncoder.FirstPixel(slow[2].Video!.Data));
        Assert.Equal(_seq, slow[2].GuestFrame);
        Assert.True(_sender.To("live")[^1].Video!.Key);

        AckAll(stream, "slow"); AckAll(stream, "live");
        Move(stream);
        Assert.False(_sender.To("slow")[^1].Video!.Key); // and goes on from there
    }

    [Fact]
    public void A_viewer_that_asks_gets_a_key_frame()
    {
        using var stream = VideoStream(o => o.VideoMode = "video");
        stream.Show(View(_px, 256, 128, ++_seq));
        stream.AddViewer("v", Avc);
        stream.Pump();
        Move(stream); AckAll(stream, "v");
        Assert.False(_sender.To("v")[^1].Video!.Key);

        stream.RequestKeyFrame("v");
        stream.Pump();
        Assert.True(_sender.To("v")[^1].Video!.Key);
        Assert.Equal(3, _sender.To("v").Count);
    }

    [Fact]
    public void A_new_size_gets_a_new_encoder_and_a_key_frame()
    {
        using var stream = WatchedByOne(o => o.VideoMode = "video");

        (_width, _height, _px) = (128, 64, Picture(128, 64));
        Move(stream);
        var f = _sender.To("v")[^1];
        Assert.True(f.Video!.Key);
        Assert.Equal((128, 64), (f.Width, f.Height));
        Assert.Equal(2, _factory.Created.Count);
        Assert.True(_factory.Created[0].Disposed);
        Assert.Equal((128, 64), (_factory.Created[1].Width, _factory.Created[1].Height));
    }

    [Fact]
    public void The_operator_forces_tiles_and_video_and_back_to_tiles_is_lossless()
    {
        using var stream = WatchedByOne();

        stream.Mode = VideoMode.Video;
        stream.Pump();
        Assert.True(_sender.To("v")[^1].Video!.Key);
        for (int i = 0; i < 3; i++) { Move(stream); AckAll(stream, "v"); } // fast enough to be lossy on tiles

        stream.Mode = VideoMode.Tiles;
        stream.Pump();
        var back = _sender.To("v")[^1];
        Assert.False(IsVideo(back));
        Assert.True(back.Full);
        Assert.All(back.Rects, r => Assert.Equal("png", r.Codec));
        AckAll(stream, "v");
        for (int i = 0; i < 60; i++) { Move(stream); AckAll(stream, "v"); }
        Assert.Equal("tiles", stream.Path);
        Assert.False(IsVideo(_sender.To("v")[^1]));
    }

    [Fact]
    public void An_encoder_failure_puts_the_stream_on_tiles_with_a_lossless_full_frame()
    {
        using var stream = WatchedByOne(o => o.VideoMode = "video");
        _factory.FailNext = true;
        Move(stream);
        Assert.Single(_sender.To("v"));
        stream.Pump(); // the pass after the failure (the stream signals itself for it)

        var f = _sender.To("v")[^1];
        Assert.False(IsVideo(f));
        Assert.True(f.Full);
        Assert.All(f.Rects, r => Assert.Equal("png", r.Codec));
        Assert.Equal("tiles", stream.Path);
        Assert.True(_factory.Created[0].Disposed);
    }

    [Fact]
    public void Without_the_library_the_registry_logs_once_and_every_stream_sends_tiles()
    {
        var logger = new RecordingLoggerFactory();
        var factory = new X264EncoderFactory(new Logger<X264EncoderFactory>(logger), library: "libx264-not-installed.so.0");
        using var registry = new FrameStreamRegistry(Microsoft.Extensions.Options.Options.Create(new StreamingOptions { VideoMode = "video" }),
            _sender, _time, logger, runEncoders: false, video: factory);
        registry.Create(new ConnectorKey(1, 0, 0), 256, 128);
        registry.Create(new ConnectorKey(1, 0, 1), 256, 128);
        var stream = registry.Find(1, 0)!;
        stream.Show(View(_px, 256, 128, ++_seq));
        stream.AddViewer("v", Avc);
        stream.Pump();
        for (int i = 0; i < 3; i++) { Move(stream); AckAll(stream, "v"); }

        Assert.All(_sender.To("v"), f => { Assert.False(IsVideo(f)); Assert.NotEmpty(f.Rects); });
        Assert.Equal("tiles", stream.Path);
        Assert.False(factory.Available);
        Assert.Single(logger.Messages, m => m.Contains("H.264 is unavailable"));
    }

    [Fact]
    public void An_odd_size_streams_tiles()
    {
        (_width, _height, _px) = (255, 128, Picture(255, 128));
        using var stream = VideoStream(o => o.VideoMode = "video");
        stream.Show(View(_px, 255, 128, ++_seq));
        stream.AddViewer("v", Avc);
        stream.Pump();
        Move(stream);
        Assert.All(_sender.To("v"), f => Assert.False(IsVideo(f)));
        Assert.Empty(_factory.Created);
    }

    private sealed class RecordingLoggerFactory : ILoggerFactory, ILogger
    {
        public List<string> Messages { get; } = [];
        public ILogger CreateLogger(string categoryName) => this;
        public void AddProvider(ILoggerProvider provider) { }
        public void Dispose() { }
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Messages) Messages.Add(formatter(state, exception));
        }
    }
}
