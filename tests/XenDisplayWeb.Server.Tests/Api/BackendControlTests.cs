using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace XenDisplayWeb.Server.Tests.Api;

public class BackendControlTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    [Fact]
    public async Task Kill_makes_healthz_503_a_second_kill_409_and_restart_brings_the_guests_back()
    {
        var op = factory.Operator();
        await op.WaitForDomainsAsync(d => d.Domain(1).ConnectedWith(2) && d.Domain(2).ConnectedWith(1), "both guests connected");

        var kill = await op.PostAsync("/api/backend/kill", null);
        Assert.Equal(HttpStatusCode.OK, kill.StatusCode);
        Assert.False((bool)(await kill.Content.ReadFromJsonAsync<JsonObject>())!["running"]!);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await factory.Anonymous().GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await op.PostAsync("/api/backend/kill", null)).StatusCode);

        var restart = await op.PostAsync("/api/backend/restart", null);
        Assert.Equal(HttpStatusCode.OK, restart.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.Anonymous().GetAsync("/healthz")).StatusCode);
        await op.WaitForDomainsAsync(d => d.Domain(1).ConnectedWith(2) && d.Domain(2).ConnectedWith(1), "both guests reconnected");
    }

    [Fact]
    public async Task A_failed_page_flip_shows_in_the_trace_with_its_negative_status()
    {
        var op = factory.Operator();
        await op.WaitForDomainsAsync(d => d.Domain(2).ConnectedWith(1), "guest 2 connected");
        await using var hub = await factory.ConnectHubAsync(DashboardFactory.ViewerToken);
        await hub.InvokeAsync("Subscribe", "trace");

        var fail = await op.PostAsJsonAsync("/api/faults/fail", new { operation = "PG_FLIP", count = 1, status = -5 });
        Assert.Equal(HttpStatusCode.OK, fail.StatusCode);

        var batch = await hub.NextAsync("Trace", TimeSpan.FromSeconds(20), args => args[0]!.AsArray()
            .Any(e => (string?)e!["operation"] == "PG_FLIP" && (string?)e["kind"] == "Response" && (int)e["status"]! == -5));
        var failed = batch[0]!.AsArray().First(e => (string?)e!["operation"] == "PG_FLIP" && (int)e["status"]! == -5)!;
        Assert.Contains("EIO", (string?)failed["text"]);

        // Linux marks the link down after a refused flip; plug every connector back in.
        foreach (var d in await op.DomainsAsync())
            foreach (var c in d!["connectors"]!.AsArray())
                await op.PutAsJsonAsync($"/api/domains/{(int)d["domId"]!}/connectors/{(int)c!["index"]!}/link", new { up = true });
        Assert.Empty((await op.GetFromJsonAsync<JsonObject>("/api/faults"))!["failNext"]!.AsArray());
    }
}
