using System.Net;

namespace XenDisplayWeb.Server.Tests.Security;

/// <summary>The hub takes a credential from this dashboard's own pages only: another origin is refused, a client without Origin is not.</summary>
public class HubOriginTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    public static TheoryData<string> ForeignOrigins => new() { "http://127.0.0.1:9", "http://evil.example", "https://localhost", "null" };

    [Theory]
    [MemberData(nameof(ForeignOrigins))]
    public async Task A_websocket_handshake_from_another_origin_is_refused_even_with_a_valid_token(string origin)
    {
        var ws = factory.Server.CreateWebSocketClient();
        ws.ConfigureRequest = r =>
        {
            r.Headers.Authorization = $"Bearer {DashboardFactory.ViewerToken}";
            r.Headers.Origin = origin;
        };

        var e = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => ws.ConnectAsync(new Uri(factory.Server.BaseAddress, "hubs/dashboard"), CancellationToken.None));
        Assert.Contains("403", e.Message);
    }

    [Fact]
    public async Task A_websocket_handshake_from_the_dashboards_own_origin_connects()
    {
        var ws = factory.Server.CreateWebSocketClient();
        ws.ConfigureRequest = r =>
        {
            r.Headers.Authorization = $"Bearer {DashboardFactory.ViewerToken}";
            r.Headers.Origin = factory.Server.BaseAddress.GetLeftPart(UriPartial.Authority);
        };

        using var socket = await ws.ConnectAsync(new Uri(factory.Server.BaseAddress, "hubs/dashboard"), CancellationToken.None);
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, socket.State);
    }

    [Fact]
    public async Task A_client_without_origin_and_with_a_bearer_token_still_connects()
    {
        await using var hub = await factory.ConnectHubAsync(DashboardFactory.ViewerToken);
        Assert.Null(hub.CloseError);
    }

    [Theory]
    [InlineData("/negotiate?negotiateVersion=1")]
    [InlineData("?id=no-such-connection")]
    public async Task Negotiate_and_long_polling_from_another_origin_are_403(string rest)
    {
        var client = factory.Viewer();
        var request = new HttpRequestMessage(rest.StartsWith("/negotiate") ? HttpMethod.Post : HttpMethod.Get, "/hubs/dashboard" + rest);
        request.Headers.Add("Origin", "http://127.0.0.1:9");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Negotiate_from_the_same_origin_and_without_origin_is_ok()
    {
        var client = factory.Viewer();
        var same = new HttpRequestMessage(HttpMethod.Post, "/hubs/dashboard/negotiate?negotiateVersion=1");
        same.Headers.Add("Origin", factory.Server.BaseAddress.GetLeftPart(UriPartial.Authority));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(same)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/hubs/dashboard/negotiate?negotiateVersion=1", null)).StatusCode);
    }
}
