using Microsoft.Playwright;
using XenDisplayWeb.EndToEnd.Hosting;

namespace XenDisplayWeb.EndToEnd;

/// <summary>The dashboard on a real socket with known tokens, and Debian's Chromium driven by Playwright.</summary>
public sealed class DashboardServer() : KestrelDashboard(Operator, Viewer), IAsyncLifetime
{
    public const string Operator = "operator-token-for-e2e-0123456789";
    public const string Viewer = "viewer-token-for-e2e-0123456789";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Start();
        _playwright = await Playwright.CreateAsync();
        Browser = await DebianChromium.LaunchAsync(_playwright);
    }

    /// <summary>A fresh browser page that has exchanged <paramref name="token"/> for the role cookie.</summary>
    public async Task<IPage> OpenAsync(string path = "/", string token = Operator, int width = 1600, int height = 1000)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            AcceptDownloads = true,
        });
        var page = await context.NewPageAsync();
        string separator = path.Contains('?') ? "&" : "?";
        await page.GotoAsync(Url(path + separator + "token=" + Uri.EscapeDataString(token)));
        return page;
    }

    public new async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        await base.DisposeAsync();
    }
}
