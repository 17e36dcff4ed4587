using System.Text.Json;
using System.Net.Http.Json;
using Microsoft.Playwright;
using XenDisplayWeb.EndToEnd.Hosting;

namespace XenDisplayWeb.Benchmarks.Browser;

/// <summary>
/// End-to-end: what headless Chromium presents of the stream. First the instruments are checked on pages of
/// known rate (<see cref="Calibration"/>); then, with the server in its own process, each workload alone with one
/// viewer (<see cref="WorkloadMeasurement"/>): presented fps from Chromium's own trace, latency and quality from
/// screenshots after the counting window, server and browser CPU from /proc, bytes on the wire from the kernel;
/// then server memory with four viewers over time. --decode-ceiling measures what Chromium alone can decode of
/// 1080p motion; --trace DIR records a Chromium trace of each page before its window. --ceiling-only prints just
/// the H.264 ceiling of the motion content (<see cref="H264Ceiling"/>, frames from 1000; no server, no browser). Input to
/// glass on the 1080p desktop (<see cref="InputToGlass"/>, its instrument checked first by <see cref="InputCalibration"/>)
/// follows the workloads; --only input runs the calibrations and it alone.
///
///   dotnet run -c Release --project tests/XenDisplayWeb.Benchmarks.Browser -- [options, see BenchmarkOptions.Usage]
/// </summary>
public static class BrowserBenchmark
{
    private const uint CeilingOnlyFirstFrame = 1000;

