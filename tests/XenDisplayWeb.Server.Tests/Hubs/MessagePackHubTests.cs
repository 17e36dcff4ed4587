using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Client.Models;
using XenDisplayWeb.Server.Streaming;
using static XenDisplayWeb.Server.Tests.Streaming.StreamTestKit;

namespace XenDisplayWeb.Server.Tests.Hubs;

/// <summary>The hub's typed contract over MessagePack on a real WebSocket: frame payloads arrive as bytes.</summary>
public class MessagePackHubTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Frames_arrive_as_raw_bytes_that_decode_to_the_connectors_picture()
    {
        await using var hub = factory.MessagePackHub();
        var frames = Channel.CreateUnbounded<FrameMessage>();
        hub.On<FrameMessage>("Frame", f => frames.Writer.TryWrite(f));
        await hub.StartAsync();

        var size = await hub.InvokeAsync<WatchResult>("Watch", 1, 1);
        Assert.Equal(new WatchResult(1024, 768), size);

        var first = await frames.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        Assert.Equal((1, 1, 1L, true, 1024, 768), (first.DomId, first.Index, first.Id, first.Full, first.Width, first.Height));
        Assert.Equal(1024L * 768, first.Rects.Sum(r => (long)r.W * r.H));
        var png = first.Rects.First(r => r.Codec == "png");
        var decoded = DecodePng(png.Data); // the bytes themselves: no base64 on this protocol
        Assert.Equal((png.W, png.H), (decoded.Width, decoded.Height));

        // The guest keeps drawing: acknowledged frames are followed by newer pictures.
        await hub.SendAsync("Ack", 1, 1, first.Id);
        FrameMessage next;
        do
        {
            next = await frames.Reader.ReadAsync().AsTask().WaitAsync(Wait);
            Assert.True(next.Id > first.Id);
            Assert.False(next.Full);
            await hub.SendAsync("Ack", 1, 1, next.Id);
        } while (next.GuestFrame == first.GuestFrame);
        Assert.True(next.GuestFrame > first.GuestFrame);
        await hub.InvokeAsync("Unwatch", 1, 1);
    }

    [Fact]
    public async Task Topology_and_stats_arrive_typed_and_watch_with_options_is_understood()
    {
        await using var hub = factory.MessagePackHub();
        var topology = new TaskCompletionSource<IReadOnlyList<DomainView>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stats = new TaskCompletionSource<IReadOnlyList<ConnectorStats>>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<IReadOnlyList<DomainView>>("Topology", d => topology.TrySetResult(d));
        hub.On<IReadOnlyList<ConnectorStats>>("Stats", s => stats.TrySetResult(s));
        hub.On<FrameMessage>("Frame", f => _ = hub.SendAsync("Ack", f.DomId, f.Index, f.Id));
        await hub.StartAsync();

        var domains = await topology.Task.WaitAsync(Wait);
        Assert.Contains(domains, d => d.DomId == 2 && d.Connectors.Any(c => c.Width == 1280 && c.Height == 720));

        await hub.InvokeAsync("Subscribe", "stats");
        await hub.InvokeAsync<WatchResult>("WatchWith", 1, 1, new WatchOptions());
        var figures = await stats.Task.WaitAsync(Wait);
        var mine = Assert.Single(figures, s => s.DomId == 1 && s.Index == 1);
        Assert.True(mine.Viewers >= 1);
    }
}
