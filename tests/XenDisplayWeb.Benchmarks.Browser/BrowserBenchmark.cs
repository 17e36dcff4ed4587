using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;
using XenDisplayWeb.EndToEnd.Hosting;
using XenDisplayWeb.EndToEnd.Screen;
using XenDisplayWeb.Shared.Workloads;

namespace XenDisplayWeb.Benchmarks.Browser;

/// <summary>
/// End-to-end: what a person sees. Headless Chromium shows a connector page; its own DevTools screencast
/// captures the screen; the measurement strip is read off every captured frame (frame number and the
/// guest's flip time), never off the page's counters. Prints shown fps and flip-to-screen latency, then
/// server memory with four viewers over time.
///
///   dotnet run -c Release --project tests/XenDisplayWeb.Benchmarks.Browser -- [--seconds 20] [--memory-minutes 10]
///       [--capture-width 960] [--capture-quality 60] [--capture-ceiling]
/// </summary>
public static class BrowserBenchmark
{
    private const string Token = "operator-token-for-benchmarks-0123456789";

    public static async Task<int> Main(string[] args)
    {
        var argv = args.ToList();
        int seconds = argv.IndexOf("--seconds") is var s and >= 0 ? int.Parse(argv[s + 1]) : 20;
        double memoryMinutes = argv.IndexOf("--memory-minutes") is var m and >= 0 ? double.Parse(argv[m + 1]) : 10;
        // The screencast's own cost (Chromium reads back, scales and JPEG-encodes every captured frame) competes
        // with the page on a small machine: capture at a modest size and quality, enough to read the strip.
        int captureWidth = argv.IndexOf("--capture-width") is var w and >= 0 ? int.Parse(argv[w + 1]) : 960;
        int captureQuality = argv.IndexOf("--capture-quality") is var q and >= 0 ? int.Parse(argv[q + 1]) : 60;

        await using var server = new KestrelDashboard(Token, "viewer-token-for-benchmarks-0123456789", new Dictionary<string, string>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            // The motion guest at 1080p too, as the targets are for 1080p.
            ["Demo:Guests:1:Connectors:0:Width"] = "1920",
            ["Demo:Guests:1:Connectors:0:Height"] = "1080",
        });
        var baseUri = server.Start();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);

        if (argv.Contains("--capture-ceiling")) await MeasureCaptureCeilingAsync(browser, captureWidth, captureQuality);

        Console.WriteLine($"# XenDisplayWeb end-to-end benchmark: headless Chromium screencast, {Environment.ProcessorCount} cores, {seconds} s per workload");
        Console.WriteLine($"# capture {captureWidth} px wide, JPEG quality {captureQuality}; shown_fps = distinct guest frames seen on screen per second (at most the capture rate)");
        Console.WriteLine("workload  mode       captured  capture_fps  distinct  shown_fps  latency_p50_ms  latency_p95_ms  unreadable");
        foreach (var (name, domId) in seconds > 0 ? new[] { ("desktop", 1), ("motion", 2) } : [])
            await MeasureAsync(browser, baseUri, name, domId, seconds, captureWidth, captureQuality);

        if (memoryMinutes > 0) await MeasureMemoryAsync(browser, memoryMinutes);
        return 0;
    }

    private static async Task MeasureAsync(IBrowser browser, Uri baseUri, string workload, int domId, int seconds, int captureWidth, int captureQuality)
    {
        const int viewportWidth = 1920, viewportHeight = 1080;
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = viewportWidth, Height = viewportHeight } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(baseUri, $"/domains/{domId}/connectors/0?token={Token}").ToString());
        var canvas = page.Locator("canvas[data-connector]").First;
        await canvas.WaitForAsync();
        await page.WaitForTimeoutAsync(3000); // let the stream settle (first full frame, JIT)
        var box = await canvas.BoundingBoxAsync() ?? throw new InvalidOperationException("the canvas is not on screen");
        int canvasWidth = await canvas.EvaluateAsync<int>("c => c.width");
        double captureScale = Math.Min(1.0, captureWidth / (double)viewportWidth);
        double scale = box.Width / canvasWidth * captureScale; // canvas pixels to captured pixels
        double left = box.X * captureScale, top = box.Y * captureScale;

        var frames = new BlockingCollection<(byte[] Jpeg, double CapturedMs)>(boundedCapacity: 512);
        var cdp = await context.NewCDPSessionAsync(page);
        cdp.Event("Page.screencastFrame").OnEvent += (_, e) =>
        {
            if (e is not { } json) return;
            // Chromium sends the next frame only after this one is acknowledged: acknowledge first.
            _ = cdp.SendAsync("Page.screencastFrameAck", new Dictionary<string, object> { ["sessionId"] = json.GetProperty("sessionId").GetInt32() });
            double ts = json.GetProperty("metadata").GetProperty("timestamp").GetDouble() * 1000;
            frames.TryAdd((Convert.FromBase64String(json.GetProperty("data").GetString()!), ts));
        };

        var seen = new Dictionary<uint, double>();
        int captured = 0, unreadable = 0;
        var latencies = new List<double>();
        var decoder = Task.Run(() =>
        {
            using var jpeg = new JpegDecoder();
            foreach (var (data, capturedMs) in frames.GetConsumingEnumerable())
            {
                captured++;
                var (rgba, w, h) = jpeg.Decode(data);
                if (!StripSampler.TryRead(rgba, w, h, left, top, scale, out uint seq, out uint low32)) { unreadable++; continue; }
                long flipMs = MeasurementStrip.FlipTimeMsFromLow32(low32, (long)capturedMs);
                double latency = capturedMs - flipMs;
                if (latency is < 0 or > 10_000) { unreadable++; continue; }
                if (seen.TryAdd(seq, capturedMs)) latencies.Add(latency);
            }
        });

        await cdp.SendAsync("Page.startScreencast", new Dictionary<string, object>
        {
            ["format"] = "jpeg", ["quality"] = captureQuality, ["maxWidth"] = captureWidth, ["maxHeight"] = viewportHeight, ["everyNthFrame"] = 1,
        });
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        await cdp.SendAsync("Page.stopScreencast");
        frames.CompleteAdding();
        await decoder;
        await context.CloseAsync();

        latencies.Sort();
        double P(double q) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)(q * latencies.Count))];
        string mode = $"x{box.Width / canvasWidth:0.00}";
        Console.WriteLine($"{workload,-9} {mode,-10} {captured,8}  {captured / (double)seconds,11:0.0}  {seen.Count,8}  {seen.Count / (double)seconds,9:0.0}  {P(0.50),14:0.0}  {P(0.95),14:0.0}  {unreadable,10}");
    }

    /// <summary>
    /// How many frames the screencast itself delivers on this machine for a page that changes every
    /// animation frame and does nothing else (a 1920x1080 window, a full-window canvas filled each frame):
    /// the ceiling of shown_fps.
    /// </summary>
    private static async Task MeasureCaptureCeilingAsync(IBrowser browser, int captureWidth, int captureQuality)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1920, Height = 1080 } });
        var page = await context.NewPageAsync();
        await page.SetContentAsync("""
            <body style="margin:0"><canvas id=c width=1920 height=1080></canvas><script>
            const g = document.getElementById('c').getContext('2d'); let n = 0;
            (function f() { g.fillStyle = `hsl(${n++ % 360} 80% 50%)`; g.fillRect(0, 0, 1920, 1080); requestAnimationFrame(f); })();
            </script></body>
            """);
        int frames = 0;
        var cdp = await context.NewCDPSessionAsync(page);
        cdp.Event("Page.screencastFrame").OnEvent += (_, e) =>
        {
            if (e is not { } json) return;
            _ = cdp.SendAsync("Page.screencastFrameAck", new Dictionary<string, object> { ["sessionId"] = json.GetProperty("sessionId").GetInt32() });
            Interlocked.Increment(ref frames);
        };
        await cdp.SendAsync("Page.startScreencast", new Dictionary<string, object>
        {
            ["format"] = "jpeg", ["quality"] = captureQuality, ["maxWidth"] = captureWidth, ["maxHeight"] = 1080, ["everyNthFrame"] = 1,
        });
        await Task.Delay(TimeSpan.FromSeconds(10));
        await cdp.SendAsync("Page.stopScreencast");
        Console.WriteLine($"capture_ceiling: {frames / 10.0:0.0} frames/s captured of a page redrawn every animation frame (no server work)");
        await context.CloseAsync();
    }

    /// <summary>
    /// The server as a person runs it (its own process, built like <c>dotnet run --project Server</c>), with the
    /// demo guests and four viewers on the overview; its working set sampled over time.
    /// </summary>
    private static async Task MeasureMemoryAsync(IBrowser browser, double minutes)
    {
        string serverDll = Path.Combine(KestrelDashboard.RepositoryRoot(), "Server", "bin", BuildConfiguration, "net10.0", "XenDisplayWeb.Server.dll");
        if (!File.Exists(serverDll)) throw new FileNotFoundException("build the server first: dotnet build -c " + BuildConfiguration + " Server", serverDll);
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0)) { probe.Start(); port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port; }
        var baseUri = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet", [serverDll]) { WorkingDirectory = Path.GetDirectoryName(serverDll)!, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["Urls"] = baseUri.ToString();
        start.Environment["Security__OperatorToken"] = Token;
        start.Environment["Security__ViewerToken"] = "viewer-token-for-benchmarks-0123456789";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var server = Process.Start(start)!;
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                try { if ((await http.GetAsync(new Uri(baseUri, "/healthz"))).IsSuccessStatusCode) break; } catch (HttpRequestException) { }
                if (DateTime.UtcNow > deadline || server.HasExited) throw new InvalidOperationException("the server did not start");
                await Task.Delay(250);
            }
            Console.WriteLine($"# server memory: {serverDll} (its own process, pid {server.Id}), demo guests, 4 viewers on the overview, {minutes} min");
            var contexts = new List<IBrowserContext>();
            for (int i = 0; i < 4; i++)
            {
                var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
                var page = await context.NewPageAsync();
                await page.GotoAsync(new Uri(baseUri, $"/?token={Token}").ToString());
                contexts.Add(context);
            }
            Console.WriteLine("minute  working_set_mb");
            var clock = Stopwatch.StartNew();
            var samples = new List<double>();
            while (clock.Elapsed.TotalMinutes < minutes)
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, minutes * 60 / 4)));
                server.Refresh();
                double ws = server.WorkingSet64 / 1048576.0;
                samples.Add(ws);
                Console.WriteLine($"{clock.Elapsed.TotalMinutes,6:0.0}  {ws,14:0.0}");
            }
            int half = samples.Count / 2;
            Console.WriteLine($"working set: max {samples.Max():0.0} MB; mean of the first half {samples.Take(half).DefaultIfEmpty().Average():0.0} MB, of the second half {samples.Skip(half).DefaultIfEmpty().Average():0.0} MB");
            foreach (var c in contexts) await c.CloseAsync();
        }
        finally
        {
            if (!server.HasExited) server.Kill(entireProcessTree: true);
        }
    }

#if DEBUG
    private const string BuildConfiguration = "Debug";
#else
    private const string BuildConfiguration = "Release";
#endif
}
