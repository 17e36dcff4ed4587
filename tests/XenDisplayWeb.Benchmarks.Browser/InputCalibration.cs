using System.Text.Json;
using Microsoft.Playwright;

namespace XenDisplayWeb.Benchmarks.Browser;

/// <summary>
/// Checks <see cref="InputLatency"/> on a page of known delay before it is trusted: the page answers each mouse move's
/// seq at once, as the connector page does once the hub answers, and puts the seq on its own strip's row 2 (drawn at
/// every animation frame, with its frame number and clock as <see cref="Calibration"/>'s page) either at once or
/// <see cref="EchoMs"/> later, the two alternating. It notes with its own clock when each move arrived and when its seq
/// went on the strip. The method must never read a seq on the glass before the page put it on the strip, and the
/// delayed moves' median must exceed the immediate ones' by the delay the page noted, within half a screenshot interval.
/// </summary>
public static class InputCalibration
{
    public const int EchoMs = 80;
    public const int Samples = 40;
    public const int Attempts = 3;
    private const double MinToleranceMs = 5;

    private static string Page => $$"""
        <body style="margin:0;background:#000"><div data-input-target style="width:100vw;height:100vh"><canvas id=c width=640 height=360 style="display:block"></canvas></div><script>
        {{InputLatency.TimingScript}}
        const g = document.getElementById('c').getContext('2d');
        const view = document.querySelector('[data-input-target]');
        window.echo = {}; let seq = 0, shown = 0, drawn = 0;
        view.addEventListener('pointermove', () => {
          const s = ++seq, arrived = Date.now(), delay = s % 2 === 0 ? {{EchoMs}} : 0;
          view.dataset.lastInputSeq = String(s);
          const show = () => { shown = s; window.echo[s] = { arrived, shownAt: Date.now(), delayed: delay > 0 }; };
          if (delay > 0) setTimeout(show, delay); else show();
        });
        (function tick() {
          drawn++;
          g.fillStyle = `hsl(${(drawn * 37) % 360} 80% 50%)`;
          g.fillRect(0, 48, 640, 312);
          const rows = [drawn, Date.now(), shown];
          for (let band = 0; band < 3; band++)
            for (let i = 0; i < 32; i++) {
              g.fillStyle = ((rows[band] >>> i) & 1) ? '#fff' : '#000';
              g.fillRect(i * 16, band * 16, 16, 16);
            }
          requestAnimationFrame(tick);
        })();
        </script></body>
        """;

    /// <summary>Prints a line for each attempt; true once an attempt reads the known delay.</summary>
    public static async Task<bool> RunAsync(IBrowser browser)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 720 } });
        try
        {
            var page = await context.NewPageAsync();
            await page.SetContentAsync(Page);
            var cdp = await context.NewCDPSessionAsync(page);
            var points = new List<(float, float)> { (700, 400), (900, 500), (800, 600), (1000, 450) };
            for (int attempt = 1; attempt <= Attempts; attempt++)
                if (await AttemptAsync(page, cdp, points, attempt)) return true;
            return false;
        }
        finally { await context.CloseAsync(); }
    }

    private static async Task<bool> AttemptAsync(IPage page, ICDPSession cdp, List<(float, float)> points, int attempt)
    {
        var result = await InputLatency.MeasureAsync(page, cdp, 0, 0, 1.0, points, Samples, new Random(attempt));
        var echo = await page.EvaluateAsync<JsonElement>("() => window.echo");
        var samples = result.Samples.Select(s => (Sample: s, Echo: echo.TryGetProperty(s.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture), out var e) ? e : (JsonElement?)null))
            .Where(x => x.Echo is not null).Select(x => (x.Sample, Echo: x.Echo!.Value)).ToList();
        // Seen on the glass before the page put it on the strip (or before the page had put it there at all): the method reads too early.
        int early = result.Samples.Count - samples.Count + samples.Count(x => x.Sample.AtMost < x.Echo.GetProperty("shownAt").GetInt64() - x.Sample.T0);
        double Noted(bool delayed) => InputLatencyResult.Median(samples.Where(x => x.Echo.GetProperty("delayed").GetBoolean() == delayed)
            .Select(x => (double)(x.Echo.GetProperty("shownAt").GetInt64() - x.Echo.GetProperty("arrived").GetInt64())));
        double Read(bool delayed) => InputLatencyResult.Median(samples.Where(x => x.Echo.GetProperty("delayed").GetBoolean() == delayed).Select(x => x.Sample.Estimate));
        double noted = Noted(true) - Noted(false), read = Read(true) - Read(false);
        var glass = result.Glass;
        double tolerance = Math.Max(MinToleranceMs, glass.IntervalMs / 2);
        bool ok = early == 0 && result.Missed == 0 && Math.Abs(read - noted) <= tolerance;
        Console.WriteLine($"calibration input {attempt}/{Attempts}: a page echoing mouse moves to its strip's row 2 at once or {EchoMs} ms later (alternating): " +
            $"read {read:0.0} ms more for the delayed ones, the page noted {noted:0.0} ms more, ±{tolerance:0.0}: {(ok ? "ok" : "OFF")}; " +
            $"input to glass there p50 {Read(false):0} ms at once, {Read(true):0} ms delayed; {early} read before the page drew them, {result.Missed} missed; " +
            $"{result.Samples.Count} samples, a screenshot every {glass.IntervalMs:0.0} ms, {glass.Unreadable} unreadable");
        return ok;
    }
}
