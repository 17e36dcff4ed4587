using Microsoft.Playwright;

namespace XenDisplayWeb.EndToEnd.Screen;

/// <summary>Reads what a live canvas shows on screen (a lossless screenshot of the element), as a person would see it.</summary>
public static class CanvasReader
{
    public static async Task<(byte[] Rgba, int Width, int Height)> CaptureAsync(ILocator canvas)
    {
        // Bring the canvas's top (where the measurement strip is) just below the page's sticky header.
        await canvas.EvaluateAsync("c => window.scrollTo(0, c.getBoundingClientRect().top + window.scrollY - 64)");
        var png = await canvas.ScreenshotAsync(new LocatorScreenshotOptions { Type = ScreenshotType.Png });
        return PngDecoder.Decode(png);
    }

    /// <summary>
    /// The measurement strip's frame number on screen, or null if it cannot be read, as when the page swaps the
    /// canvas for a new one (after a topology change) while it is being read: a person would look again.
    /// </summary>
    public static async Task<uint?> FrameNumberAsync(ILocator canvas) =>
        await StripAsync(canvas) is { } strip ? strip.FrameSeq : null;

    /// <summary>
    /// The strip's three rows on screen (frame number, flip time, and the low 32 bits of the last input event's seq
    /// the guest consumed), or null if they cannot be read (see <see cref="FrameNumberAsync"/>).
    /// </summary>
    public static async Task<(uint FrameSeq, uint FlipLow32, uint InputSeqLow32)?> StripAsync(ILocator canvas)
    {
        try
        {
            // A canvas's pixel width, or a video's (the video path's picture).
            int canvasWidth = await canvas.EvaluateAsync<int>("c => c.videoWidth || c.width");
            var (rgba, width, height) = await CaptureAsync(canvas);
            double scale = width / (double)canvasWidth;
            return StripSampler.TryRead(rgba, width, height, 0, 0, scale, out uint seq, out uint flip, out uint input) ? (seq, flip, input) : null;
        }
        catch (PlaywrightException e) when (Swapped(e)) { return null; }
    }

    private static bool Swapped(PlaywrightException e) =>
        e.Message.Contains("not attached to the DOM", StringComparison.Ordinal)
        || e.Message.Contains("not visible", StringComparison.Ordinal)
        || e.Message.Contains("Execution context was destroyed", StringComparison.Ordinal);
}
