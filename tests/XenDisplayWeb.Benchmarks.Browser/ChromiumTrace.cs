using Microsoft.Playwright;

namespace XenDisplayWeb.Benchmarks.Browser;

/// <summary>A Chromium performance trace (every process and thread) over the DevTools protocol, written as a JSON array of trace events.</summary>
public static class ChromiumTrace
{
    private static readonly string[] Categories =
        ["__metadata", "toplevel", "blink", "blink.worker", "cc", "viz", "gpu", "mojom", "v8.execute",
         "devtools.timeline", "disabled-by-default-devtools.timeline"];

    public static async Task RecordAsync(IBrowser browser, string path, TimeSpan duration)
    {
        var cdp = await browser.NewBrowserCDPSessionAsync();
        var events = new List<string>();
        var complete = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cdp.Event("Tracing.dataCollected").OnEvent += (_, e) =>
        {
            if (e is not { } json) return;
            lock (events) foreach (var ev in json.GetProperty("value").EnumerateArray()) events.Add(ev.GetRawText());
        };
        cdp.Event("Tracing.tracingComplete").OnEvent += (_, _) => complete.TrySetResult();
        await cdp.SendAsync("Tracing.start", new Dictionary<string, object>
        {
            ["transferMode"] = "ReportEvents",
            ["traceConfig"] = new Dictionary<string, object> { ["includedCategories"] = Categories },
        });
        await Task.Delay(duration);
        await cdp.SendAsync("Tracing.end");
        await complete.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        lock (events) File.WriteAllText(path, "[" + string.Join(",\n", events) + "]");
        await cdp.DetachAsync();
        Console.WriteLine($"# Chromium trace: {path} ({events.Count} events)");
    }
}
