using Microsoft.Playwright;
using XenDisplayWeb.EndToEnd.Screen;
using XenDisplayWeb.Shared.Workloads;

namespace XenDisplayWeb.Benchmarks.Browser;

/// <summary>
/// Small lossless screenshots of the measurement strip alone (DevTools <c>Page.captureScreenshot</c> clipped to it), each
/// with the wall clock (Unix ms, as the guest's flip time and the page's <c>Date.now()</c>) read just before asking and
/// just after the reply: the picture shows the glass at some moment between the two.
/// </summary>
public sealed class StripCamera(ICDPSession cdp, double left, double top, double scale)
{
    private readonly Dictionary<string, object> _clip = new()
    {
        ["x"] = left, ["y"] = top, ["width"] = Math.Ceiling(MeasurementStrip.Width * scale), ["height"] = Math.Ceiling(MeasurementStrip.Height * scale), ["scale"] = 1,
    };

    public static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public async Task<StripShot> TakeAsync()
    {
        long askedMs = NowMs();
        var reply = await cdp.SendAsync("Page.captureScreenshot", new Dictionary<string, object>
        {
            ["format"] = "png", ["clip"] = _clip, ["captureBeyondViewport"] = false,
        }) ?? throw new InvalidOperationException("Page.captureScreenshot returned nothing");
        long repliedMs = NowMs();
        var (rgba, w, h) = PngDecoder.Decode(Convert.FromBase64String(reply.GetProperty("data").GetString()!));
        bool readable = StripSampler.TryRead(rgba, w, h, 0, 0, scale, out uint frame, out uint flipLow32, out uint inputSeqLow32);
        return new StripShot(askedMs, repliedMs, readable, frame, flipLow32, inputSeqLow32);
    }
}

/// <summary>One strip screenshot: when it was asked for and answered (Unix ms), and its three rows if it could be read.</summary>
public readonly record struct StripShot(long AskedMs, long RepliedMs, bool Readable, uint Frame, uint FlipLow32, uint InputSeqLow32)
{
    /// <summary>The guest's flip time of the frame shown (Unix ms).</summary>
    public long FlipMs => MeasurementStrip.FlipTimeMsFromLow32(FlipLow32, RepliedMs);

    /// <summary>Row 2 shows input seq <paramref name="seq"/> or a later one (the low 32 bits, across their wrap).</summary>
    public bool ShowsInput(long seq) => Readable && (int)(InputSeqLow32 - (uint)seq) >= 0;
}
