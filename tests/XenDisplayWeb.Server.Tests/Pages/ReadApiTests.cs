using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace XenDisplayWeb.Server.Tests.Pages;

[Collection(PagesCollection.Name)]
public class ReadApiTests(DashboardFactory factory)
{
    private static async Task<JsonNode> GetJsonAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    [Fact]
    public async Task Viewers_counts_the_hubs_connections_as_they_come_and_go()
    {
        var client = factory.Viewer();
        int before = (int)(await GetJsonAsync(client, "/api/viewers"))["hubConnections"]!;
        var hub = await factory.ConnectHubAsync(DashboardFactory.ViewerToken);
        var with = await Poll.UntilAsync(() => GetJsonAsync(client, "/api/viewers"), v => (int)v["hubConnections"]! == before + 1);
        Assert.Equal(0, (int)with["circuits"]!); // no page is open: only a script's hub connection
        await hub.DisposeAsync();
        await Poll.UntilAsync(() => GetJsonAsync(client, "/api/viewers"), v => (int)v["hubConnections"]! == before);
    }

    [Fact]
    public async Task Buffers_of_guest_1_list_the_1080p_dbuf_with_2025_data_grefs_and_2_directory_pages()
    {
        var client = factory.Viewer();
        var view = await Poll.UntilAsync(() => GetJsonAsync(client, "/api/domains/1/buffers"),
            v => v["dbufs"]!.AsArray().Any(d => (int)d!["width"]! == 1920 && d["framebuffers"]!.AsArray().Count > 0));

        Assert.Equal(1, (int)view["domId"]!);
        Assert.False((bool)view["beAlloc"]!);
        var dbuf = view["dbufs"]!.AsArray().First(d => (int)d!["width"]! == 1920 && d["framebuffers"]!.AsArray().Count > 0)!;
        Assert.Equal(1080, (int)dbuf["height"]!);
        Assert.Equal(32, (int)dbuf["bpp"]!);
        Assert.Equal(2025, dbuf["dataGrefs"]!.AsArray().Count);
        Assert.Equal(2, dbuf["directoryGrefs"]!.AsArray().Count);
        Assert.Equal(2027, (int)dbuf["grantCount"]!);
        Assert.Equal("frontend", (string)dbuf["allocatedBy"]!);
        Assert.Equal(2025, (int)dbuf["mappedPages"]!);
        Assert.StartsWith("0x", (string)dbuf["cookie"]!);
        var fbCookie = (string)dbuf["framebuffers"]![0]!;
        var fb = view["fbs"]!.AsArray().First(f => (string)f!["cookie"]! == fbCookie)!;
        Assert.Equal("XR24", (string)fb["fourcc"]!);
        Assert.Equal(7680, (int)fb["stride"]!);
    }

    [Fact]
    public async Task Buffers_of_the_be_alloc_guest_are_allocated_by_the_backend_and_map_no_guest_page()
    {
        var client = factory.Viewer();
        var view = await Poll.UntilAsync(() => GetJsonAsync(client, "/api/domains/2/buffers"), v => v["dbufs"]!.AsArray().Count > 0);
        Assert.All(view["dbufs"]!.AsArray(), d =>
        {
            Assert.Equal("backend", (string)d!["allocatedBy"]!);
            Assert.Equal(0, (int)d["mappedPages"]!);
        });
    }

    [Fact]
    public async Task Buffers_show_dom0s_grant_pool_with_the_settings_and_the_be_alloc_guests_share()
    {
        var client = factory.Viewer();
        // The pool counts the be-alloc guest's data pages: wait for a moment where the two agree (its driver may be making buffers).
        var view = await Poll.UntilAsync(() => GetJsonAsync(client, "/api/domains/2/buffers"), v =>
            v["dbufs"]!.AsArray().Count > 0
            && (int)v["grantPool"]!["guest"]!["used"]! == v["dbufs"]!.AsArray().Sum(d => d!["dataGrefs"]!.AsArray().Count));
        var pool = view["grantPool"]!;
        Assert.Equal((49152, 8192, 4, 24576), ((int)pool["totalGrants"]!, (int)pool["guaranteedPerGuest"]!, (int)pool["guaranteedGuests"]!, (int)pool["maxPerGuest"]!));
        Assert.Equal(49152, (int)pool["inUse"]! + (int)pool["reserved"]! + (int)pool["lendable"]!);
        var guest = pool["guest"]!;
        Assert.Equal((2, 8192, 0), ((int)guest["domId"]!, (int)guest["guaranteed"]!, (int)guest["borrowed"]!));
        Assert.Contains(pool["guests"]!.AsArray(), g => (int)g!["domId"]! == 2);
    }

