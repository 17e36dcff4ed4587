using System.Diagnostics;
using System.Globalization;
using XenDisplayWeb.Shared.Pixels;
using XenDisplayWeb.Shared.Transports.Ctb;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Benchmarks;

/// <summary>
/// Zero copy against copy (CPU per shown 1920x1080 XRGB8888 frame, the whole stack, a sink that does
/// nothing: the difference is the backend's copy), and a request's round trip over a CTB (blocking and
/// spinning host) beside the ring's.
/// </summary>
internal static class ZeroCopyCtbBenchmark
{
    public static void Run(int frames, int roundTrips)
    {
        var bench = new BenchGuest();
        var (dev, conn) = (bench.Device, bench.Connector);
        var dumbs = new[] { dev.CreateDumbAsync(1920, 1080, 32).GetAwaiter().GetResult(), dev.CreateDumbAsync(1920, 1080, 32).GetAwaiter().GetResult() };
        var fbs = dumbs.Select(d => dev.AddFbAsync(d, PixelFormat.Xrgb8888).GetAwaiter().GetResult()).ToArray();
        dev.SetModeAsync(conn, fbs[0]).GetAwaiter().GetResult();

        foreach (bool zeroCopy in new[] { true, false, true, false })
        {
            bench.Backend.SetZeroCopy(1, zeroCopy);
            for (int i = 0; i < 20; i++) dev.PageFlipAsync(conn, fbs[i & 1]).GetAwaiter().GetResult();
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < frames; i++) dev.PageFlipAsync(conn, fbs[i & 1]).GetAwaiter().GetResult();
            double wall = Stopwatch.GetElapsedTime(t0).TotalMicroseconds / frames;
            double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMicroseconds / frames;
            Console.WriteLine($"frame mode={(zeroCopy ? "zerocopy" : "copy")} cpu_per_frame_us={F(cpu)} wall_per_frame_us={F(wall)} (1920x1080 XRGB8888, {frames} flips, null sink)");
        }
        bench.Dispose();

        foreach (var (label, spin) in new[] { ("block", 0.0), ("spin20us", 20.0) })
        {
            var (p50, p99, ops) = MeasureCtb(roundTrips, TimeSpan.FromMicroseconds(spin));
            Console.WriteLine($"ctb mode={label} ctb_roundtrip_p50_us={Stats.Us(p50)} ctb_roundtrip_p99_us={Stats.Us(p99)} ctb_ops_per_s={ops:F0}");
        }
    }

    private static string F(double v) => v.ToString("F1", CultureInfo.InvariantCulture);

    /// <summary>One 14-dword displif body at a time: the guest spins 5 us then polls the fence; the host blocks (or spins first) on the event channel.</summary>
    private static (double P50, double P99, double Ops) MeasureCtb(int n, TimeSpan spin)
    {
        using var host = new SimXenHost();
        var guest = host.CreateDomain(1, "bench");
        var frontPort = guest.Evtchn.AllocUnbound(0);
        var backPort = host.Dom0.Evtchn.BindInterdomain(1, frontPort.Port);
        var page = guest.Memory.AllocatePage();
        Ctb.Init(page.Array, page.Offset);
        var sender = new CtbSender(page.Array, page.Offset, frontPort.Notify) { PollTimeout = TimeSpan.FromSeconds(1) };
        var receiver = new CtbReceiver(page.Array, page.Offset);
        int warm = Math.Min(20_000, n / 5), total = n + warm;
        var hostThread = new Thread(() =>
        {
            Span<uint> data = stackalloc uint[Ctb.MaxLen];
            uint seen = backPort.Signal.Sequence;
            int done = 0;
            while (done < total)
            {
                var r = receiver.TryRead(data, out var msg, out _);
                if (r == CtbReadResult.Empty) { backPort.Signal.Wait(ref seen, spin); continue; }
                if (r == CtbReadResult.Malformed) throw new InvalidOperationException("malformed");
                receiver.Complete(msg, 0);
                done++;
            }
        }) { IsBackground = true, Name = "bench-ctb-host" };
        hostThread.Start();
        var body = new uint[CtbDisplif.BodyDwords];
        var lat = new double[n];
        long t0 = 0;
        for (int i = 0; i < total; i++)
        {
            if (i == warm) t0 = Stopwatch.GetTimestamp();
            long s = Stopwatch.GetTimestamp();
            if (sender.Send(0x15, body, out _) != 0) throw new InvalidOperationException("CTB send failed");
            if (i >= warm) lat[i - warm] = Stopwatch.GetElapsedTime(s).TotalMicroseconds;
        }
        double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        hostThread.Join();
        Array.Sort(lat);
        return (Stats.Percentile(lat, 0.5), Stats.Percentile(lat, 0.99), n / seconds);
    }
}
