using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using XenDisplayWeb.Server.Streaming.Video;
using XenDisplayWeb.Shared.Workloads;

namespace XenDisplayWeb.Benchmarks;

/// <summary>
/// H.264 over libx264 for a 1920x1080 stream at 60 fps and 8 Mbit/s: BGRX to I420 time, encode time (the
/// whole <see cref="IVideoEncoder.Encode"/>, conversion included), CPU cores it keeps busy at 60 fps, bytes a
/// frame, and the PSNR of what ffmpeg decodes against the source pictures, for a few x264 tunings.
/// </summary>
internal static class VideoBenchmark
{
    private const int Width = 1920, Height = 1080, Fps = 60, Kbps = 8000, Stride = Width * 4;

    public static void Run(int frames, string workload)
    {
        var factory = new X264EncoderFactory(NullLogger<X264EncoderFactory>.Instance);
        if (!factory.Available) { Console.WriteLine($"video unavailable: {factory.UnavailableReason}"); return; }
        string dir = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "video-bench")).FullName;

        MeasureConvert(frames, workload);
        double renderCpuMs = RenderCpuMs(frames, workload);
        X264Tuning[] tunings =
        [
            new(), // the default
            new() { Threads = 1 },
            new() { VbvFrames = 2 },
            new() { Preset = "superfast" },
        ];
        foreach (var tuning in tunings)
            MeasureEncode(new X264EncoderFactory(NullLogger<X264EncoderFactory>.Instance, tuning: tuning), tuning, frames, workload, renderCpuMs, dir);
    }

    private static IWorkloadRenderer Renderer(string workload) => WorkloadRenderers.Create(workload, Width, Height);

    private static void Render(IWorkloadRenderer renderer, byte[] buffer, int n) =>
        renderer.Render(new FrameTarget(buffer, Width, Height, Stride), (uint)n, n * 1000L / Fps);

    private static void MeasureConvert(int frames, string workload)
    {
        var renderer = Renderer(workload);
        var bgrx = new byte[Stride * Height];
        var (y, u, v) = (new byte[Width * Height], new byte[Width * Height / 4], new byte[Width * Height / 4]);
        var ms = new double[frames];
        for (int n = 0; n < frames; n++)
        {
            Render(renderer, bgrx, n);
            long t0 = Stopwatch.GetTimestamp();
            I420Converter.Convert(bgrx, Stride, Width, Height, y, u, v);
            ms[n] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
        Array.Sort(ms);
        Console.WriteLine($"video convert {Width}x{Height} BGRX->I420 convert_ms_p50={F(Stats.Percentile(ms, 0.5))} convert_ms_p95={F(Stats.Percentile(ms, 0.95))}");
    }

    private static double RenderCpuMs(int frames, string workload)
    {
        var renderer = Renderer(workload);
        var bgrx = new byte[Stride * Height];
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        for (int n = 0; n < frames; n++) Render(renderer, bgrx, n);
        return (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds / frames;
    }

    private static void MeasureEncode(X264EncoderFactory factory, X264Tuning tuning, int frames, string workload, double renderCpuMs, string dir)
    {
        var renderer = Renderer(workload);
        var bgrx = new byte[Stride * Height];
        var ms = new double[frames];
        long bytes = 0, keyBytes = 0;
        string file = Path.Combine(dir, $"{workload}-{tuning.Preset}-t{tuning.Threads}-crf{tuning.Crf}-vbv{tuning.VbvFrames}.h264");
        string codec;
        TimeSpan cpu;
        using (var stream = File.Create(file))
        using (var encoder = factory.Create(Width, Height, Fps, Kbps))
        {
            codec = encoder.Codec;
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            for (int n = 0; n < frames; n++)
            {
                Render(renderer, bgrx, n);
                long t0 = Stopwatch.GetTimestamp();
                var frame = encoder.Encode(bgrx, Stride, forceKey: false);
                ms[n] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                if (n == 0) keyBytes = frame.Data.Length; else bytes += frame.Data.Length;
                stream.Write(frame.Data);
            }
            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
        }
        double cpuMs = cpu.TotalMilliseconds / frames - renderCpuMs;
        var (psnr, psnrAfterFirstSecond) = Psnr(file, frames, workload);
        Array.Sort(ms);
        Console.WriteLine($"video encode {Width}x{Height}@{Fps} {Kbps}kbit/s workload={workload} preset={tuning.Preset} threads={tuning.Threads} crf={F(tuning.Crf)} vbv_frames={F(tuning.VbvFrames)} codec={codec} " +
            $"encode_ms_p50={F(Stats.Percentile(ms, 0.5))} encode_ms_p95={F(Stats.Percentile(ms, 0.95))} cpu_ms_per_frame={F(cpuMs)} cores_at_60fps={F(cpuMs * Fps / 1000)} " +
            $"key_frame_bytes={keyBytes} bytes_per_frame={bytes / Math.Max(1, frames - 1)} kbit_s={F(bytes * 8.0 * Fps / Math.Max(1, frames - 1) / 1000)} " +
            $"psnr_db={F(psnr)} psnr_db_after_1s={F(psnrAfterFirstSecond)} ({frames} frames, encode includes convert, render CPU subtracted)");
    }

    /// <summary>PSNR over B, G and R of every decoded frame, and of those after the first second.</summary>
    private static (double All, double AfterFirstSecond) Psnr(string file, int frames, string workload)
    {
        var psi = new ProcessStartInfo("ffmpeg", ["-v", "error", "-nostdin", "-f", "h264", "-i", file, "-f", "rawvideo", "-pix_fmt", "bgr0", "-"])
        { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var renderer = Renderer(workload);
        var source = new byte[Stride * Height];
        var decoded = new byte[Stride * Height];
        double all = 0, late = 0;
        long allSamples = 0, lateSamples = 0;
        int n = 0;
        while (p.StandardOutput.BaseStream.ReadAtLeast(decoded, decoded.Length, throwOnEndOfStream: false) == decoded.Length)
        {
            Render(renderer, source, n);
            double e = 0;
            for (int i = 0; i < source.Length; i++)
            {
                if ((i & 3) == 3) continue;
                int d = source[i] - decoded[i];
                e += d * d;
            }
            all += e; allSamples += Width * Height * 3;
            if (n >= Fps) { late += e; lateSamples += Width * Height * 3; }
            n++;
        }
        p.WaitForExit();
        if (p.ExitCode != 0 || n != frames) throw new InvalidOperationException($"ffmpeg decoded {n} of {frames} frames ({p.ExitCode}): {stderr.Result}");
        static double Db(double e, long samples) => samples == 0 ? double.NaN : 10 * Math.Log10(255.0 * 255.0 * samples / e);
        return (Db(all, allSamples), Db(late, lateSamples));
    }

    private static string F(double v) => v.ToString("F2", CultureInfo.InvariantCulture);
}
