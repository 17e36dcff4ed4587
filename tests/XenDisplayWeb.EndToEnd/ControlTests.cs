using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using XenDisplayWeb.EndToEnd.Screen;

namespace XenDisplayWeb.EndToEnd;

/// <summary>An operator drives the simulated host from the pages; every effect is checked where a person sees it.</summary>
[Collection(nameof(DashboardCollection))]
public class ControlTests(DashboardServer server)
{
    [Fact]
    public async Task An_operator_adds_a_connector_sees_it_draw_then_removes_it()
    {
        var page = await server.OpenAsync("/controls");
        try
        {
            var form = page.GetByTestId("add-connector-form-1");
            await form.Locator("input[name=width]").FillAsync("800");
            await form.Locator("input[name=height]").FillAsync("600");
            await ApplyAsync(page, "add-connector-form-1");

            // The toolstack way takes a reconnect: the guest goes through Reconfiguring and comes back with 3 connectors;
            // the overview shows it live.
            await page.GotoAsync(server.Url("/"));
            await Expect(page.Locator("canvas[data-connector]")).ToHaveCountAsync(4, new() { Timeout = 20_000 });
            await Expect(page.Locator("[data-key='1/2'] [data-testid=mode]")).ToHaveTextAsync("800×600");
            // Its thumbnail comes scaled to the overview's 384x216 box; its frame numbers are read on its own page, at 1:1.
            var thumbnail = page.Locator("canvas[data-connector='1/2']");
            await Poll.UntilAsync(async () => await thumbnail.EvaluateAsync<int>("c => c.width") == 288, "the new connector's thumbnail never drew");

            await page.GotoAsync(server.Url("/domains/1/connectors/2"));
            var added = page.Locator("canvas[data-connector='1/2']");
            Assert.Equal(800, await added.EvaluateAsync<int>("c => c.width"));
            await Poll.UntilAsync(async () => await CanvasReader.FrameNumberAsync(added) is > 0, "the new connector never drew a frame");
            // Once removed, the page goes to the overview (the connector's page has nothing left to show).
            await page.GetByTestId("remove-connector-form-submit").ClickAsync();
            // Blazor goes there by enhanced navigation (history.pushState, no load event): poll the address.
            await Assertions.Expect(page).ToHaveURLAsync(server.Url("/"), new() { Timeout = 30_000 });
            await Expect(page.Locator("canvas[data-connector]")).ToHaveCountAsync(3, new() { Timeout = 20_000 });
        }
        finally { await page.Context.CloseAsync(); }
    }

    [Fact]
    public async Task An_operator_changes_a_resolution_and_the_view_follows()
    {
        var page = await server.OpenAsync("/domains/1/connectors/1");
        try
        {
            var canvas = page.Locator("canvas[data-connector='1/1']");
            Assert.Equal(1024, await canvas.EvaluateAsync<int>("c => c.width"));
            await page.EvaluateAsync("() => document.querySelector('canvas[data-connector]').dataset.beforeChange = 'yes'");
            await page.GetByTestId("resolution-width").FillAsync("800");
            await page.GetByTestId("resolution-height").FillAsync("600");
            await page.GetByTestId("resolution-form-submit").ClickAsync();

            // The new mode gives the view a new canvas (the old one is released); the form's answer stays in view.
            await Expect(page.Locator("canvas[data-before-change]")).ToHaveCountAsync(0, new() { Timeout = 20_000 });
            await AppliedAsync(page, "resolution-form");
            await Expect(page.GetByTestId("resolution-form-result")).ToContainTextAsync("202");
            await Expect(page.GetByTestId("resolution-form-submit")).ToBeEnabledAsync();

            await Poll.UntilAsync(async () => await canvas.EvaluateAsync<int>("c => c.width") == 800
                && await canvas.EvaluateAsync<int>("c => c.height") == 600, "the canvas did not take the new mode");
            await Expect(page.GetByTestId("mode")).ToHaveTextAsync("800×600", new() { Timeout = 20_000 });
            await Poll.UntilAsync(async () => await CanvasReader.FrameNumberAsync(canvas) is > 0, "no frame at the new mode");

            await page.GetByTestId("resolution-width").FillAsync("1024");
            await page.GetByTestId("resolution-height").FillAsync("768");
            await ApplyAsync(page, "resolution-form");
            await Poll.UntilAsync(async () => await canvas.EvaluateAsync<int>("c => c.width") == 1024, "the mode did not come back");
        }
        finally { await page.Context.CloseAsync(); }
    }

