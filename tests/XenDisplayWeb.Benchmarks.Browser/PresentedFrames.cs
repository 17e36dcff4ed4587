using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;

namespace XenDisplayWeb.Benchmarks.Browser;

/// <summary>
/// Counts the frames Chromium's display compositor presents, from its own trace: one
/// <c>Display::FrameDisplayed</c> event for every compositor frame drawn to the (headless) output surface,
/// whatever drew it (a canvas, a worker's OffscreenCanvas, a video). Traced over the DevTools protocol for the
/// whole browser; only events inside the window (their <c>ts</c>) count.
/// </summary>
public sealed class PresentedFrames
{
    public const string EventName = "Display::FrameDisplayed";

    private static readonly string[] Categories = ["viz", "benchmark", "disabled-by-default-display.framedisplayed"];

    private readonly ICDPSession _cdp;
    private readonly List<(string Name, double Ts, int Pid)> _events = [];
    private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _from, _until;

    private PresentedFrames(ICDPSession cdp) => _cdp = cdp;

    /// <summary>Starts tracing the browser; the window opens at <see cref="OpenWindow"/>.</summary>
    public static async Task<PresentedFrames> StartAsync(IBrowser browser)
    {
        var counter = new PresentedFrames(await browser.NewBrowserCDPSessionAsync());
        counter._cdp.Event("Tracing.dataCollected").OnEvent += (_, e) =>
        {
            if (e is not { } json) return;
            lock (counter._events)
                foreach (var ev in json.GetProperty("value").EnumerateArray())
                    if (ev.TryGetProperty("ts", out var ts) && ev.TryGetProperty("name", out var name))
                        counter._events.Add((name.GetString() ?? "", ts.GetDouble(), ev.TryGetProperty("pid", out var pid) ? pid.GetInt32() : 0));
        };
        counter._cdp.Event("Tracing.tracingComplete").OnEvent += (_, _) => counter._complete.TrySetResult();
        await counter._cdp.SendAsync("Tracing.start", new Dictionary<string, object>
        {
            ["transferMode"] = "ReportEvents",
            ["traceConfig"] = new Dictionary<string, object> { ["includedCategories"] = Categories, ["recordMode"] = "recordContinuously" },
        });
        return counter;
    }

    // Trace timestamps are Chromium's TimeTicks in microseconds: CLOCK_MONOTONIC on Linux, as Stopwatch is.
    private static long NowMicroseconds() => (long)(Stopwatch.GetTimestamp() * (1e6 / Stopwatch.Frequency));

    public void OpenWindow() => _from = NowMicroseconds();

    public void CloseWindow() => _until = NowMicroseconds();

    /// <summary>Ends the trace (after the window closed) and returns the presented frames a second in the window.</summary>
    public async Task<PresentedCount> StopAsync()
    {
        // Chromium flushes the events of the last frames a little later: let them reach the trace.
        await Task.Delay(300);
        await _cdp.SendAsync("Tracing.end");
        await _complete.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await _cdp.DetachAsync();
        lock (_events)
        {
            var inWindow = _events.Where(e => e.Name == EventName && e.Ts >= _from && e.Ts < _until).ToList();
            var all = _events.Count(e => e.Name == EventName);
            double seconds = (_until - _from) / 1e6;
            return new PresentedCount(inWindow.Count, seconds, all, inWindow.Select(e => e.Pid).Distinct().Count(),
                all == 0 ? FrameNames() : "");
        }
    }

    /// <summary>When no event has the expected name: the names of this trace that look like presentation, to find this build's.</summary>
    private string FrameNames() => string.Join(", ", _events.Where(e => e.Name.Contains("Frame", StringComparison.OrdinalIgnoreCase)
            || e.Name.Contains("Display", StringComparison.Ordinal))
        .GroupBy(e => e.Name).OrderByDescending(g => g.Count()).Take(20).Select(g => $"{g.Key} x{g.Count()}"));
}

/// <summary>Frames presented in a window of <paramref name="Seconds"/>; <paramref name="Traced"/> in the whole trace; <paramref name="Processes"/> that presented them.</summary>
public sealed record PresentedCount(int Frames, double Seconds, int Traced, int Processes, string OtherNames)
{
    public double PerSecond => Frames / Seconds;
}
