using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace XenDisplayWeb.EndToEnd;

/// <summary>
/// The dashboard on a real Kestrel socket (a free port on 127.0.0.1) with the demo guests and known
/// tokens, and Debian's Chromium driven by Playwright.
/// </summary>
public sealed class DashboardServer : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string OperatorToken = "operator-token-for-e2e-0123456789";
    public const string ViewerToken = "viewer-token-for-e2e-0123456789";
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public DashboardServer() => UseKestrel(0);

    /// <summary>Where the server listens, e.g. http://127.0.0.1:40123.</summary>
    public Uri BaseUri { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Security:OperatorToken", OperatorToken);
        builder.UseSetting("Security:ViewerToken", ViewerToken);
        builder.UseSetting("urls", "http://127.0.0.1:0");
    }

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: apt-get install -y chromium (bash .ci/run does this)");
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUri = new Uri(addresses.First().Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1"));
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>The absolute URL of a path on the server.</summary>
    public string Url(string path) => new Uri(BaseUri, path).ToString();

    /// <summary>A fresh browser page that has exchanged <paramref name="token"/> for the role cookie.</summary>
    public async Task<IPage> OpenAsync(string path = "/", string token = OperatorToken, int width = 1600, int height = 1000)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            AcceptDownloads = true,
        });
        var page = await context.NewPageAsync();
        string separator = path.Contains('?') ? "&" : "?";
        await page.GotoAsync(new Uri(BaseUri, path + separator + "token=" + Uri.EscapeDataString(token)).ToString());
        return page;
    }

    public new async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        await base.DisposeAsync();
    }
}
