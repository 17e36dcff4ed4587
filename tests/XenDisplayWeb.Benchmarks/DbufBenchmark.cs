using System.Diagnostics;
using XenDisplayWeb.Shared.Pixels;

namespace XenDisplayWeb.Benchmarks;

/// <summary>Through the whole stack: xen-front model, ring, backend, grant mapping, a display sink that does nothing.</summary>
internal static class DbufBenchmark
{
    public static void Run()
    {
        using var bench = new BenchGuest();
        var (dev, conn) = (bench.Device, bench.Connector);

        // Create and map a 1920x1080x32 frontend-allocated dbuf (2025 data pages, 2 directory pages), then destroy it.
        var create = new List<double>();
        for (int i = 0; i < 220; i++)
        {
            long s = Stopwatch.GetTimestamp();
            var dumb = dev.CreateDumbAsync(1920, 1080, 32).GetAwaiter().GetResult();
            double us = Stopwatch.GetElapsedTime(s).TotalMicroseconds;
            if (i >= 20) create.Add(us);
            dev.DestroyDumbAsync(dumb).GetAwaiter().GetResult();
        }
        var c = create.Order().ToArray();
        Console.WriteLine($"dbuf_create_1080p_p50_ms={c[c.Length / 2] / 1000:F3} dbuf_create_1080p_p99_ms={Stats.Percentile(c, 0.99) / 1000:F3} (frontend-allocated, 2027 grants mapped)");

        // Page flip to frame-done event with a sink that does nothing.
        var fbs = new[] { dev.AddFbAsync(dev.CreateDumbAsync(1920, 1080, 32).Result, PixelFormat.Xrgb8888).Result,
                          dev.AddFbAsync(dev.CreateDumbAsync(1920, 1080, 32).Result, PixelFormat.Xrgb8888).Result };
        if (dev.SetModeAsync(conn, fbs[0]).Result != 0) throw new InvalidOperationException("SET_CONFIG failed");
        var flips = new List<double>();
        for (int i = 0; i < 22_000; i++)
        {
            long s = Stopwatch.GetTimestamp();
            var r = dev.PageFlipAsync(conn, fbs[i & 1]).GetAwaiter().GetResult();
            double us = Stopwatch.GetElapsedTime(s).TotalMicroseconds;
            if (r.Status != 0 || r.TimedOut) throw new InvalidOperationException($"flip failed: {r}");
            if (i >= 2000) flips.Add(us);
        }
        var f = flips.Order().ToArray();
        Console.WriteLine($"flip_to_frame_done_p50_us={Stats.Us(f[f.Length / 2])} flip_to_frame_done_p99_us={Stats.Us(Stats.Percentile(f, 0.99))} (null sink)");
    }
}
