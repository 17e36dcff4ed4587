using System.Net.Http.Json;
using static XenDisplayWeb.Server.Tests.ApiPolling;

namespace XenDisplayWeb.Server.Tests.Events;

public class HubEventsTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    [Fact]
    public async Task Connecting_without_a_token_is_refused_and_with_the_viewers_it_works()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => factory.ConnectHubAsync(null));
        await Assert.ThrowsAnyAsync<Exception>(() => factory.ConnectHubAsync("wrong-token-wrong-token-wrong"));
        await using var hub = await factory.ConnectHubAsync(DashboardFactory.ViewerToken);
        Assert.NotEmpty((await hub.NextAsync("Topology"))[0]!.AsArray());
    }

    [Fact]
    public async Task Trace_subscribers_get_batches_of_entries_in_sequence()
    {
        await using var hub = await factory.ConnectHubAsync(DashboardFactory.ViewerToken);
        await hub.InvokeAsync("Subscribe", "trace");

        var first = (await hub.NextAsync("Trace", TimeSpan.FromSeconds(10)))[0]!.AsArray();
        var second = (await hub.NextAsync("Trace", TimeSpan.FromSeconds(10)))[0]!.AsArray();

        Assert.NotEmpty(first);
        Assert.True(first.Count <= 501);
        var seqs = first.Concat(second).Where(e => (string?)e!["operation"] != "TRACE").Select(e => (long)e!["seq"]!).ToList();
        Assert.Equal(seqs.Order(), seqs);
        Assert.All(first, e => Assert.False(string.IsNullOrEmpty((string?)e!["kind"])));
    }

    [Fact]
    public async Task A_resolution_change_pushes_a_topology_with_the_new_mode_and_buffer_events()
    {
        // Two connections: NextAsync skips other messages, so one waits for Topology, the other for Buffers.
        await using var hub = await factory.ConnectHubAsync(DashboardFactory.ViewerToken);
        await hub.NextAsync("Topology");
        await using var buffers = await factory.ConnectHubAsync(DashboardFactory.ViewerToken);
        await buffers.InvokeAsync("Subscribe", "buffers");
        var op = factory.Operator();
        await op.WaitForDomainsAsync(d => d.Domain(2).ConnectedWith(1), "guest 2 connected");

        var put = await op.PutAsJsonAsync("/api/domains/2/connectors/0/resolution", new { width = 640, height = 360 });
        put.EnsureSuccessStatusCode();

        await hub.NextAsync("Topology", TimeSpan.FromSeconds(20), args => args[0]!.AsArray()
            .Any(d => (int)d!["domId"]! == 2 && (string?)d["state"] == "Connected" && (int)d["connectors"]![0]!["width"]! == 640));
        var created = await buffers.NextAsync("Buffers", TimeSpan.FromSeconds(20), args => (int)args[0]!["domId"]! == 2 && (string?)args[0]!["event"] == "created");
        Assert.StartsWith("0x", (string)created[0]!["cookie"]!);
    }

    [Fact]
    public async Task Input_the_guest_consumed_pushes_a_topology_with_its_last_seq()
    {
        var op = factory.Operator();
        await op.WaitForDomainsAsync(d => (string?)Connector(d.Domain(2), 0)["input"]?["state"] == "Connected", "guest 2's vkbd device connected");
        await using var hub = await factory.ConnectHubAsync(DashboardFactory.ViewerToken);
        await hub.NextAsync("Topology");

        var post = await op.PostAsJsonAsync("/api/domains/2/connectors/0/input", new { events = new[] { new { type = "pos", x = 5, y = 6, z = 1 } } });
        post.EnsureSuccessStatusCode();
        long lastSeq = (long)(await post.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["lastSeq"]!;

        // Nothing else changes: only the consumed seq can make the push, and the page shows it from there.
        await hub.NextAsync("Topology", TimeSpan.FromSeconds(20), args => args[0]!.AsArray()
            .Any(d => (int)d!["domId"]! == 2 && (long)Connector(d.AsObject(), 0)["input"]!["lastSeq"]! >= lastSeq));
    }
}
