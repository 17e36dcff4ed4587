using System.Diagnostics;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Rings;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Benchmarks;

/// <summary>
/// The request ring round trip, measured as ../shared/bench/ringref.c measures it with the C macros:
/// a frontend thread sends one PG_FLIP at a time, a backend thread answers, notifications go through
/// the simulated event channels, and the ring's notify hold-off is honoured on both sides.
/// </summary>
internal static class RingBenchmark
{
    public static void Run(int n, bool withRef)
    {
        foreach (var (label, spin) in new[] { ("block", 0.0), ("spin20us", 20.0) })
        {
            var (p50, p99, ops) = Measure(n, TimeSpan.FromMicroseconds(spin));
            Console.WriteLine($"ring mode={label} ring_roundtrip_p50_us={Stats.Us(p50)} ring_roundtrip_p99_us={Stats.Us(p99)} ring_ops_per_s={ops:F0}");
            if (withRef) RunReference(n, spin, label);
        }
    }

    private static (double P50, double P99, double Ops) Measure(int n, TimeSpan spin)
    {
        using var host = new SimXenHost();
        var guest = host.CreateDomain(1, "bench");
        var frontPort = guest.Evtchn.AllocUnbound(0);
        var backPort = host.Dom0.Evtchn.BindInterdomain(1, frontPort.Port);
        var page = guest.Memory.AllocatePage();
        var front = FrontRing.Init(page.Array, page.Offset);
        var back = new BackRing(page.Array, page.Offset);
        int warm = Math.Min(20_000, n / 5);
        int total = n + warm;

        var backend = new Thread(() =>
        {
            Span<byte> req = stackalloc byte[64];
            uint seen = backPort.Signal.Sequence;
            int done = 0;
            while (done < total)
            {
                if (!back.FinalCheckForRequests(out uint prod)) { backPort.Signal.Wait(ref seen, spin); continue; }
                while (back.UnconsumedRequests(prod) > 0)
                {
                    back.CopyRequest(req);
                    new DisplifResponse(PacketHeader.Id(req), PacketHeader.Operation(req), 0).WriteTo(back.NextResponseSlot());
                    back.ProduceResponse();
                    if (back.PushResponsesAndCheckNotify()) backPort.Notify();
                    done++;
                }
            }
        }) { IsBackground = true, Name = "bench-backend" };
        backend.Start();

        var lat = new double[n];
        uint fseen = frontPort.Signal.Sequence;
        long t0 = 0;
        for (int i = 0; i < total; i++)
        {
            if (i == warm) t0 = Stopwatch.GetTimestamp();
            long s = Stopwatch.GetTimestamp();
            new PgFlipRequest(42).WriteTo(front.NextRequestSlot(), (ushort)i);
            front.ProduceRequest();
            if (front.PushRequestsAndCheckNotify()) frontPort.Notify();
            while (!front.FinalCheckForResponses()) frontPort.Signal.Wait(ref fseen, spin);
            var rsp = DisplifResponse.Read(front.NextResponseSlot());
            if (rsp.Id != (ushort)i || rsp.Status != 0) throw new InvalidOperationException("bad response");
            front.ConsumeResponse();
            if (i >= warm) lat[i - warm] = Stopwatch.GetElapsedTime(s).TotalMicroseconds;
        }
        double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        backend.Join();
        Array.Sort(lat);
        return (Stats.Percentile(lat, 0.5), Stats.Percentile(lat, 0.99), n / seconds);
    }

    private static void RunReference(int n, double spinUs, string label)
    {
        string? script = FindReference();
        if (script is null) { Console.WriteLine("ringref: ../shared/bench/ringref.sh not found next to the repository"); return; }
        var psi = new ProcessStartInfo("bash", [script, n.ToString(), spinUs.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd().Trim();
        string err = p.StandardError.ReadToEnd().Trim();
        p.WaitForExit();
        Console.WriteLine(p.ExitCode == 0 ? $"ringref mode={label} {output}" : $"ringref mode={label} failed: {err}");
    }

    private static string? FindReference()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "..", "shared", "bench", "ringref.sh");
            if (File.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "XenDisplayWeb.sln"))) return Path.GetFullPath(candidate);
        }
        return null;
    }
}
