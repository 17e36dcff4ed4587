using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static XenDisplayWeb.Server.Tests.ApiPolling;

namespace XenDisplayWeb.Server.Tests.Api;

public class ControlApiTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    private static async Task<JsonObject> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(body)!.AsObject();
    }

    [Fact]
    public async Task A_new_resolution_shows_in_the_domains_once_the_guest_has_reconnected()
    {
        var op = factory.Operator();
        await op.WaitForDomainsAsync(d => d.Domain(1).ConnectedWith(2), "guest 1 connected");

        var response = await op.PutAsJsonAsync("/api/domains/1/connectors/1/resolution", new { width = 800, height = 600 });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal((800, 600), ((int)accepted!["width"]!, (int)accepted["height"]!));
        var domains = await op.WaitForDomainsAsync(d => d.Domain(1).ConnectedWith(2) && (int)Connector(d.Domain(1), 1)["width"]! == 800
            && (long)Connector(d.Domain(1), 1)["framesShown"]! > 0, "connector 1/1 at 800x600 showing frames");
        Assert.Equal(600, (int)Connector(domains.Domain(1), 1)["height"]!);
        Assert.Equal(1920, (int)Connector(domains.Domain(1), 0)["width"]!);
    }

    [Fact]
    public async Task A_connector_added_then_removed_comes_and_goes_in_the_domains()
    {
        var op = factory.Operator();
        await op.WaitForDomainsAsync(d => d.Domain(2).ConnectedWith(1), "guest 2 connected");

        var added = await op.PostAsJsonAsync("/api/domains/2/connectors", new { width = 320, height = 240, workload = "testpattern", framesPerSecond = 30 });

        Assert.Equal(HttpStatusCode.Accepted, added.StatusCode);
        Assert.Equal("/api/domains/2/connectors/1", added.Headers.Location?.OriginalString);
        var domains = await op.WaitForDomainsAsync(d => d.Domain(2).ConnectedWith(2) && (long)Connector(d.Domain(2), 1)["framesShown"]! > 0,
            "guest 2's second connector connected and showing frames");
        var second = Connector(domains.Domain(2), 1);
        Assert.Equal((320, 240, "testpattern", 30.0), ((int)second["width"]!, (int)second["height"]!, (string?)second["workload"], (double)second["framesPerSecond"]!));
        Assert.Equal("guest2-1", (string?)second["uniqueId"]);

        var removed = await op.DeleteAsync("/api/domains/2/connectors/1");

        Assert.Equal(HttpStatusCode.Accepted, removed.StatusCode);
        await op.WaitForDomainsAsync(d => d.Domain(2).ConnectedWith(1), "guest 2 back to one connector");
        var last = await op.DeleteAsync("/api/domains/2/connectors/0");
        Assert.Contains("last", (string?)(await ProblemAsync(last, HttpStatusCode.Conflict))["detail"]);
    }

    [Fact]
    public async Task Link_down_shows_the_connector_disconnected_and_up_connects_it_again()
    {
        var op = factory.Operator();
        await op.WaitForDomainsAsync(d => d.Domain(1).ConnectedWith(2), "guest 1 connected");

        Assert.Equal(HttpStatusCode.OK, (await op.PutAsJsonAsync("/api/domains/1/connectors/0/link", new { up = false })).StatusCode);
        Assert.False((bool)Connector((await op.DomainsAsync()).Domain(1), 0)["connected"]!);

        Assert.Equal(HttpStatusCode.OK, (await op.PutAsJsonAsync("/api/domains/1/connectors/0/link", new { up = true })).StatusCode);
        long shown = (long)Connector((await op.DomainsAsync()).Domain(1), 0)["framesShown"]!;
        await op.WaitForDomainsAsync(d => (bool)Connector(d.Domain(1), 0)["connected"]! && (long)Connector(d.Domain(1), 0)["framesShown"]! > shown,
            "connector 1/0 connected and flipping again");

        var missing = await op.PutAsJsonAsync("/api/domains/1/connectors/0/link", new { });
        Assert.True((await ProblemAsync(missing, HttpStatusCode.BadRequest))["errors"]!.AsObject().ContainsKey("up"));
    }

    [Fact]
    public async Task A_workload_change_shows_in_the_domains()
    {
        var op = factory.Operator();
        var response = await op.PutAsJsonAsync("/api/domains/2/connectors/0/workload", new { workload = "desktop", framesPerSecond = 24 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var c = Connector((await op.DomainsAsync()).Domain(2), 0);
        Assert.Equal(("desktop", 24.0), ((string?)c["workload"], (double)c["framesPerSecond"]!));

        var bad = await op.PutAsJsonAsync("/api/domains/2/connectors/0/workload", new { workload = "screensaver" });
        Assert.Contains("motion", (string?)(await ProblemAsync(bad, HttpStatusCode.BadRequest))["errors"]!["workload"]![0]);
    }

    [Fact]
    public async Task Timeouts_read_back_what_was_put()
    {
        var op = factory.Operator();
        Assert.Equal(HttpStatusCode.OK, (await op.PutAsJsonAsync("/api/timeouts", new { requestMs = 2500, frameDoneMs = 2600 })).StatusCode);
        var t = await op.GetFromJsonAsync<JsonObject>("/api/timeouts");
        Assert.Equal((2500, 2600), ((int)t!["requestMs"]!, (int)t["frameDoneMs"]!));

        var bad = await ProblemAsync(await op.PutAsJsonAsync("/api/timeouts", new { requestMs = 0 }), HttpStatusCode.BadRequest);
        Assert.Contains("1..600000", (string?)bad["errors"]!["requestMs"]![0]);
        Assert.Equal(HttpStatusCode.OK, (await op.PutAsJsonAsync("/api/timeouts", new { requestMs = 3000, frameDoneMs = 3100 })).StatusCode);
    }

    [Fact]
    public async Task Faults_read_back_what_was_put()
    {
        var op = factory.Operator();
        var put = await op.PutAsJsonAsync("/api/faults", new { responseDelayMs = 2, dropResponses = 0, dropFrameDone = 0, paused = false });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var f = await op.GetFromJsonAsync<JsonObject>("/api/faults");
        Assert.Equal((2, 0, 0, false), ((int)f!["responseDelayMs"]!, (int)f["dropResponses"]!, (int)f["dropFrameDone"]!, (bool)f["paused"]!));
        Assert.Equal(HttpStatusCode.OK, (await op.PutAsJsonAsync("/api/faults", new { responseDelayMs = 0 })).StatusCode);
        Assert.Equal(0, (int)(await op.GetFromJsonAsync<JsonObject>("/api/faults"))!["responseDelayMs"]!);

        var bad = await ProblemAsync(await op.PutAsJsonAsync("/api/faults", new { dropFrameDone = -2 }), HttpStatusCode.BadRequest);
        Assert.Contains("-1..100000", (string?)bad["errors"]!["dropFrameDone"]![0]);
        var op2 = await ProblemAsync(await op.PostAsJsonAsync("/api/faults/fail", new { operation = "NOPE", count = 1, status = -5 }), HttpStatusCode.BadRequest);
        Assert.Contains("PG_FLIP", (string?)op2["errors"]!["operation"]![0]);
    }

    [Fact]
    public async Task Out_of_range_and_unknown_targets_are_400_and_404_problem_details()
    {
        var op = factory.Operator();
        var tooWide = await ProblemAsync(await op.PutAsJsonAsync("/api/domains/1/connectors/0/resolution", new { width = 5000, height = 600 }), HttpStatusCode.BadRequest);
        Assert.Contains("1..4095", (string?)tooWide["errors"]!["width"]![0]);
        var noHeight = await ProblemAsync(await op.PostAsJsonAsync("/api/domains/1/connectors", new { width = 640 }), HttpStatusCode.BadRequest);
        Assert.Contains("1..2047", (string?)noHeight["errors"]!["height"]![0]);

        Assert.Contains("9", (string?)(await ProblemAsync(await op.PutAsJsonAsync("/api/domains/9/connectors/0/resolution", new { width = 640, height = 480 }), HttpStatusCode.NotFound))["detail"]);
        Assert.Contains("1/7", (string?)(await ProblemAsync(await op.PutAsJsonAsync("/api/domains/1/connectors/7/link", new { up = true }), HttpStatusCode.NotFound))["detail"]);
        await ProblemAsync(await op.DeleteAsync("/api/domains/1/connectors/7"), HttpStatusCode.NotFound);
        await ProblemAsync(await op.PostAsJsonAsync("/api/domains/9/connectors", new { width = 640, height = 480 }), HttpStatusCode.NotFound);
    }
}
