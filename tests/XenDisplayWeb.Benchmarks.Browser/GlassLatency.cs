using Microsoft.Playwright;

namespace XenDisplayWeb.Benchmarks.Browser;

/// <summary>
/// Flip-to-glass latency read off the screen: small lossless screenshots (DevTools <c>Page.captureScreenshot</c>
/// clipped to the measurement strip only), one after the other, each read for the frame number and the time the
/// guest drew that frame, compared with the wall clock around the screenshot. A frame counts once, at the first
/// screenshot that shows it.
/// </summary>
/// <remarks>
/// The screenshot's own delay is the error: Chromium serves a screenshot from a frame it draws after the request
/// arrives and replies once that frame is read back and encoded, so the picture shows the glass at some moment
/// between asking and the reply, and a frame is first seen up to one screenshot later than it reached the glass.
/// Both are bounded rather than guessed. A frame first seen in screenshot k reached the glass after screenshot
/// k-1 was asked for (k-1 still showed an older frame) and before k's reply: its latency lies between those two
/// clock readings less the guest's flip time, and so does each percentile. The figure given is the middle of the
/// two replies (k-1's and k's) less the flip time: a screenshot's picture is taken shortly before its reply (how
/// shortly, <see cref="Calibration"/> measures on a page that stamps the strip with its own clock at each
/// animation frame, content with no latency to speak of), and the frame arrived somewhere between the two
/// pictures, so the figure is off by up to half a screenshot interval either way, less on average.
/// </remarks>
public static class GlassLatency
{
    /// <summary>Screenshots the strip of an element drawn at <paramref name="scale"/> with its top-left at (left, top), for <paramref name="duration"/>.</summary>
    public static async Task<LatencyResult> MeasureAsync(ICDPSession cdp, double left, double top, double scale, TimeSpan duration)
    {
        var camera = new StripCamera(cdp, left, top, scale);
        var seen = new HashSet<uint>();
        var atMost = new List<double>();
        var atLeast = new List<double>();
        var estimate = new List<double>();
        (long AskedMs, long RepliedMs, uint Frame)? previous = null;
        int shots = 0, unreadable = 0;
        var started = DateTimeOffset.UtcNow;
        while (DateTimeOffset.UtcNow - started < duration)
        {
            var shot = await camera.TakeAsync();
            shots++;
            if (!shot.Readable) { unreadable++; previous = null; continue; }
            (long askedMs, long repliedMs, uint seq, long flipMs) = (shot.AskedMs, shot.RepliedMs, shot.Frame, shot.FlipMs);
            double latency = repliedMs - flipMs;
            if (latency is < 0 or > 10_000) { unreadable++; previous = null; continue; }
            if (seen.Add(seq))
            {
                atMost.Add(latency);
                // Without a readable screenshot just before that showed an older frame there is no lower bound.
                bool bounded = previous is { } p && p.Frame < seq;
                atLeast.Add(bounded ? previous!.Value.AskedMs - flipMs : double.NegativeInfinity);
                estimate.Add(bounded ? (previous!.Value.RepliedMs + repliedMs) / 2.0 - flipMs : latency);
            }
            previous = (askedMs, repliedMs, seq);
        }
        double elapsedMs = (DateTimeOffset.UtcNow - started).TotalMilliseconds;
        return new LatencyResult(estimate, atMost, atLeast, shots, unreadable, shots == 0 ? double.NaN : elapsedMs / shots);
    }
}

/// <summary>
/// The latency of each distinct frame seen (ms) and its bounds, from <paramref name="Shots"/> screenshots taken every
/// <paramref name="IntervalMs"/> on average.
/// </summary>
public sealed record LatencyResult(IReadOnlyList<double> Estimate, IReadOnlyList<double> AtMost, IReadOnlyList<double> AtLeast,
    int Shots, int Unreadable, double IntervalMs)
{
    public int Frames => AtMost.Count;

    public double Percentile(double q) => Percentile(Estimate, q);

    /// <summary>The percentile of the latest moment each picture can have been taken at (the reply) less the flip time.</summary>
    public double UpperPercentile(double q) => Percentile(AtMost, q);

    /// <summary>The percentile's bounds, "lower..upper" in whole ms.</summary>
    public string Range(double q) => Frames == 0 ? "-" : $"{Bound(Percentile(AtLeast, q))}..{Percentile(AtMost, q):0}";

    private static string Bound(double ms) => double.IsNegativeInfinity(ms) ? "?" : ms.ToString("0", System.Globalization.CultureInfo.InvariantCulture);

    private static double Percentile(IReadOnlyList<double> values, double q)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];
    }
}
