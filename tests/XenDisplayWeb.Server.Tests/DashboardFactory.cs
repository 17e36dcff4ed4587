using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using XenDisplayWeb.Server.Tests.Hubs;

namespace XenDisplayWeb.Server.Tests;

/// <summary>The server with the demo guests and known tokens, for API and hub tests.</summary>
public class DashboardFactory : WebApplicationFactory<Program>
{
    public const string OperatorToken = "operator-token-for-tests-0123456789";
    public const string ViewerToken = "viewer-token-for-tests-0123456789";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Security:OperatorToken", OperatorToken);
        builder.UseSetting("Security:ViewerToken", ViewerToken);
    }

    public HttpClient Operator() => WithToken(OperatorToken);
    public HttpClient Viewer() => WithToken(ViewerToken);
    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public HttpClient WithBearer(string token) => WithToken(token);

    private HttpClient WithToken(string token)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A hub connection over a real WebSocket with SignalR's JSON protocol.</summary>
    public Task<HubTestClient> ConnectHubAsync(string? token = OperatorToken, CancellationToken ct = default) =>
        HubTestClient.ConnectAsync(Server, token, ct);

    /// <summary>A SignalR .NET client over a real WebSocket with the MessagePack protocol, as the pages speak it; not started.</summary>
    public HubConnection MessagePackHub(string token = OperatorToken) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(Server.BaseAddress, "hubs/dashboard"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.WebSocketFactory = async (context, ct) =>
                {
                    var ws = Server.CreateWebSocketClient();
                    ws.ConfigureRequest = r => r.Headers.Authorization = $"Bearer {token}";
                    return await ws.ConnectAsync(context.Uri, ct);
                };
            })
            .AddMessagePackProtocol()
            .Build();
}
