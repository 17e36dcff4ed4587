using Microsoft.Playwright;

namespace XenDisplayWeb.Benchmarks.Browser;

/// <summary>
/// One workload, one viewer: the page opens and settles, then in the counting window Chromium's presented frames,
/// the server's and the browser's CPU and the bytes on the wire are counted with nothing else asking the browser for
/// anything; only after it, screenshots read latency (and quality). A connector page is shown fullscreen (its own
/// button), where the picture is at 1:1 in a window of the picture's size.
/// </summary>
public static class WorkloadMeasurement
{
    public const string Header = "workload  fit    presented_fps  latency_p50_ms  latency_p95_ms  server_cores  browser_cores  wire_MB/s";

    /// <summary>A connector page (<paramref name="connector"/> "d/i") or, when null, the overview.</summary>
    public static async Task MeasureAsync(IBrowser browser, ServerProcess server, string workload, (int DomId, int Index)? connector,
        BenchmarkOptions options)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = options.Viewport.Width, Height = options.Viewport.Height } });
        try
        {
            var page = await context.NewPageAsync();
            await page.AddInitScriptAsync(DrawnCounter);
            await page.GotoAsync(server.PageUrl(connector is { } c ? $"/domains/{c.DomId}/connectors/{c.Index}" : "/"));
            // The live picture: a canvas the page's script has taken over (data-canvas-id), once the page's circuit runs it.
            var picture = page.Locator(connector is null ? "canvas[data-connector][data-canvas-id]" : "[data-view-for] [data-connector][data-canvas-id]").First;
            await picture.WaitForAsync();
            if (connector is not null)
            {
                await page.Locator("button.fullscreen").First.ClickAsync();
                await page.WaitForFunctionAsync("() => document.fullscreenElement !== null");
            }
            await Task.Delay(3000); // the stream settles (first full frame, JIT)
            if (options.TraceDir is { } dir) await ChromiumTrace.RecordAsync(browser, Path.Combine(dir, $"chromium-{workload}.json"), TimeSpan.FromSeconds(4));

            var box = await picture.BoundingBoxAsync() ?? throw new InvalidOperationException("the picture is not on screen");
            // canvas.width, or a video's own width: the measurement does not depend on which element draws.
            int width = await picture.EvaluateAsync<int>("e => e.videoWidth || e.width");
            int height = await picture.EvaluateAsync<int>("e => e.videoHeight || e.height");
            double fit = box.Width / width;

            var counter = await PresentedFrames.StartAsync(browser);
            var serverCpu = new ProcessCpu(() => [server.Pid]);
            var browserCpu = new ProcessCpu(() => ProcessCpu.Descendants(Environment.ProcessId, "chromium"));
            var wire = new WireBytes(server.BaseUri.Port);
            await Task.Delay(500);
            int drawn0 = await page.EvaluateAsync<int>("() => window.__drawnFrames");
            counter.OpenWindow();
            serverCpu.Start();
            browserCpu.Start();
            wire.Start();
            await Task.Delay(TimeSpan.FromSeconds(options.Seconds));
            counter.CloseWindow();
            double serverCores = serverCpu.Cores(), browserCores = browserCpu.Cores(), bytesPerSecond = wire.BytesPerSecond();
            int drawn = await page.EvaluateAsync<int>("() => window.__drawnFrames") - drawn0;
            int chromiumProcesses = ProcessCpu.Descendants(Environment.ProcessId, "chromium").Count();
            var presented = await counter.StopAsync();
            // A cross-check, not the measure: what the page's decode worker says it drew in the window, and its overlay.
            string overlay = $"; the page's decode worker drew {drawn / presented.Seconds:0.0} frames/s" + (connector is null ? " over all its canvases" : "") + (connector is null ? "" : $"; its overlay: guest {await Stat(page, "guestFps")} fps, " +
                $"{await Stat(page, "bytesPerFrame")}/frame, {await Stat(page, "codecs")}");

            string latency = $"{"-",14}  {"-",14}";
            string note = $" ({chromiumProcesses} Chromium processes)";
            var cdp = await context.NewCDPSessionAsync(page);
            if (connector is not null)
            {
                var l = await GlassLatency.MeasureAsync(cdp, box.X, box.Y, fit, TimeSpan.FromSeconds(options.LatencySeconds));
                latency = $"{l.Percentile(0.50),14:0}  {l.Percentile(0.95),14:0}";
                note = $" ({chromiumProcesses} Chromium processes; latency bounds: p50 {l.Range(0.50)}, p95 {l.Range(0.95)} ms; {l.Frames} frames read of {l.Shots} strip screenshots, one every {l.IntervalMs:0.0} ms, {l.Unreadable} unreadable)";
            }
            Console.WriteLine($"{workload,-9} {$"x{fit:0.00}",-6} {presented.PerSecond,13:0.0}  {latency}  {serverCores,12:0.00}  {browserCores,13:0.00}  {bytesPerSecond / 1e6,9:0.00}" +
                $"{note}{overlay}");

            if (workload == "motion" && options.PsnrShots > 0)
            {
                if (Math.Abs(fit - 1) > 1e-6)
                    Console.WriteLine($"psnr_db: not measured, the picture is drawn at x{fit:0.00}, not 1:1 (--viewport {width}x{height})");
                else
                {
                    var shots = await PictureQuality.MeasureAsync(cdp, page, box, width, height, options.PsnrShots);
                    var db = shots.Select(s => s.PsnrDb).Order().ToList();
                    Console.WriteLine(db.Count == 0 ? "psnr_db: no screenshot showed a readable strip"
                        : $"psnr_db: median {db[db.Count / 2]:0.00}, min {db[0]:0.00} over {db.Count} full-size screenshots (frame: dB, best of the frames either side: {string.Join(", ", shots.Select(s => $"{s.Frame}: {s.PsnrDb:0.00} {s.NeighbourDb:0.00}"))}); " +
                          $"RGB, the strip's top {PictureQuality.ExcludedTopRows} rows and the overlay left out");
                    if (shots.Count > 0)
                    {
                        var streaming = new XenDisplayWeb.Server.Streaming.StreamingOptions();
                        uint frame = shots[0].Frame;
                        Console.WriteLine($"psnr_db reference: frame {frame} JPEG-encoded and decoded here as the server cuts it ({streaming.MaxRectSize}x{streaming.MaxRectSize} rectangles, 4:2:0): " +
                            $"quality {streaming.JpegQualityMin} (the stream's lowest) {PictureQuality.JpegReference(frame, width, height, streaming.MaxRectSize, streaming.JpegQualityMin):0.00}, " +
                            $"quality {streaming.JpegQualityMax} (its highest) {PictureQuality.JpegReference(frame, width, height, streaming.MaxRectSize, streaming.JpegQualityMax):0.00} (the strip's rows left out)");
                        Console.WriteLine(await H264Ceiling.MeasureAsync(frame, width, height));
                    }
                }
            }
            await cdp.DetachAsync();
        }
        finally { await context.CloseAsync(); }
    }

    /// <summary>
    /// Counts the frames the page's decode worker reports drawn (its "drawn" messages to the page), in every worker
    /// the page starts: a cross-check of the presented count that knows the page's protocol, so it is not the measure.
    /// </summary>
    private const string DrawnCounter = """
        window.__drawnFrames = 0;
        window.Worker = class extends window.Worker {
          constructor(...args) {
            super(...args);
            this.addEventListener("message", (e) => { if (e.data && e.data.type === "drawn") window.__drawnFrames++; });
          }
        };
        """;

    private static async Task<string> Stat(IPage page, string name) =>
        (await page.Locator($"[data-stat={name}]").First.InnerTextAsync()).Trim();
}
