using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using XenDisplayWeb.EndToEnd.Hosting;
using XenDisplayWeb.Server;

namespace XenDisplayWeb.LoadTest;

/// <summary>
/// Load: N viewers watch one 1080p connector while a script calls the API M times a second. Prints viewer
/// fps, guest fps against an unloaded run of the same length, and errors.
///
///   dotnet run -c Release --project tests/XenDisplayWeb.LoadTest -- [--viewers 20] [--seconds 60] [--api-per-second 50]
/// Guests created and destroyed through the console (<see cref="Churn"/>):
///   dotnet run -c Release --project tests/XenDisplayWeb.LoadTest -- churn [--guests 500] [--max-domid 64]
/// </summary>
public static class LoadTest
{
    private const string Token = "operator-token-for-load-tests-0123456789";
    private const int DomId = 1, Index = 0; // the demo's 1920x1080 desktop

    public static async Task<int> Main(string[] args)
    {
        var argv = args.ToList();
        if (argv.Contains("churn")) return await Churn.RunAsync(argv);
        int Arg(string name, int fallback) => argv.IndexOf(name) is var i and >= 0 ? int.Parse(argv[i + 1]) : fallback;
        int viewers = Arg("--viewers", 20), seconds = Arg("--seconds", 60), apiPerSecond = Arg("--api-per-second", 50);

        await using var server = new KestrelDashboard(Token, "viewer-token-for-load-tests-0123456789",
            new Dictionary<string, string> { ["Logging:LogLevel:Default"] = "Warning" });
        var baseUri = server.Start();
        var host = server.Services.GetRequiredService<SimulatedHostService>();
        long FramesShown() => host.System!.Backend.Device(DomId)!.Connectors.First(c => c.Index == Index).FramesShown;

        Console.WriteLine($"# XenDisplayWeb load test: {viewers} viewers on dom{DomId} connector {Index} (1920x1080 desktop), {apiPerSecond} API calls/s, {seconds} s, {Environment.ProcessorCount} cores");
        await Task.Delay(TimeSpan.FromSeconds(3)); // guests connect, JIT warms

        long before = FramesShown();
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        double unloadedFps = (FramesShown() - before) / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"unloaded: guest fps {unloadedFps:0.0}");

        var hub = new UriBuilder(baseUri) { Scheme = "ws", Path = "/hubs/dashboard", Query = "access_token=" + Token }.Uri;
        var watching = Enumerable.Range(0, viewers).Select(_ => new Viewer(hub, DomId, Index)).ToList();
        foreach (var v in watching) await v.StartAsync();

        using var http = new HttpClient { BaseAddress = baseUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        long apiCalls = 0, apiErrors = 0;
        string? lastApiError = null;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var api = Task.Run(async () =>
        {
            // A script's mix: mostly reads, a control now and then (setting the workload it already has).
            var interval = TimeSpan.FromSeconds(1.0 / apiPerSecond);
            var next = Stopwatch.GetTimestamp();
            while (!stop.IsCancellationRequested)
            {
                long n = Interlocked.Increment(ref apiCalls);
                try
                {
                    using var response = (n % 10) switch
                    {
                        0 => await http.PutAsJsonAsync($"/api/domains/{DomId}/connectors/{Index}/workload", new { workload = "desktop" }),
                        3 => await http.GetAsync("/api/trace?after=-1"),
                        6 => await http.GetAsync($"/api/domains/{DomId}/buffers"),
                        _ => await http.GetAsync("/api/domains"),
                    };
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref apiErrors);
                        lastApiError = $"{(int)response.StatusCode} {response.RequestMessage?.RequestUri?.PathAndQuery}";
                    }
                }
                catch (Exception e) { Interlocked.Increment(ref apiErrors); lastApiError = e.Message; }
                next += (long)(interval.TotalSeconds * Stopwatch.Frequency);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                if (wait > TimeSpan.Zero) await Task.Delay(wait);
            }
        });

        var startFrames = watching.Select(v => v.Frames).ToList();
        before = FramesShown();
        clock.Restart();
        await api;
        double elapsed = clock.Elapsed.TotalSeconds;
        double loadedFps = (FramesShown() - before) / elapsed;
        var viewerFps = watching.Select((v, i) => (v.Frames - startFrames[i]) / elapsed).ToList();
        long viewerErrors = watching.Sum(v => v.Errors);

        Console.WriteLine($"loaded:   guest fps {loadedFps:0.0} ({(loadedFps / unloadedFps - 1) * 100:+0.0;-0.0}% against unloaded)");
        Console.WriteLine($"viewers:  fps min {viewerFps.Min():0.0}, mean {viewerFps.Average():0.0}, max {viewerFps.Max():0.0}; MB/s received {watching.Sum(v => v.Bytes) / elapsed / 1e6:0.0}");
        Console.WriteLine($"api:      {apiCalls} calls, {apiCalls / elapsed:0.0}/s");
        Console.WriteLine($"errors:   {apiErrors + viewerErrors} (api {apiErrors}{(lastApiError is null ? "" : $", last: {lastApiError}")}; viewers {viewerErrors}{(watching.FirstOrDefault(v => v.LastError is not null)?.LastError is { } ve ? $", last: {ve}" : "")})");
        foreach (var v in watching) await v.DisposeAsync();
        return apiErrors + viewerErrors == 0 ? 0 : 1;
    }
}
