using Microsoft.Playwright;
using XenDisplayWeb.EndToEnd.Hosting;
using XenDisplayWeb.EndToEnd.Screen;

namespace XenDisplayWeb.EndToEnd;

[Collection(nameof(DashboardCollection))]
public class LiveViewTests(DashboardServer server)
{
    [Fact]
    public async Task The_overview_shows_every_demo_connector_drawing()
    {
        var page = await server.OpenAsync("/");
        try
        {
            var canvases = page.Locator("canvas[data-connector]");
            await Expect(canvases).ToHaveCountAsync(3);
            Assert.Equal(["1/0", "1/1", "2/0"], await canvases.EvaluateAllAsync<string[]>("cs => cs.map(c => c.dataset.connector)"));
            for (int i = 0; i < 3; i++)
            {
                var first = await WaitForPictureAsync(canvases.Nth(i));
                await Poll.UntilAsync(async () => !(await CanvasReader.CaptureAsync(canvases.Nth(i))).Rgba.AsSpan().SequenceEqual(first),
                    $"the picture of connector {i} never changed");
            }
            // The README's picture of the dashboard, from the top of the page, in this test's output folder
            // (bash .ci/readme-picture copies it to docs/).
            await page.EvaluateAsync("window.scrollTo(0, 0)");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "dashboard.png"), FullPage = true });
        }
        finally { await page.Context.CloseAsync(); }
    }

    [Theory]
    [InlineData(1, 0, 1920, 1080)]
    [InlineData(1, 1, 1024, 768)]
    [InlineData(2, 0, 1280, 720)]
    public async Task A_connector_page_draws_at_the_mode_and_its_frame_number_rises(int domId, int index, int width, int height)
    {
        var page = await server.OpenAsync($"/domains/{domId}/connectors/{index}");
        try
        {
            var canvas = page.Locator("canvas[data-connector]");
            Assert.Equal(width, await canvas.EvaluateAsync<int>("c => c.width"));
            Assert.Equal(height, await canvas.EvaluateAsync<int>("c => c.height"));
            await WaitForPictureAsync(canvas);
            uint? first = null;
            await Poll.UntilAsync(async () => (first = await CanvasReader.FrameNumberAsync(canvas)) is not null, "the measurement strip is unreadable");
            await Poll.UntilAsync(async () => await CanvasReader.FrameNumberAsync(canvas) is { } later && later > first,
                $"the frame number stayed at {first}");
            // The overlay's shown fps is what this page drew: frames are drawing, so it is above zero.
            await Poll.UntilAsync(async () => double.TryParse(await page.GetByTestId("stat-shownFps").InnerTextAsync(),
                System.Globalization.CultureInfo.InvariantCulture, out double fps) && fps > 0, "the overlay's shown fps stayed at zero");
            await Expect(page.GetByTestId("stat-decodeMs")).Not.ToHaveTextAsync("–");
        }
        finally { await page.Context.CloseAsync(); }
    }

    [Fact]
    public async Task A_browser_that_loses_its_connection_reconnects_and_draws_again()
    {
        var page = await server.OpenAsync("/domains/1/connectors/1");
        try
        {
            var canvas = page.Locator("canvas[data-connector]");
            var hubState = page.GetByTestId("hub-state");
            await Assertions.Expect(hubState).ToHaveTextAsync("live");
            uint? before = null;
            await Poll.UntilAsync(async () => (before = await CanvasReader.FrameNumberAsync(canvas)) is not null, "the measurement strip is unreadable");

            await page.Context.SetOfflineAsync(true);
            await Assertions.Expect(hubState).Not.ToHaveTextAsync("live", new() { Timeout = 40_000 });
            await page.Context.SetOfflineAsync(false);
            await Assertions.Expect(hubState).ToHaveTextAsync("live", new() { Timeout = 40_000 });

            await Poll.UntilAsync(async () => await CanvasReader.FrameNumberAsync(canvas) is { } after && after > before,
                $"no new frame after reconnecting (still {before})");
        }
        finally { await page.Context.CloseAsync(); }
    }

    /// <summary>Waits until the canvas shows something other than one flat colour; returns those pixels.</summary>
    private static async Task<byte[]> WaitForPictureAsync(ILocator canvas)
    {
        byte[] pixels = [];
        await Poll.UntilAsync(async () =>
        {
            pixels = (await CanvasReader.CaptureAsync(canvas)).Rgba;
            return pixels.Chunk(4).Select(p => (p[0], p[1], p[2])).Distinct().Take(3).Count() > 2;
        }, "the canvas stayed blank");
        return pixels;
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
