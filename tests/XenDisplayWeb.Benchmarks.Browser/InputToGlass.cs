using Microsoft.Playwright;
using XenDisplayWeb.EndToEnd;

namespace XenDisplayWeb.Benchmarks.Browser;

/// <summary>
/// Input to glass on the 1080p desktop (demo connector 1/0): its connector page fullscreen at 1:1, an operator's, input
/// grabbed; first, on the same page, the ceilings that bound the figure (the guest's frame interval, the frames
/// Chromium presents from its own trace, flip to glass), then the mouse moves of <see cref="InputLatency"/>.
/// </summary>
public static class InputToGlass
{
    public const int DomId = 1, Index = 0;

    /// <summary>Issue 12's targets on the 1080p desktop.</summary>
    public const int TargetP50Ms = 50, TargetP95Ms = 90;
    private const int Seed = 12;
    private static readonly TimeSpan CeilingWindow = TimeSpan.FromSeconds(5);

    public static async Task MeasureAsync(IBrowser browser, ServerProcess server, BenchmarkOptions options, string command)
    {
        var connector = await server.ConnectorAsync(DomId, Index);
        int width = connector.GetProperty("width").GetInt32(), height = connector.GetProperty("height").GetInt32();
        Console.WriteLine($"# input to glass: connector {DomId}/{Index} ({connector.GetProperty("workload").GetString()} {width}x{height}), operator, input grabbed, page fullscreen in a " +
            $"{options.Viewport.Width}x{options.Viewport.Height} window; load average {LoadAverage()} on {Environment.ProcessorCount} cores");
        await Poll.UntilAsync(async () => (await server.ConnectorAsync(DomId, Index)).TryGetProperty("input", out var input) && input.ValueKind != System.Text.Json.JsonValueKind.Null
            && input.GetProperty("state").GetString() == "Connected", $"connector {DomId}/{Index}'s vkbd device never connected", 60_000);

        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = options.Viewport.Width, Height = options.Viewport.Height } });
        try
        {
            var page = await context.NewPageAsync();
            await page.AddInitScriptAsync(InputLatency.TimingScript);
            await page.GotoAsync(server.PageUrl($"/domains/{DomId}/connectors/{Index}"));
            var picture = page.Locator("[data-view-for] [data-connector][data-canvas-id]").First;
            await picture.WaitForAsync();
            await page.Locator("button.fullscreen").First.ClickAsync();
            await page.WaitForFunctionAsync("() => document.fullscreenElement !== null");
            // The grab button is outside the fullscreen view: clicked from the page, it grabs without taking the focus.
            await page.GetByTestId("input-grab").EvaluateAsync("b => b.click()");
            string state = "";
            try { await Poll.UntilAsync(async () => (state = await InputStateAsync(page)).StartsWith("grabbed ", StringComparison.Ordinal), "the input was not grabbed", 10_000); }
            catch (TimeoutException e) { throw new InvalidOperationException($"{e.Message}: {state}", e); }
            await Task.Delay(3000); // the stream settles (first full frame, JIT)

            var box = await picture.BoundingBoxAsync() ?? throw new InvalidOperationException("the picture is not on screen");
            double fit = box.Width / width;
            var ceilings = await CeilingsAsync(browser, server, page, context, box, fit, options);

            // Points over the desktop, clear of the strip and the stats overlay; one after the other, each a move.
            var random = new Random(Seed);
            var points = Enumerable.Range(0, 16).Select(_ => ((float)(box.X + random.Next(width / 3, width - 64) * fit), (float)(box.Y + random.Next(height / 4, height - 64) * fit))).ToList();
            var cdp = await context.NewCDPSessionAsync(page);
            var result = await InputLatency.MeasureAsync(page, cdp, box.X, box.Y, fit, points, options.InputSamples, random);
            await cdp.DetachAsync();
            state = await InputStateAsync(page);
            var glass = result.Glass;
            Console.WriteLine($"input_to_glass_ms p50={glass.Percentile(0.50):0} p95={glass.Percentile(0.95):0} n={glass.Frames} " +
                $"(bounds p50 {glass.Range(0.50)}, p95 {glass.Range(0.95)} ms; {result.Missed} missed; a strip screenshot every {glass.IntervalMs:0.0} ms, {glass.Unreadable} unreadable; " +
                $"input still {state} at the end; samples {InputLatency.SpacingMinMs}-{InputLatency.SpacingMaxMs} ms apart, seed {Seed}) target p50<={TargetP50Ms} p95<={TargetP95Ms} " +
                $"[{command}]");
            Console.WriteLine($"input_to_glass legs (medians): {result.Legs()}");
            Console.WriteLine($"input_to_glass ceilings (same run, same page, just before the samples): {ceilings}");
        }
        finally { await context.CloseAsync(); }
    }

    /// <summary>The guest's flips and Chromium's presented frames over a window with nothing else asking the browser, then flip to glass.</summary>
    private static async Task<string> CeilingsAsync(IBrowser browser, ServerProcess server, IPage page, IBrowserContext context,
        LocatorBoundingBoxResult box, double fit, BenchmarkOptions options)
    {
        var counter = await PresentedFrames.StartAsync(browser);
        await Task.Delay(500);
        long shown0 = (await server.ConnectorAsync(DomId, Index)).GetProperty("framesShown").GetInt64();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        counter.OpenWindow();
        await Task.Delay(CeilingWindow);
        counter.CloseWindow();
        long shown = (await server.ConnectorAsync(DomId, Index)).GetProperty("framesShown").GetInt64() - shown0;
        double seconds = clock.Elapsed.TotalSeconds;
        var presented = await counter.StopAsync();
        var cdp = await context.NewCDPSessionAsync(page);
        var flip = await GlassLatency.MeasureAsync(cdp, box.X, box.Y, fit, TimeSpan.FromSeconds(options.LatencySeconds));
        await cdp.DetachAsync();
        double guestFps = shown / seconds;
        return $"guest frames shown {guestFps:0.0}/s (frame interval {1000 / guestFps:0.0} ms, the server's framesShown), " +
            $"presented {presented.PerSecond:0.0} fps (interval {1000 / presented.PerSecond:0.0} ms, {PresentedFrames.EventName} in Chromium's trace), " +
            $"flip_to_glass p50 {flip.Percentile(0.50):0} ms p95 {flip.Percentile(0.95):0} ms (bounds p50 {flip.Range(0.50)}, p95 {flip.Range(0.95)}; {flip.Frames} frames of {flip.Shots} screenshots, one every {flip.IntervalMs:0.0} ms)";
    }

    private static Task<string> InputStateAsync(IPage page) => page.EvaluateAsync<string>(
        "() => `${document.querySelector('[data-testid=input-state]')?.textContent ?? 'no capture'} (focus on ${document.activeElement?.tagName}.${document.activeElement?.className}, fullscreen ${document.fullscreenElement !== null})`");

    private static string LoadAverage()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "?"; }
    }
}
