using Microsoft.Playwright;

namespace XenDisplayWeb.Benchmarks.Browser;

/// <summary>
/// Checks the instruments on pages of known rate before they are trusted: a canvas changed at every animation
/// frame, then at every other one (60 and 30 frames a second on a 60 Hz display) must count within
/// <see cref="Tolerance"/> of that. The page stamps the measurement strip with its frame number and its own
/// clock (<c>Date.now()</c>) in the guest's encoding, so <see cref="GlassLatency"/> reads it as it reads a guest.
/// </summary>
public static class Calibration
{
    public const double Tolerance = 0.05;
    public const double DisplayHz = 60;

    private const string Page = """
        <body style="margin:0;background:#000"><canvas id=c width=640 height=360 style="display:block"></canvas><script>
        const g = document.getElementById('c').getContext('2d');
        window.every = 1; window.drawn = 0; let ticks = 0;
        function strip(seq, t) {
          const rows = [seq, t, 0]; // no input: row 2 reads 0
          for (let band = 0; band < 3; band++)
            for (let i = 0; i < 32; i++) {
              g.fillStyle = ((rows[band] >>> i) & 1) ? '#fff' : '#000';
              g.fillRect(i * 16, band * 16, 16, 16);
            }
        }
        (function tick() {
          if (++ticks % window.every === 0) {
            window.drawn++;
            g.fillStyle = `hsl(${(window.drawn * 37) % 360} 80% 50%)`;
            g.fillRect(0, 48, 640, 312);
            strip(window.drawn, Date.now());
          }
          requestAnimationFrame(tick);
        })();
        </script></body>
        """;

    public const int Attempts = 3;

    /// <summary>Prints a line for each rate and the instrument's latency floor; false if a rate is off in every attempt.</summary>
    public static async Task<bool> RunAsync(IBrowser browser, double seconds, double latencySeconds)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 720 } });
        try
        {
            var page = await context.NewPageAsync();
            await page.SetContentAsync(Page);
            // A busy machine can keep even this page from drawing at the display's rate: try again before giving up.
            bool trusted = false;
            for (int attempt = 1; attempt <= Attempts && !trusted; attempt++)
                trusted = await CountRatesAsync(browser, page, seconds, attempt);
            await page.EvaluateAsync("() => { window.every = 1; }");
            var cdp = await context.NewCDPSessionAsync(page);
            var latency = await GlassLatency.MeasureAsync(cdp, 0, 0, 1.0, TimeSpan.FromSeconds(latencySeconds));
            Console.WriteLine($"calibration: latency floor (a page stamping its own clock at each animation frame, read as a guest's strip): " +
                $"the reply comes p50 {latency.UpperPercentile(0.50):0} ms, p95 {latency.UpperPercentile(0.95):0} ms after the page drew what it shows; " +
                $"one screenshot every {latency.IntervalMs:0.0} ms ({latency.Frames} frames of {latency.Shots} screenshots, {latency.Unreadable} unreadable)");
            return trusted;
        }
        finally { await context.CloseAsync(); }
    }

    private static async Task<bool> CountRatesAsync(IBrowser browser, IPage page, double seconds, int attempt)
    {
        bool trusted = true;
        foreach (int every in new[] { 1, 2 })
        {
            await page.EvaluateAsync("e => { window.every = e; }", every);
            await Task.Delay(1000);
            var counter = await PresentedFrames.StartAsync(browser);
            await Task.Delay(500);
            int drawn0 = await page.EvaluateAsync<int>("() => window.drawn");
            counter.OpenWindow();
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            counter.CloseWindow();
            int drawn = await page.EvaluateAsync<int>("() => window.drawn") - drawn0;
            var count = await counter.StopAsync();
            double expected = DisplayHz / every;
            bool ok = Math.Abs(count.PerSecond - expected) <= Tolerance * expected;
            trusted &= ok;
            Console.WriteLine($"calibration {attempt}/{Attempts}: canvas changed every {(every == 1 ? "animation frame" : "other animation frame")}: " +
                $"counted {count.PerSecond:0.0} presented fps, expected {expected:0} ±{Tolerance:P0}: {(ok ? "ok" : "OFF")} " +
                $"(the page's own count: {drawn / count.Seconds:0.0} fps; {count.Frames} {PresentedFrames.EventName} in {count.Seconds:0.00} s from {count.Processes} process(es), {count.Traced} in the trace)" +
                (count.OtherNames.Length > 0 ? $"; no such event, frame-like names: {count.OtherNames}" : ""));
        }
        return trusted;
    }
}
