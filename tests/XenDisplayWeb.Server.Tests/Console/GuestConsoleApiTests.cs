using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Host;
using XenDisplayWeb.Shared.Xen;
using XenDisplayWeb.Server.Tests.Pages;

namespace XenDisplayWeb.Server.Tests.Console;

public class GuestConsoleApiTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    private SimulatedSystem System => factory.Services.GetRequiredService<SimulatedHostService>().System!;

    private async Task<int> CreateGuestAsync(HttpClient api, bool beAlloc = false, string workload = "testpattern")
    {
        var rsp = await api.PostAsJsonAsync("/api/domains", new
        {
            name = "console-guest",
            beAlloc,
            connectors = new[] { new { width = 64, height = 48 } },
            workloads = new[] { workload },
        });
        Assert.Equal(HttpStatusCode.Created, rsp.StatusCode);
        int domId = (await rsp.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("domId").GetInt32();
        // Its compositor has made its two buffers and flips.
        await WaitAsync(async () => (await BackendAsync(api, domId)).GetProperty("framebuffers").GetArrayLength() == 2, "the guest's compositor to start");
        return domId;
    }

    [Theory]
    [InlineData("POST", "/api/domains/1/grants")]
    [InlineData("PUT", "/api/domains/1/grants/8")]
    [InlineData("DELETE", "/api/domains/1/grants/8")]
    [InlineData("POST", "/api/domains/1/connectors/0/requests")]
    [InlineData("POST", "/api/domains/1/connectors/0/ring")]
    [InlineData("GET", "/api/domains/1/backend")]
    [InlineData("POST", "/api/domains")]
    [InlineData("DELETE", "/api/domains/1")]
    public async Task The_console_is_for_operators_only(string method, string path)
    {
        HttpRequestMessage Request() => new(new HttpMethod(method), path) { Content = method is "GET" or "DELETE" ? null : JsonContent.Create(new { }) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.Anonymous().SendAsync(Request())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await factory.Viewer().SendAsync(Request())).StatusCode);
        Assert.NotNull(System.Guest(1)); // nothing happened to the guest
    }

    private static async Task<JsonElement> BackendAsync(HttpClient api, int domId)
    {
        var rsp = await api.GetAsync($"/api/domains/{domId}/backend");
        Assert.Equal(HttpStatusCode.OK, rsp.StatusCode);
        return await rsp.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static Task WaitAsync(Func<Task<bool>> condition, string what, int timeoutMs = 15000) =>
        Poll.UntilAsync(condition, what, TimeSpan.FromMilliseconds(timeoutMs));

    private static async Task<uint> GrantAsync(HttpClient api, int domId, byte[] data, bool readOnly = false)
    {
        var rsp = await api.PostAsJsonAsync($"/api/domains/{domId}/grants", new { data = Convert.ToBase64String(data), readOnly });
        Assert.Equal(HttpStatusCode.Created, rsp.StatusCode);
        return (await rsp.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("gref").GetUInt32();
    }

    private static async Task<JsonElement> InjectAsync(HttpClient api, int domId, byte[] packet, HttpStatusCode expect = HttpStatusCode.OK)
    {
        var rsp = await api.PostAsJsonAsync($"/api/domains/{domId}/connectors/0/requests", new { packet = Convert.ToBase64String(packet) });
        Assert.Equal(expect, rsp.StatusCode);
        return await rsp.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static byte[] Directory(params uint[] grefs)
    {
        var page = new byte[4096];
        PageDirectory.Write(page, 0, grefs);
        return page;
    }

    private static async Task AssertProblemAsync(HttpResponseMessage rsp, HttpStatusCode status, string? field = null)
    {
        Assert.Equal(status, rsp.StatusCode);
        Assert.Equal("application/problem+json", rsp.Content.Headers.ContentType?.MediaType);
        var body = await rsp.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        if (field is not null) Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), $"errors name the field {field}");
    }

    [Fact]
    public async Task Post_grants_puts_a_zero_padded_page_in_the_guests_grant_table_granted_to_the_backend()
    {
        var api = factory.Operator();
        var rsp = await api.PostAsJsonAsync("/api/domains/1/grants", new { data = Convert.ToBase64String([1, 2, 3]), readOnly = true });
        Assert.Equal(HttpStatusCode.Created, rsp.StatusCode);
        uint gref = (await rsp.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("gref").GetUInt32();

        var dom = System.Host.GetDomain(1)!;
        var grant = Assert.Single(dom.Grants.Snapshot(), g => g.Gref == gref);
        Assert.Equal(DomId.Dom0, grant.GranteeDomId);
        Assert.True(grant.ReadOnly);
        var page = dom.Grants.PageOf(gref)!.Span;
        Assert.Equal([1, 2, 3, 0, 0], page[..5].ToArray());
        Assert.True(page[3..].IndexOfAnyExcept((byte)0) < 0);

        await AssertProblemAsync(await api.PostAsJsonAsync("/api/domains/1/grants", new { data = "not base64!" }), HttpStatusCode.BadRequest, "data");
        await AssertProblemAsync(await api.PostAsJsonAsync("/api/domains/1/grants", new { data = Convert.ToBase64String(new byte[4097]) }), HttpStatusCode.BadRequest, "data");
        await AssertProblemAsync(await api.PostAsJsonAsync("/api/domains/999/grants", new { data = "" }), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/domains/1/grants/{gref}")).StatusCode);
    }

    [Fact]
    public async Task Put_grant_rewrites_the_page_as_the_guest_may_at_any_time()
    {
        var api = factory.Operator();
        uint gref = await GrantAsync(api, 1, [9, 9, 9, 9]);
        var put = await api.PutAsJsonAsync($"/api/domains/1/grants/{gref}", new { data = Convert.ToBase64String([7, 7]) });
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        Assert.Equal([7, 7, 0, 0], System.Host.GetDomain(1)!.Grants.PageOf(gref)!.Span[..4].ToArray());

        await AssertProblemAsync(await api.PutAsJsonAsync("/api/domains/1/grants/4000000", new { data = "" }), HttpStatusCode.NotFound);
        await AssertProblemAsync(await api.PutAsJsonAsync($"/api/domains/1/grants/{gref}", new { data = "%%" }), HttpStatusCode.BadRequest, "data");
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/domains/1/grants/{gref}")).StatusCode);
        await AssertProblemAsync(await api.DeleteAsync($"/api/domains/1/grants/{gref}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_injected_DBUF_CREATE_over_console_grants_is_answered_0_and_the_backend_maps_its_page_until_DBUF_DESTROY()
    {
        var api = factory.Operator();
        int domId = await CreateGuestAsync(api);
        var before = await BackendAsync(api, domId);
        int mappedBefore = before.GetProperty("mappedGrants").GetInt32();

        uint data = await GrantAsync(api, domId, new byte[16]);
        uint dir = await GrantAsync(api, domId, Directory(data));
        const ulong cookie = 0xC0FFEE;
        var answer = await InjectAsync(api, domId, new DbufCreateRequest(cookie, 32, 32, 32, 4096, 0, dir, 0).ToPacket(0x4242));
        Assert.Equal(0, answer.GetProperty("status").GetInt32());
        var response = Convert.FromBase64String(answer.GetProperty("response").GetString()!);
        Assert.Equal(64, response.Length);
        Assert.Equal(new DisplifResponse(0x4242, (byte)XendisplOp.DbufCreate, 0), DisplifResponse.Read(response));
        Assert.True(answer.GetProperty("elapsedMs").GetDouble() >= 0);

        var after = await BackendAsync(api, domId);
        var dbuf = Assert.Single(after.GetProperty("dbufs").EnumerateArray(), d => d.GetProperty("cookie").GetUInt64() == cookie);
        Assert.Equal(1, dbuf.GetProperty("pages").GetInt32());
        Assert.Equal(mappedBefore + 1, after.GetProperty("mappedGrants").GetInt32());
        Assert.Equal("Connected", after.GetProperty("state").GetString());
        Assert.False(after.GetProperty("misbehaving").GetBoolean());

        // A second DBUF_CREATE with the same cookie: -EEXIST, and nothing more is mapped.
        var again = await InjectAsync(api, domId, new DbufCreateRequest(cookie, 32, 32, 32, 4096, 0, dir, 0).ToPacket(1));
        Assert.Equal(-XenErrno.EEXIST, again.GetProperty("status").GetInt32());
        Assert.Equal(0, (await InjectAsync(api, domId, new DbufDestroyRequest(cookie).ToPacket(2))).GetProperty("status").GetInt32());
        Assert.Equal(mappedBefore, (await BackendAsync(api, domId)).GetProperty("mappedGrants").GetInt32());
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/domains/{domId}")).StatusCode);
    }

    [Fact]
    public async Task Delete_grant_is_409_while_the_backend_maps_it()
    {
        var api = factory.Operator();
        int domId = await CreateGuestAsync(api);
        uint data = await GrantAsync(api, domId, new byte[1]);
        uint dir = await GrantAsync(api, domId, Directory(data));
        Assert.Equal(0, (await InjectAsync(api, domId, new DbufCreateRequest(0x51, 0, 0, 0, 100, 0, dir, 0).ToPacket(1))).GetProperty("status").GetInt32());

        await AssertProblemAsync(await api.DeleteAsync($"/api/domains/{domId}/grants/{data}"), HttpStatusCode.Conflict);
        // The directory page was copied out and unmapped: the guest may end it at once.
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/domains/{domId}/grants/{dir}")).StatusCode);

        Assert.Equal(0, (await InjectAsync(api, domId, new DbufDestroyRequest(0x51).ToPacket(2))).GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/domains/{domId}/grants/{data}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/domains/{domId}")).StatusCode);
    }

    [Fact]
    public async Task Injected_packets_are_checked_for_size_connector_and_domain()
    {
        var api = factory.Operator();
        async Task<HttpResponseMessage> Post(string url, object body) => await api.PostAsJsonAsync(url, body);
        await AssertProblemAsync(await Post("/api/domains/1/connectors/0/requests", new { packet = Convert.ToBase64String(new byte[63]) }), HttpStatusCode.BadRequest, "packet");
        await AssertProblemAsync(await Post("/api/domains/1/connectors/0/requests", new { packet = "@@@" }), HttpStatusCode.BadRequest, "packet");
        await AssertProblemAsync(await Post("/api/domains/1/connectors/3/requests", new { packet = Convert.ToBase64String(new byte[64]) }), HttpStatusCode.NotFound);
        await AssertProblemAsync(await Post("/api/domains/77/connectors/0/requests", new { packet = Convert.ToBase64String(new byte[64]) }), HttpStatusCode.NotFound);
        await AssertProblemAsync(await Post("/api/domains/77/connectors/0/ring", new { reqProd = 1 }), HttpStatusCode.NotFound);
        await AssertProblemAsync(await api.GetAsync("/api/domains/77/backend"), HttpStatusCode.NotFound);

        // An unknown opcode is answered, not dropped: -EINVAL.
        var packet = new byte[64];
        packet[2] = 0x7f;
        Assert.Equal(-XenErrno.EINVAL, (await InjectAsync(api, 1, packet)).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_request_without_a_response_within_the_request_timeout_is_504()
    {
        var api = factory.Operator();
        int domId = await CreateGuestAsync(api);
        var system = System;
        var timeout = system.Timeouts.Request;
        system.Timeouts.Request = TimeSpan.FromMilliseconds(300);
        system.Backend.Faults.Paused = true;
        try
        {
            var rsp = await api.PostAsJsonAsync($"/api/domains/{domId}/connectors/0/requests",
                new { packet = Convert.ToBase64String(new SetConfigRequest(0, 0, 0, 0, 0, 0).ToPacket(9)) });
            await AssertProblemAsync(rsp, HttpStatusCode.GatewayTimeout);
        }
        finally
        {
            system.Backend.Faults.Paused = false;
            system.Timeouts.Request = timeout;
        }
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/domains/{domId}")).StatusCode);
    }

    [Fact]
    public async Task A_req_prod_beyond_the_ring_marks_that_guest_misbehaving_while_another_keeps_flipping()
    {
        var api = factory.Operator();
        int hostile = await CreateGuestAsync(api);
        int good = await CreateGuestAsync(api);

        var write = await api.PostAsJsonAsync($"/api/domains/{hostile}/connectors/0/ring", new { reqProd = 1_000_000u });
        Assert.Equal(HttpStatusCode.NoContent, write.StatusCode);
        await WaitAsync(async () => (await BackendAsync(api, hostile)).GetProperty("misbehaving").GetBoolean(), "the backend to see the bad req_prod");
        await WaitAsync(async () => (await BackendAsync(api, hostile)).GetProperty("state").GetString() == "Closed", "Closed");
        var view = await BackendAsync(api, hostile);
        Assert.Contains("req_prod 100000", view.GetProperty("reason").GetString()); // the guest's driver may have pushed one more after it
        Assert.Equal(0, view.GetProperty("mappedGrants").GetInt32());

        long Shown() => System.Backend.Device(good)!.Connectors[0].FramesShown;
        long shown = Shown();
        await WaitAsync(() => Task.FromResult(Shown() > shown + 5), "the good guest to keep flipping");
        Assert.False((await BackendAsync(api, good)).GetProperty("misbehaving").GetBoolean());

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/domains/{hostile}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/domains/{good}")).StatusCode);
    }

    [Fact]
    public async Task An_event_page_in_cons_out_of_range_marks_the_guest_misbehaving()
    {
        var api = factory.Operator();
        int domId = await CreateGuestAsync(api);
        var write = await api.PostAsJsonAsync($"/api/domains/{domId}/connectors/0/ring", new { inCons = 0x8000_0000u });
        Assert.Equal(HttpStatusCode.NoContent, write.StatusCode);
        await WaitAsync(async () => (await BackendAsync(api, domId)).GetProperty("state").GetString() == "Closed", "Closed");
        var view = await BackendAsync(api, domId);
        Assert.True(view.GetProperty("misbehaving").GetBoolean());
        Assert.Contains("in_cons", view.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/domains/{domId}")).StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Destroying_a_guest_with_buffers_on_screen_leaves_the_backend_no_mapping_of_it(bool beAlloc)
    {
        var api = factory.Operator();
        int domId = await CreateGuestAsync(api, beAlloc, "motion");
        var live = await BackendAsync(api, domId);
        Assert.True(live.GetProperty("mappedGrants").GetInt32() >= 2); // its rings at least
        Assert.Equal(beAlloc, live.GetProperty("dbufs")[0].GetProperty("backendAllocated").GetBoolean());

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/domains/{domId}")).StatusCode);
        // The backend lets go of the pages first, then says Closed: wait for both.
        await WaitAsync(async () => (await BackendAsync(api, domId)) is var b && b.GetProperty("mappedGrants").GetInt32() == 0 && b.GetProperty("state").GetString() == "Closed",
            "the backend to drop the guest's pages and close");
        var gone = await BackendAsync(api, domId);
        Assert.Equal(0, gone.GetProperty("dbufs").GetArrayLength());
        // Nothing the backend allocated for it stays granted.
        await WaitAsync(() => Task.FromResult(!System.Host.Dom0.Grants.Snapshot().Any(g => g.GranteeDomId == domId)), "the backend's pages for it to be freed");
        Assert.DoesNotContain(System.Guests, g => g.DomId == domId);
        await AssertProblemAsync(await api.DeleteAsync($"/api/domains/{domId}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Post_domains_checks_its_body()
    {
        var api = factory.Operator();
        await AssertProblemAsync(await api.PostAsJsonAsync("/api/domains", new { name = "x", connectors = Array.Empty<object>() }), HttpStatusCode.BadRequest, "connectors");
        await AssertProblemAsync(await api.PostAsJsonAsync("/api/domains", new { name = "", connectors = new[] { new { width = 64, height = 64 } } }), HttpStatusCode.BadRequest, "name");
        await AssertProblemAsync(await api.PostAsJsonAsync("/api/domains", new { name = "x", connectors = new[] { new { width = 64, height = 64 } }, workloads = new[] { "nope" } }), HttpStatusCode.BadRequest, "workloads[0]");
    }

    [Fact]
    public async Task The_backend_view_shows_the_guests_limits_and_use()
    {
        var api = factory.Operator();
        var view = await BackendAsync(api, 1);
        var limits = view.GetProperty("limits");
        Assert.Equal(System.BackendOptions.Limits.MaxDbufs, limits.GetProperty("maxDbufs").GetInt32());
        Assert.Equal(view.GetProperty("dbufs").GetArrayLength(), limits.GetProperty("dbufs").GetInt32());
        Assert.True(limits.GetProperty("mappedBytes").GetInt64() > 0);
    }
}
