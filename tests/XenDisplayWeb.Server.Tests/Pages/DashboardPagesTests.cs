using System.Net;
using System.Text.RegularExpressions;

namespace XenDisplayWeb.Server.Tests.Pages;

[Collection(PagesCollection.Name)]
public partial class DashboardPagesTests(DashboardFactory factory)
{
    private static async Task<(HttpStatusCode Status, string Html)> GetAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static int Count(string html, string fragment) => Regex.Matches(html, Regex.Escape(fragment)).Count;

    [Fact]
    public async Task Overview_has_a_live_thumbnail_for_every_demo_connector_and_the_viewer_role()
    {
        var (status, html) = await GetAsync(factory.Viewer(), "/");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-role=\"viewer\"", html);
        Assert.Contains("<canvas data-connector=\"1/0\" width=\"1920\" height=\"1080\"", html);
        Assert.Contains("<canvas data-connector=\"1/1\" width=\"1024\" height=\"768\"", html);
        Assert.Contains("<canvas data-connector=\"2/0\" width=\"1280\" height=\"720\"", html);
        Assert.Contains("href=\"/domains/2/connectors/0\"", html);
        Assert.Contains("data-testid=\"link\"", html);
        Assert.Contains("/_framework/blazor.web.js", html);
        Assert.Contains("/_content/XenDisplayWeb.Client/js/dashboard.js", html);
        Assert.DoesNotContain("data-testid=\"nav-controls\"", html);
    }

    [Fact]
    public async Task Connector_page_shows_the_picture_stats_and_charts_and_no_controls_to_a_viewer()
    {
        var (status, html) = await GetAsync(factory.Viewer(), "/domains/1/connectors/1");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<canvas data-connector=\"1/1\" width=\"1024\" height=\"768\"", html);
        Assert.Contains("data-stats-for=\"1/1\"", html);
        Assert.Contains("data-chart=\"latency\" data-for=\"1/1\"", html);
        Assert.Contains("guest1-vga", html);
        Assert.DoesNotContain("class=\"api-form\"", html);
    }

    [Fact]
    public async Task Connector_page_gives_an_operator_input_capture_with_LinuxInputs_key_table_and_a_viewer_none()
    {
        var (_, viewer) = await GetAsync(factory.Viewer(), "/domains/1/connectors/0");
        Assert.DoesNotContain("data-input-for", viewer);
        Assert.DoesNotContain("data-input-map", viewer);

        var (status, html) = await GetAsync(factory.Operator(), "/domains/1/connectors/0");
        Assert.Equal(HttpStatusCode.OK, status);
        var attribute = InputMapAttribute().Match(html);
        Assert.True(attribute.Success, "no data-input-map on the operator's page");
        var map = System.Text.Json.JsonDocument.Parse(System.Net.WebUtility.HtmlDecode(attribute.Groups[1].Value)).RootElement;
        var keys = map.GetProperty("keys");
        Assert.Equal(Shared.Kbdif.LinuxInput.Keys.Count, keys.EnumerateObject().Count());
        Assert.All(Shared.Kbdif.LinuxInput.Keys, k => Assert.Equal(k.Keycode, keys.GetProperty(k.Code).GetInt32()));
        Assert.Equal(Shared.Kbdif.LinuxInput.MouseButtons, map.GetProperty("buttons").EnumerateArray().Select(b => b.GetInt32()));
        Assert.Equal(Shared.Kbdif.InputLimits.MaxEventsPerBatch, map.GetProperty("maxEvents").GetInt32());
        Assert.Equal(new Shared.Kbdif.Backend.KbdOptions().MtNumContacts, map.GetProperty("contacts").GetInt32());
    }

    [GeneratedRegex("data-input-map=\"([^\"]*)\"")]
    private static partial Regex InputMapAttribute();

    [Fact]
    public async Task Connector_page_of_an_unknown_connector_is_a_404_page()
    {
        var (status, html) = await GetAsync(factory.Operator(), "/domains/1/connectors/9");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("There is no connector 1/9.", html);
    }

    [Fact]
    public async Task Buffers_page_lists_guest_1s_dbufs_with_directory_pages_and_data_grefs()
    {
        var client = factory.Viewer();
        var (status, html) = await Poll.UntilAsync(() => GetAsync(client, "/domains/1/buffers"), p => p.Html.Contains("data-count=\"2025\"") && p.Html.Contains(">XR24<"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(Count(html, "data-testid=\"dbuf-row\"") >= 1);
        Assert.Contains("data-testid=\"dir-pages\" data-count=\"2\"", html);
        Assert.Contains("data-testid=\"data-grefs\" data-count=\"2025\"", html);
        Assert.Matches("data-src=\"/api/domains/1/buffers/0x[0-9a-f]+\\.png\"", html);
        Assert.Contains(">XR24<", html);
    }

    [Fact]
    public async Task Buffers_page_shows_dom0s_grant_pool_and_the_be_alloc_guests_share()
    {
        var client = factory.Viewer();
        var (status, html) = await Poll.UntilAsync(() => GetAsync(client, "/domains/2/buffers"), p => p.Html.Contains("data-testid=\"pool-share-row\" data-dom=\"2\""));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Matches("data-testid=\"pool-in-use\">[0-9]+ of 49152<", html);
        Assert.Contains(">8192 guaranteed to each of 4 guests, at most 24576 to one<", html);
        Assert.Matches("data-testid=\"pool-guest\">[1-9][0-9]* \\(8192 guaranteed, 0 borrowed\\)<", html);
    }

    [Fact]
    public async Task Buffers_page_of_an_unknown_domain_is_a_404_page()
    {
        var (status, _) = await GetAsync(factory.Viewer(), "/domains/42/buffers");
        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task Rings_page_shows_each_served_connector()
    {
        var client = factory.Viewer();
        var (status, html) = await Poll.UntilAsync(() => GetAsync(client, "/rings"), p => Count(p.Html, "data-testid=\"ring\"") == 3);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, Count(html, "data-testid=\"ring\""));
        Assert.Contains("data-key=\"2/0\"", html);
        Assert.Contains("data-testid=\"req-prod\"", html);
        Assert.Contains("data-testid=\"in-cons\"", html);
    }

    [Fact]
    public async Task Trace_page_renders_recent_entries_into_the_live_table()
    {
        var client = factory.Viewer();
        var (status, html) = await Poll.UntilAsync(() => GetAsync(client, "/trace"), p => p.Html.Contains("data-testid=\"trace-row\""));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<table class=\"grid trace\" data-testid=\"trace-table\"", html);
        Assert.Contains("data-op=\"PG_FLIP\"", html);
        Assert.Contains("href=\"/api/trace.jsonl\"", html);
    }

    [Fact]
    public async Task Xenstore_page_shows_the_tree_and_a_404_for_a_missing_path()
    {
        var client = factory.Viewer();
        var (status, html) = await GetAsync(client, "/xenstore?path=/local/domain/2");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-path=\"/local/domain/2/name\"", html);
        Assert.Contains("guest2", html);

        var (missing, page) = await GetAsync(client, "/xenstore?path=/local/domain/404");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Contains("/local/domain/404 does not exist.", page);
    }

    [Fact]
    public async Task Controls_page_is_refused_to_a_viewer_without_any_form()
    {
        var (status, html) = await GetAsync(factory.Viewer(), "/controls");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.DoesNotContain("class=\"api-form\"", html);
    }

    [Fact]
    public async Task The_bundle_its_worker_and_the_stylesheets_are_served()
    {
        var client = factory.Viewer();
        foreach (var (path, type) in new[]
                 {
                     ("/_content/XenDisplayWeb.Client/js/dashboard.js", "text/javascript"),
                     ("/_content/XenDisplayWeb.Client/js/decode-worker.js", "text/javascript"),
                     ("/_content/XenDisplayWeb.Client/js/dashboard.css", "text/css"),
                     ("/_content/XenDisplayWeb.Client/css/dashboard.css", "text/css"),
                 })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 500, path);
        }
        Assert.Contains("decode-worker.js", await client.GetStringAsync("/_content/XenDisplayWeb.Client/js/dashboard.js"));
    }
}
