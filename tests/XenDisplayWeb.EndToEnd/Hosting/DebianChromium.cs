using Microsoft.Playwright;

namespace XenDisplayWeb.EndToEnd.Hosting;

/// <summary>Debian's Chromium (package chromium), headless, as Playwright drives it here.</summary>
public static class DebianChromium
{
    public const string Path = "/usr/bin/chromium";

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        if (!File.Exists(Path))
            throw new InvalidOperationException($"{Path} is missing: apt-get install -y chromium (bash .ci/run does this)");
        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Path,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }
}
