using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace XenDisplayWeb.Server.Tests.Api;

public class StreamControlTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    private static async Task<JsonObject> JsonAsync(HttpResponseMessage response, HttpStatusCode status, string? mediaType = "application/json")
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(body)!.AsObject();
    }

    [Fact]
    public async Task The_operator_sets_a_connectors_mode_and_reads_it_back_with_its_path()
    {
        var op = factory.Operator();
        var put = await JsonAsync(await op.PutAsJsonAsync("/api/domains/1/connectors/1/stream", new { mode = "tiles" }), HttpStatusCode.OK);
        Assert.Equal(("tiles", "tiles", 1, 1), ((string?)put["mode"], (string?)put["path"], (int)put["domId"]!, (int)put["index"]!));

        var get = await JsonAsync(await op.GetAsync("/api/domains/1/connectors/1/stream"), HttpStatusCode.OK);
        Assert.Equal(("tiles", "tiles"), ((string?)get["mode"], (string?)get["path"]));

        var back = await JsonAsync(await op.PutAsJsonAsync("/api/domains/1/connectors/1/stream", new { mode = "AUTO" }), HttpStatusCode.OK);
        Assert.Equal("auto", (string?)back["mode"]);
    }

    [Fact]
    public async Task A_bad_mode_is_a_400_naming_mode_and_an_unknown_connector_a_404()
    {
        var op = factory.Operator();
        var bad = await JsonAsync(await op.PutAsJsonAsync("/api/domains/1/connectors/0/stream", new { mode = "movie" }), HttpStatusCode.BadRequest,
            "application/problem+json");
        Assert.Contains("auto, tiles or video", (string?)bad["errors"]!["mode"]![0]);
        var missing = await JsonAsync(await op.PutAsJsonAsync("/api/domains/1/connectors/0/stream", new { }), HttpStatusCode.BadRequest,
            "application/problem+json");
        Assert.True(missing["errors"]!.AsObject().ContainsKey("mode"));

        var unknown = await JsonAsync(await op.PutAsJsonAsync("/api/domains/1/connectors/7/stream", new { mode = "video" }), HttpStatusCode.NotFound,
            "application/problem+json");
        Assert.Contains("1/7", (string?)unknown["detail"]);
        await JsonAsync(await op.GetAsync("/api/domains/9/connectors/0/stream"), HttpStatusCode.NotFound, "application/problem+json");
    }

    [Fact]
    public async Task A_viewer_may_not_set_the_mode()
    {
        var response = await factory.Viewer().PutAsJsonAsync("/api/domains/1/connectors/0/stream", new { mode = "video" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var get = await JsonAsync(await factory.Operator().GetAsync("/api/domains/1/connectors/0/stream"), HttpStatusCode.OK);
        Assert.Equal("auto", (string?)get["mode"]);
    }
}
