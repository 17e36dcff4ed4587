using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using XenDisplayWeb.Server.Streaming;
using XenDisplayWeb.Server.Streaming.Video;

namespace XenDisplayWeb.Benchmarks.Browser;

/// <summary>
/// What H.264 can do on the <c>motion</c> content itself, beside the page's <c>psnr_db</c>: consecutive frames
/// of the motion renderer at 60 fps, encoded by the project's own <see cref="X264EncoderFactory"/> at the stream's
/// bitrate and at the wire budget, and by ffmpeg's libx264 at its slower <c>medium</c> preset within the budget
/// (the codec's ceiling there, not something the server could run live); each stream decoded by ffmpeg and every
/// decoded frame compared with its source by <see cref="PictureQuality"/>'s PSNR, over the same pixels as the
/// reference line (the strip's rows left out; nothing lies over these pictures, so no overlay).
/// </summary>
public static class H264Ceiling
{
    public const int Frames = 120, FramesPerSecond = 60;

    /// <summary>The target's wire budget, 1.5 MB/s.</summary>
    public const int BudgetKbps = 12_000;

    /// <summary>The <c>psnr_db ceiling:</c> line for <see cref="Frames"/> frames from <paramref name="first"/>.</summary>
    public static async Task<string> MeasureAsync(uint first, int width, int height)
    {
        if (Ffmpeg.Find() is not { } ffmpeg) return "psnr_db ceiling: not measured (ffmpeg not found)";

        var streaming = new StreamingOptions();
        int streamKbps = streaming.VideoBitrateFor(width, height);
        var factory = new X264EncoderFactory(NullLogger<X264EncoderFactory>.Instance);
        var tuning = new X264Tuning();
        var counted = PictureQuality.Counted(width, height, []);
        string folder = Path.Combine(AppContext.BaseDirectory, "h264-ceiling", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var parts = new List<string>();
            foreach (int kbps in new[] { streamKbps, BudgetKbps }.Distinct())
            {
                string name = $"the project's X264EncoderFactory ({tuning.Preset}, CRF {tuning.Crf}, VBV {tuning.VbvFrames} frames) at {kbps} kbit/s" +
                    (kbps == streamKbps ? $" (the stream's for {width}x{height})" : " (the wire budget)");
                parts.Add(factory.Available
                    ? await MeasureSettingAsync(name, Path.Combine(folder, $"x264-{kbps}.h264"),
                        file => EncodeWithFactoryAsync(factory, file, first, width, height, kbps), ffmpeg, first, width, height, counted)
                    : $"{name}: not measured ({factory.UnavailableReason})");
            }
            parts.Add(await MeasureSettingAsync($"ffmpeg libx264 -preset medium -tune zerolatency -bf 0 at {BudgetKbps} kbit/s (b:v = maxrate = bufsize), 4:2:0, the codec's ceiling",
                Path.Combine(folder, "ffmpeg-medium.h264"), file => EncodeWithFfmpegAsync(ffmpeg, file, first, width, height, Medium, "yuv420p"), ffmpeg, first, width, height, counted));
            parts.Add(await MeasureSettingAsync("ffmpeg libx264 -qp 0 (lossless coding, no budget: what the BT.601 4:2:0 conversion alone loses)",
                Path.Combine(folder, "ffmpeg-lossless.h264"), file => EncodeWithFfmpegAsync(ffmpeg, file, first, width, height, Lossless, "yuv420p"), ffmpeg, first, width, height, counted));
            // Not a picture a browser is given (4:4:4 is outside the profiles the page asks for): the floor of this measure itself.
            parts.Add(await MeasureSettingAsync("ffmpeg libx264 -qp 0 at 4:4:4 (the colour conversion's rounding alone)",
                Path.Combine(folder, "ffmpeg-lossless-444.h264"), file => EncodeWithFfmpegAsync(ffmpeg, file, first, width, height, Lossless, "yuv444p"), ffmpeg, first, width, height, counted));
            return $"psnr_db ceiling: motion frames {first}-{first + Frames - 1} at {width}x{height}, {FramesPerSecond} fps, encoded here, decoded by ffmpeg, " +
                $"each decoded frame against its source (RGB, the strip's top {PictureQuality.ExcludedTopRows} rows left out, as the reference line): {string.Join("; ", parts)}";
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<string> MeasureSettingAsync(string name, string file, Func<string, Task> encode, string ffmpeg,
        uint first, int width, int height, bool[] counted)
    {
        try
        {
            await encode(file);
            double bytesPerSecond = new FileInfo(file).Length / ((double)Frames / FramesPerSecond);
            var db = (await DecodeAndCompareAsync(ffmpeg, file, first, width, height, counted)).Order().ToList();
            if (db.Count == 0) return $"{name}: ffmpeg decoded no frame";
            string count = db.Count == Frames ? "" : $" (only {db.Count} of {Frames} frames decoded)";
            return $"{name}: median {db[db.Count / 2]:0.00}, min {db[0]:0.00} dB, {bytesPerSecond / 1e6:0.00} MB/s{count}";
        }
        catch (InvalidOperationException e)
        {
            return $"{name}: not measured ({e.Message})";
        }
    }

    private static async Task EncodeWithFactoryAsync(X264EncoderFactory factory, string file, uint first, int width, int height, int kbps)
    {
        await using var output = File.Create(file);
        using var encoder = factory.Create(width, height, FramesPerSecond, kbps);
        for (int i = 0; i < Frames; i++)
            await output.WriteAsync(encoder.Encode(PictureQuality.Render((uint)(first + i), width, height), width * 4, forceKey: i == 0).Data);
    }

    private static readonly string BudgetBits = (BudgetKbps * 1000).ToString(CultureInfo.InvariantCulture);

    private static readonly string[] Medium =
        ["-preset", "medium", "-tune", "zerolatency", "-bf", "0", "-b:v", BudgetBits, "-maxrate", BudgetBits, "-bufsize", BudgetBits];

    private static readonly string[] Lossless = ["-preset", "ultrafast", "-qp", "0"];

    private static Task EncodeWithFfmpegAsync(string ffmpeg, string file, uint first, int width, int height, string[] x264, string pixelFormat)
    {
        // BT.601 limited range, as the project's encoder converts and declares.
        return Ffmpeg.RunAsync(ffmpeg,
            ["-f", "rawvideo", "-pix_fmt", "bgr0", "-s", $"{width}x{height}", "-r", $"{FramesPerSecond}", "-i", "-", "-c:v", "libx264", .. x264,
             "-pix_fmt", pixelFormat, "-color_range", "tv", "-colorspace", "smpte170m", "-f", "h264", "-y", file],
            async input =>
            {
                for (int i = 0; i < Frames; i++) await input.WriteAsync(PictureQuality.Render((uint)(first + i), width, height));
            },
            read: null);
    }

    /// <summary>PSNR of each frame ffmpeg decodes from <paramref name="file"/> against the source frame of the same position.</summary>
    private static async Task<List<double>> DecodeAndCompareAsync(string ffmpeg, string file, uint first, int width, int height, bool[] counted)
    {
        var db = new List<double>();
        // RGBA, the byte order PictureQuality's PSNR takes for the picture shown.
        await Ffmpeg.RunAsync(ffmpeg, ["-f", "h264", "-i", file, "-f", "rawvideo", "-pix_fmt", "rgba", "-"], feed: null, async output =>
        {
            var rgba = new byte[width * height * 4];
            while (await output.ReadAtLeastAsync(rgba, rgba.Length, throwOnEndOfStream: false) is var n && n > 0)
            {
                if (n != rgba.Length) throw new InvalidOperationException($"ffmpeg's output ended inside frame {db.Count}");
                db.Add(PictureQuality.Psnr(rgba, width, height, PictureQuality.Render((uint)(first + db.Count), width, height), counted));
            }
        });
        return db;
    }
}