    [Fact]
    public async Task Buffers_of_an_unknown_domain_are_a_404_problem()
    {
        var response = await factory.Viewer().GetAsync("/api/domains/77/buffers");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("domain 77", (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.ToString());
    }

    [Fact]
    public async Task Rings_show_every_connector_with_indices_that_have_moved_and_decoded_packets()
    {
        var client = factory.Viewer();
        var rings = (await Poll.UntilAsync(() => GetJsonAsync(client, "/api/rings"),
            r => r["vdispl"]!.AsArray().Count == 3 && r["vdispl"]!.AsArray().All(x => (long)x!["requestsHandled"]! > 2)))["vdispl"]!;

        Assert.Equal(["1/0", "1/1", "2/0"], rings.AsArray().Select(r => $"{r!["domId"]}/{r["index"]}"));
        var ring = rings[0]!;
        Assert.Equal("guest1-hdmi", (string)ring["uniqueId"]!);
        // The two indices are read one after the other while the guest keeps flipping: the responses can pass the
        // requests read a moment before. What holds is that they move together, within the ring's length.
        int apart = unchecked((int)((uint)ring["reqProd"]! - (uint)ring["rspProd"]!));
        Assert.InRange(apart, -Shared.Rings.SharedRing.Size, Shared.Rings.SharedRing.Size);
        Assert.Matches("^(DBUF_CREATE|FB_ATTACH|SET_CONFIG|PG_FLIP|GET_EDID) id=", (string)ring["lastRequest"]!);
        Assert.Contains("status=", (string)ring["lastResponse"]!);
        Assert.Equal(128, ((string)ring["lastRequestHex"]!).Length);
        Assert.NotEqual((int)ring["reqPort"]!, (int)ring["evtPort"]!);
    }

    [Fact]
    public async Task Trace_filters_by_domain_operation_kind_and_sequence()
    {
        var client = factory.Viewer();
        var all = await Poll.UntilAsync(() => GetJsonAsync(client, "/api/trace?domId=2&op=PG_FLIP&kind=Response"), t => t.AsArray().Count >= 3);

        Assert.All(all.AsArray(), e =>
        {
            Assert.Equal(2, (int)e!["domId"]!);
            Assert.Equal("PG_FLIP", (string)e["operation"]!);
            Assert.Equal("Response", (string)e["kind"]!);
        });
        long middle = (long)all[1]!["seq"]!;
        var after = await GetJsonAsync(client, $"/api/trace?after={middle}&domId=2&op=pg_flip&kind=response");
        Assert.All(after.AsArray(), e => Assert.True((long)e!["seq"]! > middle));
        Assert.Contains(after.AsArray(), e => (long)e!["seq"]! == (long)all[2]!["seq"]!);

        var bad = await client.GetAsync("/api/trace?kind=Bogus");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Trace_limit_keeps_the_newest_entries()
    {
        var client = factory.Viewer();
        await Poll.UntilAsync(() => GetJsonAsync(client, "/api/trace"), t => t.AsArray().Count > 10);
        var all = (await GetJsonAsync(client, "/api/trace")).AsArray();
        var three = (await GetJsonAsync(client, "/api/trace?limit=3")).AsArray();
        Assert.Equal(3, three.Count);
        Assert.True((long)three[0]!["seq"]! >= (long)all[^1]!["seq"]! - 2);
    }

    [Fact]
    public async Task Trace_jsonl_is_a_download_of_one_json_entry_a_line()
    {
        var client = factory.Viewer();
        await Poll.UntilAsync(() => GetJsonAsync(client, "/api/trace"), t => t.AsArray().Count > 5);
        var response = await client.GetAsync("/api/trace.jsonl");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length > 5);
        long previous = -1;
        foreach (var line in lines)
        {
            using var doc = JsonDocument.Parse(line);
            long seq = doc.RootElement.GetProperty("seq").GetInt64();
            Assert.True(seq > previous);
            previous = seq;
            Assert.False(string.IsNullOrEmpty(doc.RootElement.GetProperty("operation").GetString()));
            Assert.True(doc.RootElement.TryGetProperty("text", out _));
        }
    }

    [Fact]
    public async Task Xenstore_shows_a_subtree_with_owners()
    {
        var view = await GetJsonAsync(factory.Viewer(), "/api/xenstore?path=/local/domain/1");
        var nodes = view["nodes"]!.AsArray();
        Assert.Equal("/local/domain/1", (string)nodes[0]!["path"]!);
        var name = nodes.First(n => (string)n!["path"]! == "/local/domain/1/name")!;
        Assert.Equal("guest1", (string)name["value"]!);
        Assert.Equal(0, (int)name["owner"]!);
        Assert.All(nodes, n => Assert.StartsWith("/local/domain/1", (string)n!["path"]!));
    }

    [Fact]
    public async Task Xenstore_path_that_does_not_exist_is_a_404_problem()
    {
        var response = await factory.Viewer().GetAsync("/api/xenstore?path=/local/domain/404");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("No such XenStore node", (string)problem["title"]!);
        Assert.Contains("/local/domain/404", (string)problem["detail"]!);
    }

    [Fact]
    public async Task Xenstore_path_xenstore_refuses_is_a_400_problem()
    {
        var response = await factory.Viewer().GetAsync("/api/xenstore?path=relative/path");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
