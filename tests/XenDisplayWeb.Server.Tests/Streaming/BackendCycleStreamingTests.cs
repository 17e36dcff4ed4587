using System.Net;
using XenDisplayWeb.Server.Tests.Pages;

namespace XenDisplayWeb.Server.Tests.Streaming;

/// <summary>
/// Viewers across a backend cycle (as a resolution change or a restart makes one): a page may watch and
/// acknowledge while the connector is not served, and its frames come back when it is. Its own server: the
/// test kills the backend.
/// </summary>
public class BackendCycleStreamingTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Watches_and_acks_between_backend_cycles_are_kept_and_frames_resume()
    {
        await using var early = await factory.ConnectHubAsync();
        await early.InvokeAsync("Watch", 1, 1);
        // Two frames in flight, none acknowledged: this viewer's window is shut.
        long first = (long)(await early.NextAsync("Frame", Wait))[0]!["id"]!;
        long second = (long)(await early.NextAsync("Frame", Wait))[0]!["id"]!;

        using var api = factory.Operator();
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync("/api/backend/kill", null)).StatusCode);
        // Not served any more: the snapshot is gone.
        Assert.Equal(HttpStatusCode.NotFound, await Poll.UntilAsync(
            async () => (await api.GetAsync("/api/domains/1/connectors/1/snapshot.png")).StatusCode, s => s == HttpStatusCode.NotFound, Wait));

        // Between the cycles: the early viewer's acknowledgements arrive, and a second page starts watching.
        await early.SendAsync("Ack", 1, 1, first);
        await early.SendAsync("Ack", 1, 1, second);
        await early.InvokeAsync("Subscribe", "stats"); // a connection's messages are taken in order: the acks are in
        await using var late = await factory.ConnectHubAsync();
        var size = await late.InvokeAsync("Watch", 1, 1);
        Assert.Equal((1024, 768), ((int)size!["width"]!, (int)size["height"]!));

        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync("/api/backend/restart", null)).StatusCode);
        var resumed = (await early.NextAsync("Frame", Wait, f => (long)f[0]!["id"]! > second))[0]!;
        Assert.Equal((1, 1), ((int)resumed["domId"]!, (int)resumed["index"]!));
        var full = (await late.NextAsync("Frame", Wait))[0]!;
        Assert.True((bool)full["full"]!);
        Assert.Equal((1024, 768), ((int)full["width"]!, (int)full["height"]!));
    }
}
