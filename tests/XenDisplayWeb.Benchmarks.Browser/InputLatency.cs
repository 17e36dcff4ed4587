using System.Text.Json;
using Microsoft.Playwright;

namespace XenDisplayWeb.Benchmarks.Browser;

/// <summary>
/// Input to glass read off the screen: a real browser event (a mouse move dispatched over DevTools,
/// <c>Input.dispatchMouseEvent</c>), the clock read just before it is dispatched, the seq the page was answered for it
/// (<c>data-last-input-seq</c> of its <c>[data-input-target]</c>), then clipped screenshots of the strip
/// (<see cref="StripCamera"/>) one after the other until row 2 shows that seq. Samples are spaced and jittered so each
/// starts with all earlier input on the glass.
/// </summary>
/// <remarks>
/// Bounded as <see cref="GlassLatency"/> bounds flip to glass: the seq reached the glass after the last screenshot
/// asked for (or the dispatch, if none came between) that still showed an older seq, and before the reply of the first
/// that shows it; the figure is the middle of those two replies (the dispatch standing for the first) less the
/// dispatch. An init script notes, with the page's <c>Date.now()</c> (the same wall clock), when each mouse move reached
/// the page and when each seq was answered; these split the path but are not the measure.
/// </remarks>
public static class InputLatency
{
    /// <summary>How long a sample waits for its seq on the glass before it is counted as missed.</summary>
    public static readonly TimeSpan SampleTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The spacing between samples: the next starts this long (uniformly jittered) after the last reached the glass.</summary>
    public const int SpacingMinMs = 150, SpacingMaxMs = 250;

    /// <summary>Notes when mouse moves reach the page and when seqs are answered (the page's clock); added before the page's own scripts.</summary>
    public const string TimingScript = """
        window.__inputTiming = { moves: [], answers: {} };
        window.addEventListener("pointermove", () => window.__inputTiming.moves.push(Date.now()), { capture: true, passive: true });
        new MutationObserver((records) => {
          for (const r of records) {
            const seq = r.target.dataset.lastInputSeq;
            if (seq !== undefined && !(seq in window.__inputTiming.answers)) window.__inputTiming.answers[seq] = Date.now();
          }
        }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-last-input-seq"] });
        """;

    /// <summary>
    /// Moves the mouse to each of <paramref name="points"/> in turn (CSS pixels, on the page's input target), <paramref name="samples"/>
    /// times after one warm-up, and reads each move's seq off the strip drawn at (left, top, scale).
    /// </summary>
    public static async Task<InputLatencyResult> MeasureAsync(IPage page, ICDPSession cdp, double left, double top, double scale,
        IReadOnlyList<(float X, float Y)> points, int samples, Random random)
    {
        var camera = new StripCamera(cdp, left, top, scale);
        var result = new InputLatencyResult();
        // Past what the page was answered before: a seq answered earlier is no sample's.
        long seq = await AnsweredSeqAsync(page);
        for (int i = 0; i <= samples; i++)
        {
            if (i > 0) await Task.Delay(random.Next(SpacingMinMs, SpacingMaxMs + 1));
            var (x, y) = points[i % points.Count];
            var sample = await SampleAsync(page, camera, seq, x, y);
            if (sample is null) { result.Missed++; continue; }
            seq = sample.Seq;
            if (i > 0) result.Add(sample); // the first is the warm-up: row 2 reads 0 until the guest consumed any input
        }
        return result;
    }

