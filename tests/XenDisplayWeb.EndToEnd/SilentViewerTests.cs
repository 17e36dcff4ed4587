using Xunit.Abstractions;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.EndToEnd.Hosting;
using XenDisplayWeb.Server.Hubs;
using XenDisplayWeb.Server.Streaming;

namespace XenDisplayWeb.EndToEnd;

/// <summary>The dashboard on a real socket with no browser: raw hub clients.</summary>
public sealed class SocketDashboard : KestrelDashboard
{
    // A short bound, so a stalled connection reaches it in seconds (the trace and the stats come a few times a second).
    public SocketDashboard() : base("operator-token-for-sockets-0123456789", "viewer-token-for-sockets-0123456789",
        new Dictionary<string, string> { ["Streaming:MaxQueuedMessages"] = "12" }) => Start();
}

/// <summary>
/// A viewer that stops reading its socket but keeps acknowledging frames it never read: on a real TCP socket
/// the server's writes to it stall. A good viewer must not notice, and the server must not hold more than a
/// bounded backlog for the bad one.
/// </summary>
public class SilentViewerTests(SocketDashboard server, ITestOutputHelper output) : IClassFixture<SocketDashboard>
{
    [Fact]
    public async Task A_blind_acking_viewer_that_never_reads_slows_no_good_viewer_and_is_closed_at_its_bound()
    {
        var outbox = server.Services.GetRequiredService<HubOutbox>();
        int bound = server.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<StreamingOptions>>().Value.MaxQueuedMessages;

        await using var good = new HubConnectionBuilder()
            .WithUrl(server.Url("/hubs/dashboard"), o => o.Headers["Authorization"] = $"Bearer {server.ViewerToken}")
            .AddMessagePackProtocol().Build();
        long goodFrames = 0, lastGuestFrame = 0;
        good.On<FrameMessage>("Frame", f =>
        {
            Interlocked.Increment(ref goodFrames);
            Volatile.Write(ref lastGuestFrame, f.GuestFrame);
            _ = good.SendAsync("Ack", f.DomId, f.Index, f.Id);
        });
        await good.StartAsync();
        await good.InvokeAsync<WatchResult>("Watch", 1, 1);

        // The bad viewer: watches the 1280x720 motion connector (every pixel changes every frame) and the trace,
        // acknowledges every frame id as if it had drawn it, and never reads.
        using var bad = new ClientWebSocket();
        bad.Options.SetRequestHeader("Authorization", $"Bearer {server.ViewerToken}");
        await bad.ConnectAsync(new Uri(server.Url("/hubs/dashboard").Replace("http", "ws")), CancellationToken.None);
        await SendAsync(bad, """{"protocol":"json","version":1}""");
        await SendAsync(bad, """{"type":1,"target":"Subscribe","arguments":["trace"]}""");
        await SendAsync(bad, """{"type":1,"target":"Subscribe","arguments":["stats"]}""");
        await SendAsync(bad, """{"type":1,"target":"Watch","arguments":[2,0]}""");

        long goodAtStart = Interlocked.Read(ref goodFrames), guestAtStart = Volatile.Read(ref lastGuestFrame);
        int mostPending = 0;
        bool closed = false;
        // The close comes once the kernel's socket buffers are full and the queue has grown to its bound: 20 to 40 s
        // on a quiet machine, longer on a busy one (a CI run once needed more than 60 s). The bound only ends a broken case.
        var limit = TimeSpan.FromSeconds(180);
        var until = DateTime.UtcNow + limit;
        for (long id = 1; DateTime.UtcNow < until; id++)
        {
            mostPending = Math.Max(mostPending, outbox.MostPending);
            // Acknowledges every id up to one a little ahead of any frame sent, again and again: the window never shuts.
            var acks = string.Join('\u001e', Enumerable.Range(0, 24).Select(k => $$"""{"type":1,"target":"Ack","arguments":[2,0,{{id * 2 - k}}]}"""));
            try { await SendAsync(bad, acks); }
            catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException) { closed = true; break; }
            if (bad.State != WebSocketState.Open) { closed = true; break; }
            await Task.Delay(10);
        }

        output.WriteLine($"closed after {(limit - (until - DateTime.UtcNow)).TotalSeconds:F1} s; most pending {mostPending}; good frames {goodFrames - goodAtStart}");
        Assert.True(closed, "the server never closed the viewer that does not read");
        Assert.InRange(mostPending, 1, bound);
        // Meanwhile the good viewer kept drawing newer pictures of its connector.
        Assert.True(Interlocked.Read(ref goodFrames) - goodAtStart >= 30, $"the good viewer got {goodFrames - goodAtStart} frames meanwhile");
        Assert.True(Volatile.Read(ref lastGuestFrame) > guestAtStart);
    }

    private static Task SendAsync(ClientWebSocket socket, string record) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(record + '\u001e'), WebSocketMessageType.Text, true, new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token);
}