    public static async Task<int> Main(string[] args)
    {
        string command = $"dotnet run -c Release --project tests/XenDisplayWeb.Benchmarks.Browser -- {string.Join(' ', args)}".TrimEnd();
        Console.WriteLine($"# {command}");
        BenchmarkOptions options;
        try { options = BenchmarkOptions.Parse(args); }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
        if (options.CeilingOnly)
        {
            Console.WriteLine(await H264Ceiling.MeasureAsync(CeilingOnlyFirstFrame, 1920, 1080));
            return 0;
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DebianChromium.LaunchAsync(playwright);
        Console.WriteLine($"# XenDisplayWeb browser benchmark: headless {browser.Version} ({DebianChromium.Path}), {Environment.ProcessorCount} cores");
        if (!await Calibration.RunAsync(browser, options.CalibrationSeconds, options.LatencySeconds))
        {
            Console.WriteLine($"calibration failed in {Calibration.Attempts} attempts: the presented-frame count is off on a page of known rate, so no figure would be trusted " +
                "(where the page's own count is as low, the machine is too busy to present 60 fps; where they differ, the counter is wrong)");
            return 2;
        }
        bool inputTrusted = options.InputSamples > 0 && await InputCalibration.RunAsync(browser);
        if (options.InputSamples > 0 && !inputTrusted)
            Console.WriteLine($"input calibration failed in {InputCalibration.Attempts} attempts: the input-to-glass method misread a known delay, so no input figure would be trusted");
        if (options.InputOnly)
        {
            if (!inputTrusted) return 2;
            await using var inputServer = await ServerProcess.StartAsync();
            await InputToGlass.MeasureAsync(browser, inputServer, options, command);
            return 0;
        }
        if (options.DecodeCeiling) await DecodeCeiling.MeasureAsync(browser, options.DecodeRect);

        if (options.Seconds > 0 && options.Workloads.Count > 0)
        {
            await using var server = await ServerProcess.StartAsync();
            // The motion guest (demo connector 2/0, 1280x720) at 1080p, as the targets are for 1080p.
            await server.SetResolutionAsync(2, 0, 1920, 1080);
            var (equal, frame) = await PictureQuality.CheckRendererAsync(server, 2, 0);
            Console.WriteLine($"# server: {server.Dll} (its own process, pid {server.Pid}), demo guests, connector 2/0 set to 1920x1080 motion; " +
                $"motion renderer here {(equal ? "equals" : "DIFFERS from")} the server's lossless snapshot of frame {frame}");
            Console.WriteLine($"# window {options.Viewport.Width}x{options.Viewport.Height}, connector pages fullscreen; counting window {options.Seconds} s, then latency {options.LatencySeconds} s; " +
                "presented_fps: Display::FrameDisplayed in Chromium's trace per second; latency: guest flip to glass read off strip screenshots, within half a screenshot interval (bounds after the line); " +
                "cores: CPU s per s from /proc (browser: every Chromium process); wire: TCP payload bytes the server's sockets had acknowledged (ss bytes_acked)");
            await MeasureIdleAsync(server, Math.Min(options.Seconds, 10));
            Console.WriteLine(WorkloadMeasurement.Header);
            foreach (var workload in options.Workloads)
                await WorkloadMeasurement.MeasureAsync(browser, server, workload, workload switch
                {
                    "desktop" => (1, 0),
                    "motion" => (2, 0),
                    _ => null,
                }, options);
            if (inputTrusted) await InputToGlass.MeasureAsync(browser, server, options, command);
        }

        if (options.MemoryMinutes > 0) await MeasureMemoryAsync(browser, options.MemoryMinutes);
        return 0;
    }

    private static readonly TimeSpan ViewerSettle = TimeSpan.FromSeconds(30);

    /// <summary>Prints a line of the viewer table; returns the working set in MB.</summary>
    private static async Task<double> ViewerLineAsync(ServerProcess server, int viewers)
    {
        var counted = await server.Http.GetFromJsonAsync<JsonElement>("/api/viewers");
        double ws = server.WorkingSet() / 1048576.0;
        Console.WriteLine($"{viewers,7}  {counted.GetProperty("circuits").GetInt32(),8}  {counted.GetProperty("hubConnections").GetInt32(),15}  {ws,14:0.0}");
        return ws;
    }

    /// <summary>The server with no page open: the simulated guests drawing every demo connector, nothing streamed.</summary>
    private static async Task MeasureIdleAsync(ServerProcess server, double seconds)
    {
        var cpu = new ProcessCpu(() => [server.Pid]);
        cpu.Start();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        Console.WriteLine($"# server with no page open (the guests drawing, nothing streamed): {cpu.Cores():0.00} cores over {seconds} s");
    }

    /// <summary>
    /// A server of its own with the demo guests and four viewers: three on the overview (scaled thumbnails, tiles) and one
    /// on the motion connector's page (full size, on video where the page can present it); its working set sampled over time.
    /// </summary>
    private static async Task MeasureMemoryAsync(IBrowser browser, double minutes)
    {
        await using var server = await ServerProcess.StartAsync();
        Console.WriteLine($"# server memory: {server.Dll} (its own process, pid {server.Pid}), demo guests, 3 viewers on the overview and 1 on /domains/2/connectors/0, {minutes} min");
        // What a viewer costs: the working set with none, then after each viewer came and settled, with the circuits and
        // hub connections the server counts (GET /api/viewers).
        Console.WriteLine("viewers  circuits  hub_connections  working_set_mb  (each after 30 s settling)");
        await Task.Delay(ViewerSettle);
        double before = await ViewerLineAsync(server, 0);
        var contexts = new List<IBrowserContext>();
        double after = before;
        for (int i = 0; i < 4; i++)
        {
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
            var page = await context.NewPageAsync();
            await page.GotoAsync(server.PageUrl(i == 3 ? "/domains/2/connectors/0" : "/"));
            contexts.Add(context);
            await Task.Delay(ViewerSettle);
            after = await ViewerLineAsync(server, i + 1);
        }
        Console.WriteLine($"a viewer costs {(after - before) / 4:0.0} MB of working set on average (4 viewers: {after - before:+0.0;-0.0} MB), one circuit and one hub connection each");
        Console.WriteLine("minute  working_set_mb");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var samples = new List<double>();
        while (clock.Elapsed.TotalMinutes < minutes)
        {
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, minutes * 60 / 4)));
            double ws = server.WorkingSet() / 1048576.0;
            samples.Add(ws);
            Console.WriteLine($"{clock.Elapsed.TotalMinutes,6:0.0}  {ws,14:0.0}");
        }
        int half = samples.Count / 2;
        Console.WriteLine($"working set: max {samples.Max():0.0} MB; mean of the first half {samples.Take(half).DefaultIfEmpty().Average():0.0} MB, of the second half {samples.Skip(half).DefaultIfEmpty().Average():0.0} MB");
        foreach (var c in contexts) await c.CloseAsync();
    }
}
