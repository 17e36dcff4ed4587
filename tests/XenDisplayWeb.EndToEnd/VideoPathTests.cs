using System.Globalization;
using Microsoft.Playwright;
using XenDisplayWeb.EndToEnd.Hosting;
using XenDisplayWeb.EndToEnd.Screen;

namespace XenDisplayWeb.EndToEnd;

[Collection(nameof(DashboardCollection))]
public class VideoPathTests(DashboardServer server)
{
    [Fact]
    public async Task The_motion_connector_goes_on_video_and_its_frame_number_read_off_the_screen_rises()
    {
        var page = await server.OpenAsync("/domains/2/connectors/0");
        try
        {
            // The operator puts the stream on video (auto would too while the guest keeps its rate: on a loaded
            // machine it may fall under it and back to tiles, which is auto doing its job, not this test's subject).
            await page.GetByTestId("stream-mode").SelectOptionAsync("video");
            await page.GetByTestId("stream-form-submit").ClickAsync();
            await Expect(page.GetByTestId("stream-form-result")).ToHaveAttributeAsync("data-state", "ok", new() { Timeout = 30_000 });
            // The form is far below the picture (under the operator's input panel): a canvas scrolled out of sight is
            // not watched, so bring it back before waiting for its video.
            await page.GetByTestId("live-view").ScrollIntoViewIfNeededAsync();
            var video = page.Locator("video[data-video-for='2/0']");
            await Expect(video).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\boff\b"), new() { Timeout = 30_000 });
            await Expect(page.GetByTestId("stat-mode")).ToHaveTextAsync("video", new() { Timeout = 10_000 });
            Assert.Equal(1280, await video.EvaluateAsync<int>("v => v.videoWidth"));
            Assert.Equal(720, await video.EvaluateAsync<int>("v => v.videoHeight"));

            uint? first = null;
            await Poll.UntilAsync(async () => (first = await CanvasReader.FrameNumberAsync(video)) is not null,
                "the measurement strip is unreadable on the video");
            await Poll.UntilAsync(async () => await CanvasReader.FrameNumberAsync(video) is { } later && later > first,
                $"the frame number on the video stayed at {first}");
            await Poll.UntilAsync(async () => double.TryParse(await page.GetByTestId("stat-shownFps").InnerTextAsync(),
                CultureInfo.InvariantCulture, out double fps) && fps > 0, "the overlay's shown fps stayed at zero on video");
            await Expect(page.GetByTestId("stat-codecs")).ToContainTextAsync("video");
        }
        finally
        {
            // The server is shared by the collection's tests: the connector goes back to auto.
            // The output still shows the first answer: wait for the second.
            await page.GetByTestId("stream-mode").SelectOptionAsync("auto");
            await page.GetByTestId("stream-form-submit").ClickAsync();
            await Expect(page.GetByTestId("stream-form-result")).ToHaveAttributeAsync("data-answers", "2", new() { Timeout = 30_000 });
            await Expect(page.GetByTestId("stream-form-result")).ToHaveAttributeAsync("data-state", "ok");
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_browser_without_WebCodecs_gets_tiles_and_the_overlay_says_so()
    {
        var page = await server.OpenAsync("/domains/2/connectors/0");
        try
        {
            await page.Context.AddInitScriptAsync("delete window.VideoDecoder; delete window.EncodedVideoChunk;");
            await page.ReloadAsync();

            await Expect(page.GetByTestId("stat-mode")).ToHaveTextAsync("video unsupported: tiles", new() { Timeout = 15_000 });
            Assert.Equal(0, await page.Locator("video").CountAsync());
            var canvas = page.Locator("canvas[data-connector='2/0']");
            uint? first = null;
            await Poll.UntilAsync(async () => (first = await CanvasReader.FrameNumberAsync(canvas)) is not null, "the measurement strip is unreadable");
            await Poll.UntilAsync(async () => await CanvasReader.FrameNumberAsync(canvas) is { } later && later > first,
                $"the frame number stayed at {first}");
        }
        finally { await page.Context.CloseAsync(); }
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