    private static async Task<InputSample?> SampleAsync(IPage page, StripCamera camera, long previousSeq, float x, float y)
    {
        long t0 = StripCamera.NowMs();
        await page.Mouse.MoveAsync(x, y);
        long dispatchedMs = StripCamera.NowMs();
        // The last screenshot (its ask and reply) known to show an older seq; the dispatch stands for it until one does.
        (long AskedMs, long RepliedMs) older = (t0, t0);
        long seq = -1;
        int shots = 0, unreadable = 0;
        var deadline = t0 + (long)SampleTimeout.TotalMilliseconds;
        while (StripCamera.NowMs() < deadline)
        {
            var shot = await camera.TakeAsync();
            shots++;
            if (!shot.Readable) { unreadable++; continue; }
            if (!shot.ShowsInput(previousSeq + 1)) { older = (shot.AskedMs, shot.RepliedMs); continue; }
            // Row 2 moved past the last sample's seq: this move's seq decides whether it is on the glass yet.
            if (seq < 0) seq = await AnsweredSeqAsync(page, previousSeq, deadline);
            if (seq < 0) break;
            if (!shot.ShowsInput(seq)) { older = (shot.AskedMs, shot.RepliedMs); continue; }
            var timing = await page.EvaluateAsync<JsonElement>(
                "s => ({ move: window.__inputTiming.moves.at(-1) ?? 0, answer: window.__inputTiming.answers[s] ?? 0 })", seq.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return new InputSample(seq, t0, dispatchedMs, older.AskedMs, older.RepliedMs, shot, timing.GetProperty("move").GetInt64(),
                timing.GetProperty("answer").GetInt64(), shots, unreadable);
        }
        return null;
    }

    /// <summary>The seq the page was answered past <paramref name="after"/> (-1 if none by the deadline).</summary>
    private static async Task<long> AnsweredSeqAsync(IPage page, long after, long deadlineMs)
    {
        while (true)
        {
            long seq = await AnsweredSeqAsync(page);
            if (seq > after) return seq;
            if (StripCamera.NowMs() > deadlineMs) return -1;
            await Task.Delay(5);
        }
    }

    /// <summary>The last seq the page was answered (-1 before any).</summary>
    private static async Task<long> AnsweredSeqAsync(IPage page) =>
        long.TryParse(await page.Locator("[data-input-target]").First.GetAttributeAsync("data-last-input-seq"),
            System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long seq) ? seq : -1;
}

/// <summary>
/// One move: its seq; the clock before and after dispatching it; the screenshot before the first showing it (ask and reply)
/// and that first one; when the page saw the move and was answered its seq (0 if not noted).
/// </summary>
public sealed record InputSample(long Seq, long T0, long DispatchedMs, long OlderAskedMs, long OlderRepliedMs, StripShot Shown,
    long PageMoveMs, long AnsweredMs, int Shots, int Unreadable)
{
    public double AtMost => Shown.RepliedMs - T0;
    public double AtLeast => OlderAskedMs - T0;
    public double Estimate => (OlderRepliedMs + Shown.RepliedMs) / 2.0 - T0;
}

/// <summary>Every sample's input to glass, its bounds and its way there.</summary>
public sealed class InputLatencyResult
{
    public List<InputSample> Samples { get; } = [];
    public int Missed { get; set; }

    public void Add(InputSample s) => Samples.Add(s);

    /// <summary>Input to glass with its bounds, in the form <see cref="LatencyResult"/> gives them.</summary>
    public LatencyResult Glass => new(
        Samples.Select(s => s.Estimate).ToList(), Samples.Select(s => s.AtMost).ToList(), Samples.Select(s => s.AtLeast).ToList(),
        Samples.Sum(s => s.Shots), Samples.Sum(s => s.Unreadable),
        Samples.Sum(s => s.Shots) == 0 ? double.NaN : Samples.Sum(s => s.Shown.RepliedMs - s.DispatchedMs) / (double)Samples.Sum(s => s.Shots));

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
    }

    /// <summary>Medians of each leg: dispatch to the page's event, to the answered seq, to the guest's flip of the first frame seen with it, to the glass.</summary>
    public string Legs()
    {
        var noted = Samples.Where(s => s.PageMoveMs > 0 && s.AnsweredMs > 0).ToList();
        return $"dispatch to the page's pointermove {Median(noted.Select(s => (double)(s.PageMoveMs - s.T0))):0} ms, " +
            $"to the hub's answer {Median(noted.Select(s => (double)(s.AnsweredMs - s.T0))):0} ms, " +
            $"to the guest's flip of the first frame seen with it {Median(Samples.Select(s => (double)(s.Shown.FlipMs - s.T0))):0} ms, " +
            $"to the glass {Median(Samples.Select(s => s.Estimate)):0} ms ({noted.Count} of {Samples.Count} samples noted by the page)";
    }
}
