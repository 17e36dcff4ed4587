using System.Diagnostics;
using XenDisplayWeb.Server.Streaming;

namespace XenDisplayWeb.Benchmarks;

/// <summary>The server's box scaler on a whole 1080p picture (every pixel changed, as with the motion workload).</summary>
public static class ScalerBenchmark
{
    public static void Run(int pictures)
    {
        var source = new byte[1920 * 1080 * 4];
        new Random(1).NextBytes(source);
        foreach (var (w, h) in new[] { (384, 216), (320, 180), (960, 540) })
        {
            var scaler = new BoxScaler(1920, 1080, w, h);
            var scaled = new byte[w * h * 4];
            var all = new PixelRect(0, 0, w, h);
            for (int i = 0; i < 20; i++) scaler.Scale(source, scaled, all);
            var ms = new double[pictures];
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            for (int i = 0; i < pictures; i++)
            {
                long start = Stopwatch.GetTimestamp();
                scaler.Scale(source, scaled, all);
                ms[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
            double cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / pictures;
            Array.Sort(ms);
            // The process's CPU a picture holds up on a busy machine, where wall time counts the waits for a core.
            Console.WriteLine($"scale 1920x1080 to {w}x{h} cpu_ms={cpuMs:F3} wall_p50_ms={ms[pictures / 2]:F3} wall_p99_ms={ms[(int)(pictures * 0.99)]:F3} ({pictures} pictures, one thread)");
        }
    }
}