    [Fact]
    public async Task Dropped_frame_done_events_show_the_guest_timeout_in_the_trace()
    {
        var page = await server.OpenAsync("/controls");
        try
        {
            // A short frame-done timeout so the test waits half a second, not 3.1 s.
            await page.GetByTestId("timeouts-frame-done").FillAsync("500");
            await ApplyAsync(page, "timeouts-form");
            await page.ReloadAsync();
            await Expect(page.GetByTestId("timeouts-frame-done")).ToHaveValueAsync("500");

            var trace = await page.Context.NewPageAsync();
            await trace.GotoAsync(server.Url("/trace"));
            await trace.GetByTestId("filter-text").FillAsync("frame-done timeout");

            await page.GetByTestId("faults-drop-frame-done").FillAsync("3");
            await ApplyAsync(page, "faults-form");

            await Expect(trace.GetByTestId("trace-row").Filter(new() { HasText = "frame-done timeout" }).First)
                .ToBeVisibleAsync(new() { Timeout = 20_000 });
            await Expect(trace.GetByTestId("trace-row").Filter(new() { HasText = "500 ms" }).First).ToBeVisibleAsync();
        }
        finally
        {
            await page.GetByTestId("faults-drop-frame-done").FillAsync("0");
            await ApplyAsync(page, "faults-form");
            await page.GetByTestId("timeouts-frame-done").FillAsync("3100");
            await ApplyAsync(page, "timeouts-form");
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_1080p_buffer_shows_2025_data_grefs_in_2_directory_pages()
    {
        var page = await server.OpenAsync("/domains/1/buffers");
        try
        {
            var rows = page.GetByTestId("dbuf-row").Filter(new() { HasText = "1920×1080" });
            await Expect(rows.First).ToBeVisibleAsync();
            var row = rows.First;
            Assert.Equal("2025", await row.GetByTestId("data-grefs").GetAttributeAsync("data-count"));
            Assert.Equal("2", await row.GetByTestId("dir-pages").GetAttributeAsync("data-count"));
            await row.GetByTestId("data-grefs").Locator("summary").ClickAsync();
            var grefs = await row.GetByTestId("data-grefs").InnerTextAsync();
            Assert.True(grefs.Split([',', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Count(t => uint.TryParse(t, out _)) >= 2025,
                "the data grefs are not all listed");
        }
        finally { await page.Context.CloseAsync(); }
    }

    [Fact]
    public async Task A_buffer_png_downloaded_from_the_page_equals_the_connector_snapshot()
    {
        var page = await server.OpenAsync("/controls");
        try
        {
            // Pause the backend: the shown buffer stays shown and the guest cannot flip away from it.
            await page.GetByTestId("faults-paused").CheckAsync();
            await ApplyAsync(page, "faults-form");

            await page.GotoAsync(server.Url("/domains/1/buffers"));
            var shown = page.GetByTestId("fb-row").Filter(new() { HasText = "connector 0" }).First;
            string dbufCookie = (await shown.Locator("td").Nth(1).InnerTextAsync()).Trim();
            var dbuf = page.Locator($"[data-testid=dbuf-row][data-cookie='{dbufCookie}']");
            var bufferPng = await DownloadAsync(page, dbuf.GetByTestId("dbuf-png"));

            await page.GotoAsync(server.Url("/domains/1/connectors/0"));
            var snapshotPng = await DownloadAsync(page, page.GetByTestId("snapshot-link"));

            var buffer = PngDecoder.Decode(bufferPng);
            var snapshot = PngDecoder.Decode(snapshotPng);
            Assert.Equal((1920, 1080), (buffer.Width, buffer.Height));
            Assert.Equal((snapshot.Width, snapshot.Height), (buffer.Width, buffer.Height));
            Assert.True(buffer.Rgba.AsSpan().SequenceEqual(snapshot.Rgba), "the buffer's pixels differ from the snapshot's");
        }
        finally
        {
            await page.GotoAsync(server.Url("/controls"));
            await page.GetByTestId("faults-paused").UncheckAsync();
            await ApplyAsync(page, "faults-form");
            await page.Context.CloseAsync();
        }
    }

    private static async Task<byte[]> DownloadAsync(IPage page, ILocator link)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        await using var stream = await download.CreateReadStreamAsync();
        using var bytes = new MemoryStream();
        await stream.CopyToAsync(bytes);
        return bytes.ToArray();
    }

    /// <summary>Sends a control's form and waits until it was applied.</summary>
    private static async Task ApplyAsync(IPage page, string form)
    {
        // The output keeps the last answer until the new one comes: wait for the next one, by its number.
        int before = int.Parse(await page.GetByTestId($"{form}-result").GetAttributeAsync("data-answers") ?? "0", CultureInfo.InvariantCulture);
        await page.GetByTestId($"{form}-submit").ClickAsync();
        await AppliedAsync(page, form, before);
    }

    /// <summary>
    /// Waits for a control's answer after the <paramref name="before"/>th and fails with what the page shows unless it
    /// was applied. The output says "sending…" while the control runs: moving on before the answer could leave it unsent.
    /// </summary>
    private static async Task AppliedAsync(IPage page, string form, int before = 0)
    {
        var result = page.GetByTestId($"{form}-result");
        await Expect(result).ToHaveAttributeAsync("data-answers", new Regex($"^(?!{before}$)[0-9]+$"), new() { Timeout = 30_000 });
        Assert.True(await result.GetAttributeAsync("data-state") == "ok", $"{form} was refused: {await result.InnerTextAsync()}");
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
