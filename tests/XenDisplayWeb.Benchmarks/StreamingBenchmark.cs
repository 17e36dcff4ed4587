using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Server.Streaming;
using XenDisplayWeb.Shared.Backend;
using XenDisplayWeb.Shared.Host;

namespace XenDisplayWeb.Benchmarks;

/// <summary>
/// Frame streaming at 1920x1080 on a simulated guest flipping at 60 Hz, with in-process viewers that ack
/// each frame as soon as it is sent: frames a second, CPU (whole process, and above a run with a sink
/// that does nothing), bytes and encode time per codec; one viewer against four.
/// </summary>
internal static class StreamingBenchmark
{
    public static void Run(double seconds)
    {
        Console.WriteLine($"# streaming 1920x1080, guest at 60 fps, {seconds:F0} s a run, viewers ack at once");
        // A discarded run per workload first, so the first measured run does not pay for JIT tiering.
        foreach (var workload in new[] { "desktop", "motion" }) Measure(workload, 1, 1);
        foreach (var workload in new[] { "desktop", "motion" })
        {
            var baseline = Measure(workload, 0, seconds);
            var one = Measure(workload, 1, seconds);
            var four = Measure(workload, 4, seconds);
            Print(workload, 0, baseline, baseline);
            Print(workload, 1, one, baseline);
            Print(workload, 4, four, baseline);
            double ratio = (four.Cores - baseline.Cores) / Math.Max(1e-6, one.Cores - baseline.Cores);
            Console.WriteLine($"streaming workload={workload} four_vs_one_streaming_cpu_ratio={F(ratio)} four_vs_one_process_cpu_ratio={F(four.Cores / one.Cores)}");
        }
    }

    private sealed record Result(double GuestFps, double SentFps, double NewPictureFps, double Cores, double BytesPerFrame, long Dropped,
        long PngEncodes, double PngMs, long JpegEncodes, double JpegMs, double Seconds);

    private static void Print(string workload, int viewers, Result r, Result baseline)
    {
        double streamingCores = r.Cores - baseline.Cores;
        string perFrame = r.SentFps > 0 ? F(r.Cores * 1000 / r.SentFps) : "-";
        string streamingPerFrame = r.SentFps > 0 ? F(streamingCores * 1000 / r.SentFps) : "-";
        Console.WriteLine(string.Join(' ',
            "streaming", $"workload={workload}", $"viewers={viewers}{(viewers == 0 ? "(null-sink)" : "")}",
            $"guest_fps={F(r.GuestFps)}", $"null_sink_guest_fps={F(baseline.GuestFps)}", $"sent_fps_per_viewer={F(r.SentFps)}",
            $"new_picture_fps_per_viewer={F(r.NewPictureFps)}",
            $"process_cores={F(r.Cores)}", $"streaming_cores={F(streamingCores)}",
            $"process_cpu_ms_per_frame={perFrame}", $"streaming_cpu_ms_per_frame={streamingPerFrame}",
            $"bytes_per_frame={r.BytesPerFrame:F0}", $"dropped={r.Dropped}",
            $"png_encodes={r.PngEncodes} png_ms_avg={(r.PngEncodes > 0 ? F(r.PngMs / r.PngEncodes) : "-")}",
            $"jpeg_encodes={r.JpegEncodes} jpeg_ms_avg={(r.JpegEncodes > 0 ? F(r.JpegMs / r.JpegEncodes) : "-")}"));
    }

    private static string F(double v) => v.ToString("F3", CultureInfo.InvariantCulture);

