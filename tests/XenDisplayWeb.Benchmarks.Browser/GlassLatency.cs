using System.Text.Json;
using Microsoft.Playwright;
using XenDisplayWeb.EndToEnd.Screen;
using XenDisplayWeb.Shared.Workloads;

namespace XenDisplayWeb.Benchmarks.Browser;

/// <summary>
/// Flip-to-glass latency read off the screen: small lossless screenshots (DevTools <c>Page.captureScreenshot</c>
/// clipped to the measurement strip only), one after the other, each read for the frame number and the time the
/// guest drew that frame, compared with the wall clock when the screenshot was asked for. A frame counts once, at
/// the first screenshot that shows it.
/// </summary>
/// <remarks>
/// The screenshot's own delay is the error. Chromium serves a screenshot from a frame it draws after the request
/// arrives and replies once that frame is read back and encoded, so the picture shows the glass at some moment
/// between asking and the reply. Latency is taken against the reply (it can only read high, never low, by the
/// part of the round trip after the picture was taken); a frame counts at the first screenshot that shows it, so
/// it also reads high by up to one screenshot interval (printed). <see cref="Calibration"/> measures the error
/// on a page that stamps the strip with its own clock at each animation frame, content with no latency to speak
/// of: its reading is this instrument's floor (and how far before the reply the picture was taken).
/// </remarks>
public static class GlassLatency
{
    /// <summary>Screenshots the strip of an element drawn at <paramref name="scale"/> with its top-left at (left, top), for <paramref name="duration"/>.</summary>
    public static async Task<LatencyResult> MeasureAsync(ICDPSession cdp, double left, double top, double scale, TimeSpan duration)
    {
        var clip = new Dictionary<string, object>
        {
            ["x"] = left, ["y"] = top, ["width"] = Math.Ceiling(MeasurementStrip.Width * scale), ["height"] = Math.Ceiling(MeasurementStrip.Height * scale), ["scale"] = 1,
        };
        var seen = new HashSet<uint>();
        var latencies = new List<double>();
        var sinceAsked = new List<double>();
        int shots = 0, unreadable = 0;
        var started = DateTimeOffset.UtcNow;
        while (DateTimeOffset.UtcNow - started < duration)
        {
            long askedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var reply = await cdp.SendAsync("Page.captureScreenshot", new Dictionary<string, object>
            {
                ["format"] = "png", ["clip"] = clip, ["captureBeyondViewport"] = false,
            }) ?? throw new InvalidOperationException("Page.captureScreenshot returned nothing");
            shots++;
            var (rgba, w, h) = PngDecoder.Decode(Convert.FromBase64String(reply.GetProperty("data").GetString()!));
            if (!StripSampler.TryRead(rgba, w, h, 0, 0, scale, out uint seq, out uint low32)) { unreadable++; continue; }
            long repliedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            long flipMs = MeasurementStrip.FlipTimeMsFromLow32(low32, repliedMs);
            double latency = repliedMs - flipMs;
            if (latency is < 0 or > 10_000) { unreadable++; continue; }
            if (seen.Add(seq)) { latencies.Add(latency); sinceAsked.Add(askedMs - flipMs); }
        }
        double elapsedMs = (DateTimeOffset.UtcNow - started).TotalMilliseconds;
        return new LatencyResult(latencies, sinceAsked, shots, unreadable, shots == 0 ? double.NaN : elapsedMs / shots);
    }
}

/// <summary>
/// Latencies of distinct frames (ms, guest flip to the screenshot's reply) and the same against the moment the
/// screenshot was asked for, from <paramref name="Shots"/> screenshots taken every <paramref name="IntervalMs"/> on average.
/// </summary>
public sealed record LatencyResult(IReadOnlyList<double> Latencies, IReadOnlyList<double> SinceAsked, int Shots, int Unreadable, double IntervalMs)
{
    public double Percentile(double q) => Percentile(Latencies, q);

    public static double Percentile(IReadOnlyList<double> values, double q)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];
    }
}
