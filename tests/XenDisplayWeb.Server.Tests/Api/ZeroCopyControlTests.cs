using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using XenDisplayWeb.Server.Tests.Pages;

namespace XenDisplayWeb.Server.Tests.Api;

public class ZeroCopyControlTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    [Fact]
    public async Task An_operator_switches_a_guests_zero_copy_off_and_on_and_the_buffers_page_follows()
    {
        var op = factory.Operator();
        await op.WaitForDomainsAsync(d => d.Domain(1).ConnectedWith(2), "guest 1 connected");

        var off = await op.PutAsJsonAsync("/api/domains/1/zero-copy", new { enabled = false });
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        var body = (await off.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal((1, false), ((int)body["domId"]!, (bool)body["enabled"]!));
        await Poll.UntilAsync(async () =>
        {
            var buffers = (await op.GetFromJsonAsync<JsonObject>("/api/domains/1/buffers"))!;
            return !(bool)buffers["zeroCopy"]! && buffers["dbufs"]!.AsArray().Any(d => (string?)d!["scanout"] == "copy");
        }, "a dbuf shown from the backend's copy");

        var on = await op.PutAsJsonAsync("/api/domains/1/zero-copy", new { enabled = true });
        Assert.True((bool)(await on.Content.ReadFromJsonAsync<JsonObject>())!["enabled"]!);
        await Poll.UntilAsync(async () =>
        {
            var buffers = (await op.GetFromJsonAsync<JsonObject>("/api/domains/1/buffers"))!;
            return (bool)buffers["zeroCopy"]! && buffers["dbufs"]!.AsArray().All(d => (string?)d!["scanout"] != "copy" && (int)d!["references"]! >= 1);
        }, "every dbuf shown in place again");
    }

    [Fact]
    public async Task Bad_requests_are_problems_and_viewers_may_not_switch()
    {
        var op = factory.Operator();
        var missing = await op.PutAsJsonAsync("/api/domains/1/zero-copy", new { });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await op.PutAsJsonAsync("/api/domains/99/zero-copy", new { enabled = false })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await factory.Viewer().PutAsJsonAsync("/api/domains/1/zero-copy", new { enabled = false })).StatusCode);
    }
}
