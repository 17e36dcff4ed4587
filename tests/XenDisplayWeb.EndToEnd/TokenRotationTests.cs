using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Playwright;
using XenDisplayWeb.EndToEnd.Hosting;

namespace XenDisplayWeb.EndToEnd;

/// <summary>A page open under a token that is rotated away stops being live and ends on the sign-in answer, once.</summary>
[Collection(nameof(DashboardCollection))]
public class TokenRotationTests(DashboardServer server)
{
    /// <summary>The dashboard with its operator token in a configuration source the test changes and reloads.</summary>
    private sealed class RotatingDashboard() : KestrelDashboard(DashboardServer.Operator, DashboardServer.Viewer)
    {
        private readonly Source _source = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            _source.Provider.Set("Security:OperatorToken", DashboardServer.Operator);
            builder.ConfigureAppConfiguration((_, config) => config.Add(_source));
        }

        public void RotateOperator(string token)
        {
            _source.Provider.Set("Security:OperatorToken", token);
            _source.Provider.Reload();
        }

        private sealed class Source : IConfigurationSource
        {
            public Provider Provider { get; } = new();
            public IConfigurationProvider Build(IConfigurationBuilder builder) => Provider;
        }

        private sealed class Provider : ConfigurationProvider
        {
            public void Reload() => OnReload();
        }
    }

    [Fact]
    public async Task An_open_overview_whose_token_is_rotated_away_stops_and_shows_the_sign_in_page()
    {
        await using var dashboard = new RotatingDashboard();
        dashboard.Start();
        var context = await server.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1600, Height = 1000 } });
        try
        {
            var page = await context.NewPageAsync();
            var documents = new List<string>();
            page.Request += (_, r) => { if (r.ResourceType == "document") documents.Add(r.Url); };
            await page.GotoAsync(dashboard.Url("/?token=" + DashboardServer.Operator));
            await Assertions.Expect(page.Locator("canvas[data-connector][data-canvas-id]")).ToHaveCountAsync(3, new() { Timeout = 20_000 });
            await Assertions.Expect(page.GetByTestId("hub-state")).ToHaveTextAsync("live", new() { Timeout = 20_000 });

            dashboard.RotateOperator("operator-token-rotated-for-e2e-0123456789");

            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("A token is needed", new() { Timeout = 10_000 });
            await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Open the dashboard with the URL the server printed");
            // The sign-in answer runs nothing: the page cannot load itself again in a loop.
            await Assertions.Expect(page.Locator("script")).ToHaveCountAsync(0);
            Assert.Equal(2, documents.Count(d => d == dashboard.Url("/")));
        }
        finally
        {
            await context.CloseAsync();
        }
    }
}
