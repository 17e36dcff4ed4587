using Microsoft.Playwright;
using XenDisplayWeb.Server.Streaming;
using XenDisplayWeb.Shared.Workloads;

namespace XenDisplayWeb.Benchmarks.Browser;

/// <summary>
/// How many 1080p <c>motion</c> frames this machine's Chromium can decode and draw with nothing else running:
/// the frames are cut and encoded as the server streams them at its lowest quality (JPEG rectangles of at most
/// 512x512, quality <see cref="StreamingOptions.JpegQualityMin"/>), then a worker decodes every rectangle of a
/// frame in parallel (createImageBitmap on a Blob, as the dashboard's decode worker does) and draws them on an
/// OffscreenCanvas, frame after frame. The ceiling of the motion figure, before any capture or server work.
/// Another rectangle size shows whether the cut matters.
/// </summary>
public static class DecodeCeiling
{
    private const int Width = 1920, Height = 1080, Frames = 8, Seconds = 8;

    public static async Task MeasureAsync(IBrowser browser, int? rectSize = null)
    {
        var options = new StreamingOptions();
        int size = rectSize ?? options.MaxRectSize;
        using var jpeg = JpegEncoder.TryCreate(out string? error) ?? throw new InvalidOperationException($"libturbojpeg: {error}");
        var renderer = WorkloadRenderers.Create(WorkloadRenderers.Motion, Width, Height);
        var pixels = new byte[Width * Height * 4];
        var frames = new List<List<object>>();
        long bytes = 0;
        for (uint seq = 0; seq < Frames; seq++)
        {
            renderer.Render(new FrameTarget(pixels, Width, Height, Width * 4), seq * 7, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            var rects = new List<object>();
            for (int y = 0; y < Height; y += size)
                for (int x = 0; x < Width; x += size)
                {
                    int w = Math.Min(size, Width - x), h = Math.Min(size, Height - y);
                    var data = jpeg.Encode(pixels.AsSpan((y * Width + x) * 4), Width * 4, w, h, options.JpegQualityMin);
                    bytes += data.Length;
                    rects.Add(new { x, y, data = Convert.ToBase64String(data) });
                }
            frames.Add(rects);
        }

        var context = await browser.NewContextAsync();
        try
        {
            var page = await context.NewPageAsync();
            double fps = await page.EvaluateAsync<double>(Script, new { frames, seconds = Seconds, width = Width, height = Height });
            int rectsPerFrame = frames[0].Count;
            Console.WriteLine($"decode_ceiling: {fps:0.0} frames/s of 1080p motion decoded and drawn in a worker, {fps * Width * Height / 1e6:0.0} Mpixel/s " +
                $"({rectsPerFrame} JPEG {(rectsPerFrame == 1 ? "rectangle" : "rectangles")} of at most {size}x{size} at quality {options.JpegQualityMin}, " +
                $"{bytes / Frames / 1024.0:0.0} KiB a frame; nothing else running)");
        }
        finally { await context.CloseAsync(); }
    }

    private const string Script = """
        async ({ frames, seconds, width, height }) => {
          const worker = new Worker(URL.createObjectURL(new Blob([`
            onmessage = async (e) => {
              const { frames, seconds, width, height } = e.data;
              const ctx = new OffscreenCanvas(width, height).getContext("2d", { alpha: false });
              const bytes = frames.map((rects) => rects.map((r) => ({ x: r.x, y: r.y, data: Uint8Array.from(atob(r.data), (c) => c.charCodeAt(0)) })));
              const until = performance.now() + seconds * 1000;
              let n = 0;
              const started = performance.now();
              while (performance.now() < until) {
                const rects = bytes[n % bytes.length];
                const bitmaps = await Promise.all(rects.map((r) => createImageBitmap(new Blob([r.data], { type: "image/jpeg" }))));
                rects.forEach((r, i) => { ctx.drawImage(bitmaps[i], r.x, r.y); bitmaps[i].close(); });
                n++;
              }
              postMessage(n / ((performance.now() - started) / 1000));
            };
          `], { type: "text/javascript" })));
          return await new Promise((resolve, reject) => {
            worker.onmessage = (e) => resolve(e.data);
            worker.onerror = (e) => reject(new Error(e.message));
            worker.postMessage({ frames, seconds, width, height });
          });
        }
        """;
}
