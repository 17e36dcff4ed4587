using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.Playwright;
using XenDisplayWeb.EndToEnd.Hosting;

namespace XenDisplayWeb.EndToEnd;

/// <summary>The pages are live over their Blazor circuit: no page fetch to follow the host, and a restarted server is taken up again by the page itself.</summary>
[Collection(nameof(DashboardCollection))]
public class InteractivePagesTests(DashboardServer server)
{
    [Fact]
    public async Task A_connector_added_through_the_API_appears_on_an_open_overview_within_a_second_without_a_document_fetch()
    {
        var page = await server.OpenAsync("/");
        try
        {
            await Expect(page.Locator("canvas[data-connector][data-canvas-id]")).ToHaveCountAsync(3, new() { Timeout = 20_000 });
            var fetched = new List<string>();
            page.Request += (_, r) => { if (r.ResourceType is "document" or "fetch" or "xhr") fetched.Add($"{r.ResourceType} {r.Method} {r.Url}"); };

            using var api = Api(server);
            // The open page runs on a circuit of its own, which the server counts.
            var viewers = await api.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/viewers");
            Assert.True(viewers.GetProperty("circuits").GetInt32() >= 1, $"no circuit counted for the open page: {viewers}");
            var added = await api.PostAsJsonAsync("/api/domains/2/connectors", new { width = 640, height = 480, uniqueId = "e2e-live", workload = "testpattern" });
            Assert.Equal(System.Net.HttpStatusCode.Accepted, added.StatusCode);
            var answered = Stopwatch.StartNew();
            var tile = page.Locator("[data-testid=connector-tile][data-key='2/1']");
            await Expect(tile).ToBeVisibleAsync(new() { Timeout = 1000 });
            answered.Stop();
            await Expect(tile.GetByTestId("mode")).ToHaveTextAsync("640×480");
            // It is live: the new thumbnail is handed to the decoder and draws.
            await Expect(tile.Locator("canvas[data-canvas-id]")).ToHaveCountAsync(1);

            Assert.True(fetched.Count == 0, $"the page fetched {string.Join("; ", fetched)} to show the connector ({answered.ElapsedMilliseconds} ms)");

            var removed = await api.DeleteAsync("/api/domains/2/connectors/1");
            Assert.Equal(System.Net.HttpStatusCode.Accepted, removed.StatusCode);
            await Expect(tile).ToHaveCountAsync(0, new() { Timeout = 5000 });
        }
        finally { await page.Context.CloseAsync(); }
    }

    [Fact]
    public async Task A_killed_and_restarted_server_is_taken_up_again_by_the_page_itself()
    {
        int port = KestrelDashboard.FreePort();
        var first = new KestrelDashboard(DashboardServer.Operator, DashboardServer.Viewer, port: port);
        KestrelDashboard? second = null;
        first.Start();
        var context = await server.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1600, Height = 1000 } });
        try
        {
            var page = await context.NewPageAsync();
            var documents = new List<string>();
            page.Request += (_, r) => { if (r.ResourceType == "document") documents.Add(r.Url); };
            await page.GotoAsync(first.Url("/?token=" + DashboardServer.Operator));
            await Expect(page.Locator("canvas[data-connector][data-canvas-id]")).ToHaveCountAsync(3, new() { Timeout = 20_000 });

            await first.DisposeAsync();
            var banner = page.GetByTestId("reconnect-banner");
            await Expect(banner).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Expect(page.GetByTestId("hub-state")).Not.ToHaveTextAsync("live", new() { Timeout = 30_000 });

            second = new KestrelDashboard(DashboardServer.Operator, DashboardServer.Viewer, port: port);
            second.Start();

            await Expect(banner).ToBeHiddenAsync(new() { Timeout = 60_000 });
            await Expect(page.GetByTestId("hub-state")).ToHaveTextAsync("live", new() { Timeout = 30_000 });
            await Expect(page.Locator("canvas[data-connector][data-canvas-id]")).ToHaveCountAsync(3, new() { Timeout = 20_000 });

            // The page follows the new server live: a connector added there appears.
            using var api = Api(second);
            var added = await api.PostAsJsonAsync("/api/domains/2/connectors", new { width = 640, height = 480 });
            Assert.Equal(System.Net.HttpStatusCode.Accepted, added.StatusCode);
            await Expect(page.Locator("[data-testid=connector-tile][data-key='2/1']")).ToBeVisibleAsync(new() { Timeout = 10_000 });
            // The circuit could not be taken up in place (the server forgot it): the page loaded itself again, once.
            Assert.Equal(2, documents.Count(d => d.StartsWith(first.Url("/"), StringComparison.Ordinal) && !d.Contains("token=", StringComparison.Ordinal)));
        }
        finally
        {
            await context.CloseAsync();
            await first.DisposeAsync();
            if (second is not null) await second.DisposeAsync();
        }
    }

    private static HttpClient Api(KestrelDashboard dashboard)
    {
        var client = new HttpClient { BaseAddress = dashboard.BaseUri };
        client.DefaultRequestHeaders.Authorization = new("Bearer", dashboard.OperatorToken);
        return client;
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
