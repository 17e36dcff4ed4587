using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using XenDisplayWeb.EndToEnd.Hosting;
using XenDisplayWeb.Server;
using XenDisplayWeb.Server.Streaming;
using XenDisplayWeb.Shared.Host;

namespace XenDisplayWeb.LoadTest;

/// <summary>
/// Churn: creates and destroys guests one after the other through the guest console's HTTP API while the demo
/// guests draw. Each is a 640x480 desktop, watched by a viewer until it has drawn a frame, then destroyed abruptly.
/// Prints memory and threads at the start, after half the guests and at the end, with the targets: the second half
/// grows the working set by at most 10 MB, the threads come back to where they started, and domain ids are reused
/// (the server hands out ids up to <c>--max-domid</c> and wraps, as Xen does at 0x7FEF). The counted guests follow
/// <c>--warm-up</c> uncounted ones: the tiered JIT keeps compiling the code of a guest's life for a few hundred of them.
///
///   dotnet run -c Release --project tests/XenDisplayWeb.LoadTest -- churn [--guests 500] [--max-domid 64] [--warm-up 100]
/// </summary>
public static class Churn
{
    private const string Token = "operator-token-for-load-tests-0123456789";
    private const double MaxSecondHalfGrowthMb = 10;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(IReadOnlyList<string> argv)
    {
        int Arg(string name, int fallback) => argv.ToList().IndexOf(name) is var i and >= 0 ? int.Parse(argv[i + 1]) : fallback;
        int guests = Arg("--guests", 500), maxDomId = Arg("--max-domid", 64), warmUp = Arg("--warm-up", 100);

        await using var server = new KestrelDashboard(Token, "viewer-token-for-load-tests-0123456789", new Dictionary<string, string>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Demo:MaxDomId"] = maxDomId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var baseUri = server.Start();
        var system = server.Services.GetRequiredService<SimulatedHostService>().System!;
        var registry = server.Services.GetRequiredService<FrameStreamRegistry>();
        using var http = new HttpClient { BaseAddress = baseUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var hub = new UriBuilder(baseUri) { Scheme = "ws", Path = "/hubs/dashboard", Query = "access_token=" + Token }.Uri;

        Console.WriteLine($"# XenDisplayWeb churn: {guests} guests (640x480 desktop, one viewer each) created and destroyed through the guest console " +
            $"while the demo guests draw; domain ids up to {maxDomId}; {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        Console.WriteLine("# memory after a full, compacting GC (the working set split into anonymous memory and mapped files); threads of the whole process (server and this client)");
        await Task.Delay(TimeSpan.FromSeconds(3)); // the demo guests connect
        var namesAtStart = ThreadNames();
        var before = Sample.Take("before", 0, system, registry);
        Console.WriteLine(before);
        // The same cycle first, uncounted: the runtime compiles and recompiles (tiered JIT) the code a guest's life runs.
        for (int i = 1; i <= warmUp; i++) await CycleAsync(http, hub, $"warm-up-{i}");
        Console.WriteLine($"warm-up: {warmUp} guests created and destroyed, not counted below");

        var samples = new List<Sample> { Sample.Take("start", 0, system, registry) };
        Console.WriteLine(samples[^1]);
        var ids = new List<int>();
        var clock = Stopwatch.StartNew();
        for (int i = 1; i <= guests; i++)
        {
            ids.Add(await CycleAsync(http, hub, $"churn-{i}"));
            if (i == guests / 2)
            {
                samples.Add(Sample.Take("middle", i, system, registry));
                Console.WriteLine(samples[^1]);
            }
        }
        double churnSeconds = clock.Elapsed.TotalSeconds;

        // Idle pool threads retire after a while: give them the time, then take the end.
        var settle = Stopwatch.StartNew();
        while (Sample.ProcessThreads() > before.Threads && settle.Elapsed < Patience) await Task.Delay(500);
        samples.Add(Sample.Take("end", guests, system, registry));
        Console.WriteLine(samples[^1]);

        Console.WriteLine($"churn: {guests} guests in {churnSeconds:0.0} s ({churnSeconds * 1000 / guests:0} ms each)");
        return Verdict(before, samples[0], samples[1], samples[2], settle.Elapsed, namesAtStart, ids) ? 0 : 1;
    }

    /// <summary>Prints each target against what was measured; true when all are held.</summary>
    private static bool Verdict(Sample before, Sample start, Sample middle, Sample end, TimeSpan settled, List<string> namesBefore, List<int> ids)
    {
        double growth = (end.WorkingSet - middle.WorkingSet) / 1e6;
        int distinct = ids.Distinct().Count();
        bool memoryHeld = growth <= MaxSecondHalfGrowthMb, threadsHeld = end.Threads <= before.Threads, idsReused = distinct < ids.Count;
        Console.WriteLine($"second-half working-set growth: {growth:+0.0;-0.0} MB (target at most {MaxSecondHalfGrowthMb} MB): {(memoryHeld ? "held" : "MISSED")}");
        Console.WriteLine($"threads: before the warm-up {before.Threads}, start {start.Threads}, end {end.Threads} (after {settled.TotalSeconds:0.0} s idle): " +
            (threadsHeld ? "back to where they were" : "NOT back"));
        if (!threadsHeld) Console.WriteLine($"threads more than before the warm-up, by name: {string.Join(", ", Extra(ThreadNames(), namesBefore))}");
        Console.WriteLine($"domain ids: {ids.Count} guests got {distinct} distinct ids ({ids.Min()}..{ids.Max()}): {(idsReused ? "reused" : "NOT reused")}");
        return memoryHeld && threadsHeld && idsReused;
    }

    /// <summary>One guest: created, drawing and watched, then destroyed; returns its domain id.</summary>
    private static async Task<int> CycleAsync(HttpClient http, Uri hub, string n)
    {
        var created = await http.PostAsJsonAsync("/api/domains", new
        {
            name = n,
            connectors = new[] { new { width = 640, height = 480, uniqueId = "churn", workload = "desktop" } },
        });
        if (created.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"guest {n}: POST /api/domains answered {(int)created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
        int domId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("domId").GetInt32();
        await UntilAsync(async () => (await http.GetFromJsonAsync<JsonElement>($"/api/domains/{domId}/backend")).GetProperty("framebuffers").GetArrayLength() > 0,
            $"guest {n} (dom{domId}) to draw");
        await using (var viewer = new Viewer(hub, domId, 0))
        {
            await viewer.StartAsync();
            await UntilAsync(() => Task.FromResult(viewer.Frames > 0 || viewer.Errors > 0), $"guest {n}'s viewer to get a frame");
            if (viewer.Errors > 0) throw new InvalidOperationException($"guest {n}'s viewer: {viewer.LastError}");
            var destroyed = await http.DeleteAsync($"/api/domains/{domId}");
            if (destroyed.StatusCode != HttpStatusCode.NoContent) throw new InvalidOperationException($"guest {n}: DELETE answered {(int)destroyed.StatusCode}");
        }
        return domId;
    }

    /// <summary>The process's threads by name (Linux: /proc/self/task/*/comm, cut to 15 characters).</summary>
    private static List<string> ThreadNames() =>
        [.. Directory.GetDirectories("/proc/self/task").Select(task =>
        {
            try { return File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n'); }
            catch (IOException) { return null; } // the thread ended while being read
        }).OfType<string>()];

    private static IEnumerable<string> Extra(List<string> now, List<string> before)
    {
        var left = before.ToList();
        foreach (var name in now)
            if (!left.Remove(name)) yield return name;
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > Patience) throw new TimeoutException($"timed out after {Patience.TotalSeconds} s waiting for {what}");
            await Task.Delay(10);
        }
    }

    /// <summary>The process's memory and threads, and what the host holds: every figure but the first three comes back if nothing leaks.</summary>
    private sealed record Sample(string Label, int Guests, long WorkingSet, long RssAnon, long RssFile, long GcHeap, long GcCommitted, int Threads,
        int Domains, int Streams, int XenStoreNodes, int EventChannels, int Grants)
    {
        public static Sample Take(string label, int guests, SimulatedSystem system, FrameStreamRegistry registry)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            using var self = Process.GetCurrentProcess();
            var status = File.ReadAllLines("/proc/self/status");
            long Kb(string key) => long.Parse(status.First(l => l.StartsWith(key + ":", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
            return new Sample(label, guests, self.WorkingSet64, Kb("RssAnon"), Kb("RssFile"), GC.GetTotalMemory(false), GC.GetGCMemoryInfo().TotalCommittedBytes, ProcessThreads(),
                system.Host.Domains.Count, registry.Streams.Count(), system.Host.Store.Snapshot().Count, system.Host.Evtchn.Snapshot().Count, system.Host.Grants().Count);
        }

        public static int ProcessThreads()
        {
            using var self = Process.GetCurrentProcess();
            return self.Threads.Count;
        }

        public override string ToString() =>
            $"{Label,-6} after {Guests,3} guests: working_set_mb={WorkingSet / 1e6:0.0} (anon {RssAnon / 1e6:0.0}, files {RssFile / 1e6:0.0}) gc_heap_mb={GcHeap / 1e6:0.0} (committed {GcCommitted / 1e6:0.0}) threads={Threads} " +
            $"domains={Domains} streams={Streams} xenstore_nodes={XenStoreNodes} evtchns={EventChannels} grants={Grants}";
    }
}
