using XenDisplayWeb.EndToEnd.Screen;

namespace XenDisplayWeb.EndToEnd;

/// <summary>The overview's thumbnails come scaled from the server: the browser decodes thumbnail-sized pictures.</summary>
[Collection(nameof(DashboardCollection))]
public class ThumbnailTests(DashboardServer server)
{
    [Fact]
    public async Task The_overviews_thumbnails_draw_at_thumbnail_size_and_keep_changing()
    {
        var page = await server.OpenAsync("/");
        try
        {
            // The 384x216 box of the overview's markup: 1920x1080 and 1280x720 fill it, 1024x768 is bounded by its height.
            var expected = new Dictionary<string, (int, int)> { ["1/0"] = (384, 216), ["1/1"] = (288, 216), ["2/0"] = (384, 216) };
            foreach (var (key, size) in expected)
            {
                var canvas = page.Locator($"canvas[data-connector='{key}']");
                (int, int) drawn = default;
                await Poll.UntilAsync(async () => (drawn = await DrawingBufferAsync(canvas)) == size,
                    $"thumbnail {key} is not drawn at {size}");
                var first = (await CanvasReader.CaptureAsync(canvas)).Rgba;
                await Poll.UntilAsync(async () => !(await CanvasReader.CaptureAsync(canvas)).Rgba.AsSpan().SequenceEqual(first),
                    $"thumbnail {key} never changed");
                Assert.Equal(size, await DrawingBufferAsync(canvas));
            }
        }
        finally { await page.Context.CloseAsync(); }
    }

    /// <summary>The canvas's drawing buffer (its width and height, not its CSS box).</summary>
    private static async Task<(int, int)> DrawingBufferAsync(Microsoft.Playwright.ILocator canvas) =>
        (await canvas.EvaluateAsync<int>("c => c.width"), await canvas.EvaluateAsync<int>("c => c.height"));
}
