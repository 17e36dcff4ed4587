using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace XenDisplayWeb.Server.Tests.Api;

/// <summary>
/// The server as a page sees it when it navigates away while a control is in flight: a request marked
/// "gone" reaches its endpoint with the connection already aborted.
/// </summary>
public sealed class GoneClientFactory : DashboardFactory
{
    public const string GoneHeader = "X-Test-Client-Gone";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, AbortFilter>());
    }

    private sealed class AbortFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.ContainsKey(GoneHeader)) context.RequestAborted = new CancellationToken(canceled: true);
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

public class AbandonedControlTests(GoneClientFactory factory) : IClassFixture<GoneClientFactory>
{
    private static JsonObject Connector(JsonObject domain, int index) => domain["connectors"]!.AsArray()[index]!.AsObject();

    [Fact]
    public async Task A_connector_added_by_a_page_that_went_away_is_still_added()
    {
        var op = factory.Operator();
        await op.WaitForDomainsAsync(d => d.Domain(2).ConnectedWith(1), "guest 2 connected");

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/domains/2/connectors") { Content = JsonContent.Create(new { width = 320, height = 240 }) };
        request.Headers.Add(GoneClientFactory.GoneHeader, "1");
        await op.SendAsync(request);

        var domains = await op.WaitForDomainsAsync(d => d.Domain(2).ConnectedWith(2), "guest 2 connected with the added connector");
        Assert.Equal(320, (int)Connector(domains.Domain(2), 1)["width"]!);
    }

    [Fact]
    public async Task A_resolution_changed_by_a_page_that_went_away_is_still_changed()
    {
        var op = factory.Operator();
        await op.WaitForDomainsAsync(d => d.Domain(1).ConnectedWith(2), "guest 1 connected");

        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/domains/1/connectors/1/resolution") { Content = JsonContent.Create(new { width = 640, height = 480 }) };
        request.Headers.Add(GoneClientFactory.GoneHeader, "1");
        await op.SendAsync(request);

        await op.WaitForDomainsAsync(d => d.Domain(1).ConnectedWith(2) && (int)Connector(d.Domain(1), 1)["width"]! == 640
            && (int)Connector(d.Domain(1), 1)["height"]! == 480, "connector 1/1 connected at 640x480");
    }
}
