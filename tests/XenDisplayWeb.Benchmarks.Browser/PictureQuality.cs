using Microsoft.Playwright;
using XenDisplayWeb.EndToEnd.Screen;
using XenDisplayWeb.Server.Streaming;
using XenDisplayWeb.Shared.Workloads;

namespace XenDisplayWeb.Benchmarks.Browser;

/// <summary>
/// What the page shows of a <c>motion</c> frame against the guest's lossless picture of the same frame number:
/// PSNR over R, G and B. The motion renderer paints a frame from its number alone (no history), so the guest's
/// picture is rendered here again, once <see cref="CheckRendererAsync"/> has seen it equal the server's lossless
/// snapshot. Left out: the strip's rows (they hold the guest's flip time, which the copy here cannot know) and
/// whatever the page lays over the picture (the stats overlay, the fullscreen button).
/// </summary>
public static class PictureQuality
{
    public const int ExcludedTopRows = MeasurementStrip.Height;

    /// <summary>True if the server's lossless snapshot equals this renderer's picture of the frame its strip names.</summary>
    public static async Task<(bool Equal, uint Frame)> CheckRendererAsync(ServerProcess server, int domId, int index)
    {
        var png = await server.Http.GetByteArrayAsync($"/api/domains/{domId}/connectors/{index}/snapshot.png");
        var (rgba, w, h) = PngDecoder.Decode(png);
        if (!MeasurementStrip.TryReadRgba(rgba, w, h, w * 4, out uint seq, out _)) return (false, 0);
        return (Psnr(rgba, w, h, Render(seq, w, h), Counted(w, h, [])) is double.PositiveInfinity, seq);
    }

    /// <summary>
    /// Full-size screenshots of the element showing the connector at 1:1, each against the guest's picture of the
    /// frame its strip names; and, as a check that the strip and the picture agree, the best PSNR against the two
    /// frames either side (lower than the named frame's if they do).
    /// </summary>
    public static async Task<IReadOnlyList<(uint Frame, double PsnrDb, double NeighbourDb)>> MeasureAsync(ICDPSession cdp, IPage page, LocatorBoundingBoxResult box,
        int width, int height, int shots)
    {
        // What the page lays over the picture, in picture pixels.
        var covered = new List<(int X, int Y, int W, int H)>();
        foreach (var selector in new[] { ".stats-overlay", "button.fullscreen" })
            foreach (var el in await page.Locator(selector).AllAsync())
                if (await el.BoundingBoxAsync() is { } b)
                    covered.Add(((int)Math.Floor(b.X - box.X), (int)Math.Floor(b.Y - box.Y), (int)Math.Ceiling(b.Width) + 1, (int)Math.Ceiling(b.Height) + 1));

        var counted = Counted(width, height, covered);
        var results = new List<(uint, double, double)>();
        for (int i = 0; i < shots; i++)
        {
            var reply = await cdp.SendAsync("Page.captureScreenshot", new Dictionary<string, object>
            {
                ["format"] = "png", ["captureBeyondViewport"] = false,
                ["clip"] = new Dictionary<string, object> { ["x"] = box.X, ["y"] = box.Y, ["width"] = width, ["height"] = height, ["scale"] = 1 },
            }) ?? throw new InvalidOperationException("Page.captureScreenshot returned nothing");
            var (rgba, w, h) = PngDecoder.Decode(Convert.FromBase64String(reply.GetProperty("data").GetString()!));
            if (w != width || h != height || !MeasurementStrip.TryReadRgba(rgba, w, h, w * 4, out uint seq, out _)) continue;
            double neighbour = new[] { -2, -1, 1, 2 }.Max(d => Psnr(rgba, w, h, Render((uint)(seq + d), w, h), counted));
            results.Add((seq, Psnr(rgba, w, h, Render(seq, w, h), counted), neighbour));
            await Task.Delay(300);
        }
        return results;
    }

    /// <summary>
    /// A reference for the figure: PSNR of the same frame JPEG-encoded and decoded here, cut as the server cuts it
    /// (rectangles of <paramref name="rectSize"/>, libjpeg-turbo 4:2:0) at <paramref name="quality"/>, over the same pixels.
    /// </summary>
    public static double JpegReference(uint frame, int width, int height, int rectSize, int quality)
    {
        var guest = Render(frame, width, height);
        var decoded = new byte[width * height * 4];
        using var encoder = JpegEncoder.TryCreate(out string? error) ?? throw new InvalidOperationException($"libturbojpeg: {error}");
        using var decoder = new JpegDecoder();
        for (int y = 0; y < height; y += rectSize)
            for (int x = 0; x < width; x += rectSize)
            {
                int w = Math.Min(rectSize, width - x), h = Math.Min(rectSize, height - y);
                var (rgba, _, _) = decoder.Decode(encoder.Encode(guest.AsSpan((y * width + x) * 4), width * 4, w, h, quality));
                for (int row = 0; row < h; row++)
                    rgba.AsSpan(row * w * 4, w * 4).CopyTo(decoded.AsSpan(((y + row) * width + x) * 4));
            }
        return Psnr(decoded, width, height, guest, Counted(width, height, []));
    }

    /// <summary>The guest's picture of motion frame <paramref name="frame"/>, XRGB8888 (B, G, R, X).</summary>
    internal static byte[] Render(uint frame, int width, int height)
    {
        var pixels = new byte[width * height * 4];
        WorkloadRenderers.Create(WorkloadRenderers.Motion, width, height).Render(new FrameTarget(pixels, width, height, width * 4), frame, 0);
        return pixels;
    }

    /// <summary>The pixels PSNR counts: all but the strip's rows and the covered rectangles.</summary>
    internal static bool[] Counted(int width, int height, List<(int X, int Y, int W, int H)> covered)
    {
        var counted = new bool[width * height];
        Array.Fill(counted, true, ExcludedTopRows * width, (height - ExcludedTopRows) * width);
        foreach (var c in covered)
            for (int y = Math.Max(0, c.Y); y < Math.Min(height, c.Y + c.H); y++)
                for (int x = Math.Max(0, c.X); x < Math.Min(width, c.X + c.W); x++)
                    counted[y * width + x] = false;
        return counted;
    }

    internal static double Psnr(byte[] shownRgba, int width, int height, byte[] guestXrgb, bool[] counted)
    {
        double sum = 0;
        long n = 0;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                if (!counted[y * width + x]) continue;
                int o = (y * width + x) * 4;
                int dr = shownRgba[o] - guestXrgb[o + 2], dg = shownRgba[o + 1] - guestXrgb[o + 1], db = shownRgba[o + 2] - guestXrgb[o];
                sum += dr * dr + dg * dg + db * db;
                n += 3;
            }
        double mse = sum / n;
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 / mse);
    }
}
