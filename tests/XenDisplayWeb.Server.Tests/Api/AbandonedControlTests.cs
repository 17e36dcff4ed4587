using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using static XenDisplayWeb.Server.Tests.ApiPolling;

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
    /// <summary>Sends a control as a page that navigated away before the answer.</summary>
    private static async Task SendFromAGonePageAsync(HttpClient client, HttpMethod method, string path, object body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Add(GoneClientFactory.GoneHeader, "1");
        await client.SendAsync(request);
    }

    [Fact]
    public async Task A_connector_added_by_a_page_that_went_away_is_still_added()
    {
        var op = factory.Operator();
        await op.WaitForDomainsAsync(d => d.Domain(2).ConnectedWith(1), "guest 2 connected");

        await SendFromAGonePageAsync(op, HttpMethod.Post, "/api/domains/2/connectors", new { width = 320, height = 240 });

        var domains = await op.WaitForDomainsAsync(d => d.Domain(2).ConnectedWith(2), "guest 2 connected with the added connector");
        Assert.Equal(320, (int)Connector(domains.Domain(2), 1)["width"]!);
    }

    [Fact]
    public async Task A_resolution_changed_by_a_page_that_went_away_is_still_changed()
    {
        var op = factory.Operator();
        await op.WaitForDomainsAsync(d => d.Domain(1).ConnectedWith(2), "guest 1 connected");

        await SendFromAGonePageAsync(op, HttpMethod.Put, "/api/domains/1/connectors/1/resolution", new { width = 640, height = 480 });

        await op.WaitForDomainsAsync(d => d.Domain(1).ConnectedWith(2) && (int)Connector(d.Domain(1), 1)["width"]! == 640
            && (int)Connector(d.Domain(1), 1)["height"]! == 480, "connector 1/1 connected at 640x480");
    }
}
