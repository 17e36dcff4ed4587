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
/// server memory with four viewers over time. --capture-ceiling first measures what the screencast alone
/// can capture on this machine (a trivial page, before the server starts), --decode-ceiling what Chromium
/// alone can decode of 1080p motion; --uncaptured adds a diagnostic run of each workload with no capture,
/// read off the page's own overlay (--uncaptured-only: that run alone), and --trace DIR records a Chromium
/// trace of it.
///
///   dotnet run -c Release --project tests/XenDisplayWeb.Benchmarks.Browser -- [--seconds 20] [--memory-minutes 10]
///       [--viewport 1920x1080] [--capture-width 960] [--capture-quality 60]
///       [--capture-ceiling] [--decode-ceiling [--decode-rect 512]] [--uncaptured | --uncaptured-only] [--workload desktop|motion]
///       [--trace DIR] [--video-mode auto|tiles|video]
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
        var viewport = argv.IndexOf("--viewport") is var vp and >= 0 ? ParseSize(argv[vp + 1]) : (Width: 1920, Height: 1080);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);

        // Before the server starts: the browser and its capture alone on the machine.
        if (argv.Contains("--capture-ceiling")) await MeasureCaptureCeilingAsync(browser, viewport, captureWidth, captureQuality);
        if (argv.Contains("--decode-ceiling"))
            await DecodeCeiling.MeasureAsync(browser, argv.IndexOf("--decode-rect") is var dr and >= 0 ? int.Parse(argv[dr + 1]) : null);

        await using var server = new KestrelDashboard(Token, "viewer-token-for-benchmarks-0123456789", new Dictionary<string, string>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            // The motion guest at 1080p too, as the targets are for 1080p.
            ["Demo:Guests:1:Connectors:0:Width"] = "1920",
            ["Demo:Guests:1:Connectors:0:Height"] = "1080",
            // The streams' path: auto (the default) switches the motion guest to video; tiles or video force one.
            ["Streaming:VideoMode"] = argv.IndexOf("--video-mode") is var vm and >= 0 ? argv[vm + 1] : "auto",
        });
        var baseUri = server.Start();

        Console.WriteLine($"# XenDisplayWeb end-to-end benchmark: headless Chromium screencast, {Environment.ProcessorCount} cores, {seconds} s per workload");
        Console.WriteLine($"# window {viewport.Width}x{viewport.Height}, capture {captureWidth} px wide, JPEG quality {captureQuality}; shown_fps = distinct guest frames seen on screen per second (at most the capture rate)");
        Console.WriteLine("workload  fit    captured  capture_fps  distinct  shown_fps  latency_p50_ms  latency_p95_ms  unreadable");
        var workloads = seconds > 0 ? new[] { ("desktop", 1), ("motion", 2) } : [];
        if (argv.IndexOf("--workload") is var wl and >= 0)
            workloads = workloads.Where(x => x.Item1 == argv[wl + 1]).ToArray() is { Length: > 0 } one ? one
                : throw new ArgumentException($"--workload takes desktop or motion, not '{argv[wl + 1]}'");
        // A Chromium trace of the first seconds of each uncaptured run, for chrome://tracing or ui.perfetto.dev.
        string? traceDir = argv.IndexOf("--trace") is var tr and >= 0 ? argv[tr + 1] : null;
        string? Trace(string workload) => traceDir is null ? null : Path.Combine(traceDir, $"chromium-{workload}.json");
        if (!argv.Contains("--uncaptured-only"))
            foreach (var (name, domId) in workloads)
                await MeasureAsync(browser, baseUri, name, domId, seconds, viewport, captureWidth, captureQuality);
        if (argv.Contains("--uncaptured") || argv.Contains("--uncaptured-only"))
            foreach (var (name, domId) in workloads)
                await MeasureUncapturedAsync(browser, baseUri, name, domId, seconds, viewport, Trace(name));

        if (memoryMinutes > 0) await MeasureMemoryAsync(browser, memoryMinutes);
        return 0;
    }

    private static async Task<(IBrowserContext Context, IPage Page, ILocator Canvas)> OpenConnectorAsync(
        IBrowser browser, Uri baseUri, int domId, (int Width, int Height) viewport)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = viewport.Width, Height = viewport.Height } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(baseUri, $"/domains/{domId}/connectors/0?token={Token}").ToString());
        var canvas = page.Locator("canvas[data-connector]").First;
        await canvas.WaitForAsync();
        await page.WaitForTimeoutAsync(3000); // let the stream settle (first full frame, JIT)
        return (context, page, canvas);
    }

    private static async Task MeasureAsync(IBrowser browser, Uri baseUri, string workload, int domId, int seconds,
        (int Width, int Height) viewport, int captureWidth, int captureQuality)
    {
        var (context, page, canvas) = await OpenConnectorAsync(browser, baseUri, domId, viewport);
        var box = await canvas.BoundingBoxAsync() ?? throw new InvalidOperationException("the canvas is not on screen");
        int canvasWidth = await canvas.EvaluateAsync<int>("c => c.width");
        double fit = box.Width / canvasWidth; // canvas pixels to window pixels
        double captureScale = Math.Min(1.0, captureWidth / (double)viewport.Width);
        double scale = fit * captureScale; // canvas pixels to captured pixels
        double left = box.X * captureScale, top = box.Y * captureScale;

        var frames = new BlockingCollection<(byte[] Jpeg, double CapturedMs)>(boundedCapacity: 512);
        var cdp = await context.NewCDPSessionAsync(page);
        cdp.Event("Page.screencastFrame").OnEvent += (_, e) =>
        {
            if (e is not { } json) return;
            // Chromium sends the next frame only after this one is acknowledged: acknowledge first.
            _ = cdp.SendAsync("Page.screencastFrameAck", new Dictionary<string, object> { ["sessionId"] = json.GetProperty("sessionId").GetInt32() });
            double ts = json.GetProperty("metadata").GetProperty("timestamp").GetDouble() * 1000;
            // A frame can still arrive after the capture stopped: it is not counted.
            if (frames.IsAddingCompleted) return;
            try { frames.TryAdd((Convert.FromBase64String(json.GetProperty("data").GetString()!), ts)); }
            catch (InvalidOperationException) { }
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
            ["format"] = "jpeg", ["quality"] = captureQuality, ["maxWidth"] = captureWidth, ["maxHeight"] = viewport.Height, ["everyNthFrame"] = 1,
        });
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        await cdp.SendAsync("Page.stopScreencast");
        frames.CompleteAdding();
        await decoder;
        await context.CloseAsync();

        latencies.Sort();
        double P(double q) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)(q * latencies.Count))];
        Console.WriteLine($"{workload,-9} {$"x{fit:0.00}",-6} {captured,8}  {captured / (double)seconds,11:0.0}  {seen.Count,8}  {seen.Count / (double)seconds,9:0.0}  {P(0.50),14:0.0}  {P(0.95),14:0.0}  {unreadable,10}");
    }

    /// <summary>
    /// A diagnostic, not the measure: the same page with no capture running, read off its own stats overlay
    /// (frames this page drew per second and its decode-and-draw time; the server's send-to-ack lag), so a
    /// reader can tell what the capture itself takes away.
    /// </summary>
    private static async Task MeasureUncapturedAsync(IBrowser browser, Uri baseUri, string workload, int domId, int seconds,
        (int Width, int Height) viewport, string? tracePath)
    {
        var (context, page, _) = await OpenConnectorAsync(browser, baseUri, domId, viewport);
        var drawn = new List<double>();
        var decode = new List<double>();
        var lag = new List<double>();
        async Task<double> Stat(string name) =>
            double.TryParse(await page.Locator($"[data-stat={name}]").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture, out double v) ? v : double.NaN;
        if (tracePath is not null) await ChromiumTrace.RecordAsync(browser, tracePath, TimeSpan.FromSeconds(4));
        for (int i = 0; i < seconds; i++)
        {
            await Task.Delay(1000);
            drawn.Add(await Stat("shownFps"));
            decode.Add(await Stat("decodeMs"));
            lag.Add(await Stat("latencyMs"));
        }
        string bytes = await page.Locator("[data-stat=bytesPerFrame]").InnerTextAsync();
        string path = await page.Locator("[data-stat=mode]").InnerTextAsync();
        await context.CloseAsync();
        static double Mean(List<double> v) => v.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average();
        Console.WriteLine($"{workload,-9} uncaptured, the page's own count: drew {Mean(drawn):0.0} fps, decode-and-draw {Mean(decode):0.0} ms/frame, " +
            $"server send-to-ack {Mean(lag):0.0} ms, {bytes}/frame, path {path}");
    }

    /// <summary>
    /// How many frames the screencast itself delivers on this machine for a page that changes every
    /// animation frame and does nothing else (a 1920x1080 canvas filled each frame, fitted to the window as the
    /// dashboard fits its canvases):
    /// the ceiling of shown_fps.
    /// </summary>
    private static async Task MeasureCaptureCeilingAsync(IBrowser browser, (int Width, int Height) viewport, int captureWidth, int captureQuality)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = viewport.Width, Height = viewport.Height } });
        var page = await context.NewPageAsync();
        await page.SetContentAsync("""
            <body style="margin:0"><canvas id=c width=1920 height=1080 style="width:100vw;height:100vh;object-fit:contain"></canvas><script>
            const g = document.getElementById('c').getContext('2d'); var n = 0;
            (function f() { g.fillStyle = `hsl(${n++ % 360} 80% 50%)`; g.fillRect(0, 0, 1920, 1080); requestAnimationFrame(f); })();
            </script></body>
            """);
        int before = await page.EvaluateAsync<int>("() => n");
        await Task.Delay(TimeSpan.FromSeconds(5));
        double uncaptured = (await page.EvaluateAsync<int>("() => n") - before) / 5.0;
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
            ["format"] = "jpeg", ["quality"] = captureQuality, ["maxWidth"] = captureWidth, ["maxHeight"] = viewport.Height, ["everyNthFrame"] = 1,
        });
        int painted0 = await page.EvaluateAsync<int>("() => n");
        await Task.Delay(TimeSpan.FromSeconds(10));
        int painted = await page.EvaluateAsync<int>("() => n") - painted0;
        await cdp.SendAsync("Page.stopScreencast");
        Console.WriteLine($"capture_ceiling: {frames / 10.0:0.0} frames/s captured of a page redrawn every animation frame, which drew {painted / 10.0:0.0} frames/s ({uncaptured:0.0} uncaptured) (window {viewport.Width}x{viewport.Height}, no streaming)");
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

    private static (int Width, int Height) ParseSize(string text)
    {
        var parts = text.Split('x');
        if (parts.Length != 2 || !int.TryParse(parts[0], out int w) || !int.TryParse(parts[1], out int h) || w < 320 || h < 240)
            throw new ArgumentException($"--viewport takes WIDTHxHEIGHT, at least 320x240, not '{text}'");
        return (w, h);
    }

#if DEBUG
    private const string BuildConfiguration = "Debug";
#else
    private const string BuildConfiguration = "Release";
#endif
}