    private static Result Measure(string workload, int viewers, double seconds)
    {
        var sender = new AckingSender();
        using var registry = new FrameStreamRegistry(Options.Create(new StreamingOptions()), sender, TimeProvider.System, NullLoggerFactory.Instance);
        sender.Registry = registry;
        IDisplaySinkFactory sinks = viewers > 0 ? registry : new CountingSinkFactory();
        using var system = new SimulatedSystem(sinks);
        system.StartGuest(new GuestSpec(1, "bench", false, [new GuestConnector(1920, 1080, "bench-0", workload, 60)]));
        var compositor = system.Guest(1)!.Compositor;

        ConnectorStream? stream = null;
        var wait = Stopwatch.StartNew();
        while (compositor.Stats(0).Flips < 5)
        {
            if (wait.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException("the guest does not flip");
            Thread.Sleep(10);
        }
        if (viewers > 0)
        {
            stream = registry.Find(1, 0) ?? throw new InvalidOperationException("no stream for 1/0");
            for (int v = 0; v < viewers; v++) stream.AddViewer($"viewer{v}");
        }
        Thread.Sleep(1000); // warm up: full frames, JIT, steady state

        var proc = Process.GetCurrentProcess();
        stream?.TakeStats();
        var totals0 = stream?.Totals ?? default;
        long flips0 = compositor.Stats(0).Flips;
        var (frames0, bytes0, pictures0) = sender.Counts("viewer0");
        proc.Refresh();
        var cpu0 = proc.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        proc.Refresh();
        double cpu = (proc.TotalProcessorTime - cpu0).TotalSeconds, elapsed = wall.Elapsed.TotalSeconds;
        long flips = compositor.Stats(0).Flips - flips0;
        var (frames1, bytes1, pictures1) = sender.Counts("viewer0");
        var stats = stream?.TakeStats();
        var totals1 = stream?.Totals ?? default;
        long frames = frames1 - frames0;
        return new Result(flips / elapsed, frames / elapsed, (pictures1 - pictures0) / elapsed, cpu / elapsed, frames > 0 ? (double)(bytes1 - bytes0) / frames : 0,
            stats?.Dropped ?? 0,
            totals1.Png.Encodes - totals0.Png.Encodes, totals1.Png.Ms - totals0.Png.Ms,
            totals1.Jpeg.Encodes - totals0.Jpeg.Encodes, totals1.Jpeg.Ms - totals0.Jpeg.Ms, elapsed);
    }

    /// <summary>
    /// Viewers in the process: each frame is acked from the thread pool as soon as it is sent. Counts
    /// frames, bytes, and frames carrying a guest frame newer than the last one sent (a lossless refresh
    /// of a still picture is a frame but no new picture).
    /// </summary>
    private sealed class AckingSender : IFrameSender
    {
        private readonly Dictionary<string, (long Frames, long Bytes, long Pictures, long LastGuestFrame)> _counts = [];
        public FrameStreamRegistry? Registry { get; set; }

        public void SendFrame(string connectionId, FrameMessage frame)
        {
            long bytes = frame.Rects.Sum(r => (long)r.Data.Length);
            lock (_counts)
            {
                var c = _counts.GetValueOrDefault(connectionId);
                bool newPicture = frame.GuestFrame > c.LastGuestFrame;
                _counts[connectionId] = (c.Frames + 1, c.Bytes + bytes, c.Pictures + (newPicture ? 1 : 0), Math.Max(c.LastGuestFrame, frame.GuestFrame));
            }
            ThreadPool.UnsafeQueueUserWorkItem(_ => Registry?.Find(frame.DomId, frame.Index)?.Ack(connectionId, frame.Id), null);
        }

        public void SendBlank(string connectionId, BlankMessage blank) { }

        public (long Frames, long Bytes, long Pictures) Counts(string connectionId)
        {
            lock (_counts)
            {
                var c = _counts.GetValueOrDefault(connectionId);
                return (c.Frames, c.Bytes, c.Pictures);
            }
        }
    }

    /// <summary>The baseline: a sink that does nothing, so the guest and backend alone.</summary>
    private sealed class CountingSinkFactory : IDisplaySinkFactory
    {
        public IDisplaySink Create(ConnectorKey connector, int width, int height) => NullDisplaySink.Instance;
    }
}
