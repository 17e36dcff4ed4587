using System.Net;
using System.Net.Http.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Server.Streaming;

namespace XenDisplayWeb.Server.Tests.Hubs;

/// <summary>The video path through the real hub and the real encoder, as a page with WebCodecs would get it.</summary>
public class VideoHubTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_page_that_presents_avc1_gets_a_key_frame_first_then_deltas_and_a_key_frame_when_it_asks()
    {
        var put = await factory.Operator().PutAsJsonAsync("/api/domains/2/connectors/0/stream", new { mode = "video" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        await using var hub = factory.MessagePackHub();
        var frames = Channel.CreateUnbounded<FrameMessage>();
        hub.On<FrameMessage>("Frame", f => frames.Writer.TryWrite(f));
        await hub.StartAsync();

        var size = await hub.InvokeAsync<WatchResult>("WatchWith", 2, 0, new WatchOptions(0, 0, ["avc1"]));
        Assert.Equal(new WatchResult(1280, 720), size);

        async Task<FrameMessage> NextAsync()
        {
            var f = await frames.Reader.ReadAsync().AsTask().WaitAsync(Wait);
            await hub.SendAsync("Ack", 2, 0, f.Id);
            return f;
        }

        var first = await NextAsync();
        var chunk = Assert.IsType<VideoChunk>(first.Video);
        Assert.True(chunk.Key);
        Assert.True(first.Full);
        Assert.Empty(first.Rects);
        Assert.StartsWith("avc1.42", chunk.Codec);
        Assert.Equal(new byte[] { 0, 0, 0, 1 }, chunk.Data[..4]); // Annex B
        Assert.Equal((1280, 720), (first.Width, first.Height));

        // The motion guest keeps drawing: deltas of newer pictures follow.
        FrameMessage next;
        do next = await NextAsync(); while (next.GuestFrame == first.GuestFrame);
        Assert.False(next.Video!.Key);
        Assert.True(next.GuestFrame > first.GuestFrame);

        await hub.SendAsync("KeyFrame", 2, 0);
        FrameMessage key;
        int deltas = 0;
        do
        {
            key = await NextAsync();
            Assert.NotNull(key.Video);
            // Sent before the request was taken: at most the window (2) and one pass being published meanwhile.
            Assert.True(deltas++ < 4, "no key frame after asking");
        } while (!key.Video.Key);
        await hub.InvokeAsync("Unwatch", 2, 0);
    }
}
