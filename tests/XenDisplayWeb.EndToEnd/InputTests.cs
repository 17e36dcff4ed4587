using System.Globalization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using XenDisplayWeb.EndToEnd.Screen;
using XenDisplayWeb.Server;
using XenDisplayWeb.Shared.Kbdif;
using XenDisplayWeb.Shared.Kbdif.Backend;

namespace XenDisplayWeb.EndToEnd;

/// <summary>An operator's keyboard and pointer on a connector's picture reach its guest; a viewer's never do.</summary>
[Collection(nameof(DashboardCollection))]
public class InputTests(DashboardServer server)
{
    private const int Width = 1920, Height = 1080;

    /// <summary>
    /// The top of the desktop's editor input area at 1920x1080 (window 1's body below its typing line, DesktopRenderer,
    /// from x 156, y 660), where the first typed row goes; above the stats overlay and the cursor, nothing else draws there.
    /// </summary>
    private static readonly (int X, int Y, int Right, int Bottom) EditorInput = (156, 660, 1000, 800);

    [Fact]
    public async Task An_operator_grabs_clicks_and_types_on_the_desktop_and_the_picture_and_the_strips_row_2_respond()
    {
        var page = await OpenDesktopAsync(DashboardServer.Operator);
        try
        {
            var canvas = page.Locator("canvas[data-connector='1/0']");
            await GrabAsync(page);
            // A click in the editor's input area: the window comes up and the cursor is drawn there.
            var box = await BoxAsync(canvas);
            await page.Mouse.ClickAsync(CssX(box, 576), CssY(box, 842));
            long clicked = await AnsweredSeqAsync(page, -1);
            await StripShowsAsync(canvas, clicked);
            var before = await CaptureAsync(canvas);

            await page.Keyboard.TypeAsync("hello");
            long typed = await AnsweredSeqAsync(page, clicked);
            Assert.True(typed >= clicked + 10, $"5 keys pressed and released answer 10 seqs after {clicked}, not up to {typed}");
            await StripShowsAsync(canvas, typed);
            var after = await CaptureAsync(canvas);

            int changed = ChangedPixels(before, after, EditorInput);
            Assert.True(changed >= 40, $"the editor's input area shows no typed glyphs ({changed} pixels changed)");
            await Expect(page.GetByTestId("input-sent")).Not.ToHaveTextAsync("0");
            await Poll.UntilAsync(async () => long.TryParse(await page.GetByTestId("input-consumed").InnerTextAsync(), out long c) && c >= typed,
                "the page never showed the guest consuming the last seq");
            await Expect(page.GetByTestId("input-error")).ToBeEmptyAsync();
        }
        finally { await page.Context.CloseAsync(); }
    }

    [Fact]
    public async Task A_click_lands_on_the_guest_pixel_under_it_through_the_fit_scaling_and_a_letterbox()
    {
        var page = await OpenDesktopAsync(DashboardServer.Operator);
        try
        {
            var canvas = page.Locator("canvas[data-connector='1/0']");
            await GrabAsync(page);

            // As laid out: the 1920x1080 picture fit into the window (scaled down, no letterbox).
            var box = await BoxAsync(canvas);
            Assert.True(box.Width < Width - 100, $"the canvas is not scaled down ({box.Width} CSS pixels wide)");
            double cssX = box.X + box.Width * 0.3137, cssY = box.Y + box.Height * 0.6721;
            var seq = new Ref<long>(-1);
            await page.Mouse.ClickAsync((float)cssX, (float)cssY);
            AssertNear(((int)((cssX - box.X) * Width / box.Width), (int)((cssY - box.Y) * Height / box.Height)), await PositionAsync(page, seq));

            // Squared with object-fit: contain: the picture is letterboxed, bars above and below.
            await canvas.EvaluateAsync("c => Object.assign(c.style, { width: '900px', height: '900px', maxWidth: 'none', maxHeight: 'none', objectFit: 'contain' })");
            box = await BoxAsync(canvas);
            double scale = box.Width / Width, bar = (box.Height - Height * scale) / 2;
            Assert.True(bar > 100, $"no letterbox ({bar} CSS pixels)");
            await page.Mouse.ClickAsync((float)(box.X + 1234.5 * scale), (float)(box.Y + bar + 777.5 * scale));
            AssertNear((1234, 777), await PositionAsync(page, seq));
            // In the top bar: clamped to the picture's first row.
            await page.Mouse.ClickAsync((float)(box.X + 100.5 * scale), (float)(box.Y + bar / 2));
            AssertNear((100, 0), await PositionAsync(page, seq));

            // A notch of the wheel up is rel_z +1 at the pointer, as Linux counts it.
            await page.Mouse.MoveAsync((float)(box.X + 500.5 * scale), (float)(box.Y + bar + 300.5 * scale));
            await page.Mouse.WheelAsync(0, -100);
            var wheel = await PositionAsync(page, seq, p => p.RelZ != 0);
            Assert.Equal(1, wheel.RelZ);
            AssertNear((500, 300), wheel);
        }
        finally { await page.Context.CloseAsync(); }
    }

    [Fact]
    public async Task Ctrl_Alt_releases_the_grab_and_every_key_and_button_still_held_is_released_to_the_guest()
    {
        var page = await OpenDesktopAsync(DashboardServer.Operator);
        try
        {
            var canvas = page.Locator("canvas[data-connector='1/0']");
            await GrabAsync(page);
            var box = await BoxAsync(canvas);
            long before = await AnsweredSeqAsync(page, -1, settledOnly: true);
            await page.Mouse.MoveAsync(CssX(box, 800), CssY(box, 400));
            await page.Mouse.DownAsync();
            await page.Keyboard.DownAsync("KeyX");

            await page.Keyboard.DownAsync("Control");
            await page.Keyboard.DownAsync("Alt");

            await Expect(page.GetByTestId("input-grab")).ToHaveAttributeAsync("aria-pressed", "false");
            await Expect(page.GetByTestId("input-state")).Not.ToHaveTextAsync("grabbed");
            long last = await AnsweredSeqAsync(page, before);
            IReadOnlyList<KbdSentEvent> recent = [];
            await Poll.UntilAsync(() => Task.FromResult((recent = Device().Status().Recent).Count > 0 && recent[^1].Seq >= last),
                $"seq {last} never reached the guest's ring");
            var keys = recent.Where(e => e.Seq > before && e.Seq <= last && e.Event is XenkbdKey).Select(e => (XenkbdKey)e.Event).ToList();
            foreach (uint code in new uint[] { LinuxInput.BTN_LEFT, LinuxInput.KEY_X, LinuxInput.KEY_LEFTCTRL, LinuxInput.KEY_LEFTALT })
            {
                Assert.Contains(new XenkbdKey(true, code), keys);
                Assert.Equal(new XenkbdKey(false, code), keys.Last(k => k.Keycode == code)); // nothing left held in the guest
            }

            // Released: what follows stays with the browser.
            await page.Keyboard.UpAsync("Alt");
            await page.Keyboard.UpAsync("Control");
            await page.Keyboard.UpAsync("KeyX");
            await page.Mouse.UpAsync();
            long next = Device().Status().NextSeq;
            await page.Keyboard.TypeAsync("zz");
            await Expect(page.GetByTestId("hub-state")).ToHaveTextAsync("live");
            await page.EvaluateAsync("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
            Assert.Equal(next, Device().Status().NextSeq);
        }
        finally { await page.Context.CloseAsync(); }
    }

    [Fact]
    public async Task A_viewers_page_has_no_capture_sends_nothing_and_the_hub_refuses_a_viewers_input()
    {
        var page = await OpenDesktopAsync(DashboardServer.Viewer);
        try
        {
            await Expect(page.GetByTestId("input-panel")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("input-grab")).ToHaveCountAsync(0);
            await Expect(page.Locator("[data-input-target]")).ToHaveCountAsync(0);
            long next = Device().Status().NextSeq;
            var box = await BoxAsync(page.Locator("canvas[data-connector='1/0']"));
            await page.Mouse.ClickAsync(CssX(box, 300), CssY(box, 300));
            await page.Keyboard.TypeAsync("abc");
            // What the page sends goes before anything the hub answers after it: a round trip proves none went.
            await Expect(page.GetByTestId("hub-state")).ToHaveTextAsync("live");
            await page.EvaluateAsync("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
            Assert.Equal(next, Device().Status().NextSeq);
        }
        finally { await page.Context.CloseAsync(); }

        await using var viewer = Hub(DashboardServer.Viewer);
        await viewer.StartAsync();
        var events = new[] { new InputEventSpec("key", Code: LinuxInput.KEY_A, Pressed: true), new InputEventSpec("key", Code: LinuxInput.KEY_A, Pressed: false) };
        var refused = await Assert.ThrowsAsync<HubException>(() => viewer.InvokeAsync<object>("SendInput", 1, 0, events));
        Assert.Contains("unauthorized", refused.Message, StringComparison.OrdinalIgnoreCase);
    }

    private HubConnection Hub(string token) => new HubConnectionBuilder()
        .WithUrl(server.Url("/hubs/dashboard"), o => o.Headers["Authorization"] = $"Bearer {token}")
        .AddMessagePackProtocol().Build();

    private KbdDevice Device() =>
        server.Services.GetRequiredService<SimulatedHostService>().System!.VkbdDevice(1, 0) ?? throw new InvalidOperationException("no vkbd device for 1/0");

    /// <summary>The desktop's page once its guest takes input and its picture draws.</summary>
    private async Task<IPage> OpenDesktopAsync(string token)
    {
        await Poll.UntilAsync(() => Task.FromResult(server.Services.GetRequiredService<SimulatedHostService>().System?.VkbdDevice(1, 0)?.IsConnected == true),
            "connector 1/0's vkbd device never connected");
        var page = await server.OpenAsync("/domains/1/connectors/0", token);
        var canvas = page.Locator("canvas[data-connector='1/0']");
        await Poll.UntilAsync(async () => await CanvasReader.StripAsync(canvas) is not null, "the measurement strip is unreadable");
        return page;
    }

    private static async Task GrabAsync(IPage page)
    {
        await page.GetByTestId("input-grab").ClickAsync();
        await Expect(page.GetByTestId("input-state")).ToHaveTextAsync("grabbed");
        await Expect(page.GetByTestId("input-grab")).ToHaveAttributeAsync("aria-pressed", "true");
    }

    /// <summary>The canvas's box after the capture scrolled it into place (captures scroll to the same place each time).</summary>
    private static async Task<LocatorBoundingBoxResult> BoxAsync(ILocator canvas)
    {
        await CanvasReader.CaptureAsync(canvas);
        return await canvas.BoundingBoxAsync() ?? throw new InvalidOperationException("the canvas has no box");
    }

    private static float CssX(LocatorBoundingBoxResult box, int x) => (float)(box.X + (x + 0.5) * box.Width / Width);
    private static float CssY(LocatorBoundingBoxResult box, int y) => (float)(box.Y + (y + 0.5) * box.Height / Height);

    /// <summary>The last seq the hub answered the page, once it is past <paramref name="after"/> and the queue is empty.</summary>
    private static async Task<long> AnsweredSeqAsync(IPage page, long after, bool settledOnly = false)
    {
        if (settledOnly)
        {
            // Before anything is sent the page has answered nothing: -1 (its attribute is not set yet).
            string? value = await page.GetByTestId("live-view").GetAttributeAsync("data-last-input-seq");
            return long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long s) ? s : -1;
        }
        var view = page.GetByTestId("live-view");
        long seq = -1;
        await Poll.UntilAsync(async () =>
        {
            long now = long.TryParse(await view.GetAttributeAsync("data-last-input-seq"), NumberStyles.Integer, CultureInfo.InvariantCulture, out long s) ? s : -1;
            bool settled = now > after && now == seq;
            seq = now;
            return settled;
        }, $"the page's last answered input seq never passed {after}");
        return seq;
    }

    /// <summary>Waits until the picture's row 2 (the low 32 bits of the last input seq the guest consumed) reaches <paramref name="seq"/>.</summary>
    private static Task StripShowsAsync(ILocator canvas, long seq) =>
        Poll.UntilAsync(async () => await CanvasReader.StripAsync(canvas) is { } strip && strip.InputSeqLow32 >= (uint)seq,
            $"the strip's row 2 never showed input seq {seq}");

    private static Task<(byte[] Rgba, int Width, int Height)> CaptureAsync(ILocator canvas) => CanvasReader.CaptureAsync(canvas);

    /// <summary>Pixels that differ between two captures inside a guest rectangle (scaled to the captures).</summary>
    private static int ChangedPixels((byte[] Rgba, int Width, int Height) a, (byte[] Rgba, int Width, int Height) b, (int X, int Y, int Right, int Bottom) guest)
    {
        Assert.Equal((a.Width, a.Height), (b.Width, b.Height));
        double scale = a.Width / (double)Width;
        int changed = 0;
        for (int y = (int)(guest.Y * scale); y < (int)(guest.Bottom * scale); y++)
            for (int x = (int)(guest.X * scale); x < (int)(guest.Right * scale); x++)
            {
                int o = (y * a.Width + x) * 4;
                if (Math.Abs(a.Rgba[o] - b.Rgba[o]) + Math.Abs(a.Rgba[o + 1] - b.Rgba[o + 1]) + Math.Abs(a.Rgba[o + 2] - b.Rgba[o + 2]) > 60) changed++;
            }
        return changed;
    }

    /// <summary>
    /// The last pointer position (matching <paramref name="where"/>) the vkbd device put on the guest's ring among the
    /// events the hub answered the page after seq <paramref name="after"/>; <paramref name="after"/> moves to the last answered.
    /// </summary>
    private async Task<XenkbdPosition> PositionAsync(IPage page, Ref<long> after, Func<XenkbdPosition, bool>? where = null)
    {
        long first = after.Value, last = await AnsweredSeqAsync(page, first);
        after.Value = last;
        IReadOnlyList<KbdSentEvent> recent = [];
        await Poll.UntilAsync(() => Task.FromResult((recent = Device().Status().Recent).Count > 0 && recent[^1].Seq >= last),
            $"seq {last} never reached the guest's ring");
        var found = recent.Where(e => e.Seq > first && e.Seq <= last && e.Event is XenkbdPosition p && (where?.Invoke(p) ?? true)).ToList();
        Assert.True(found.Count > 0, $"no pointer position among seqs {first + 1}..{last}");
        return (XenkbdPosition)found[^1].Event;
    }

    private sealed class Ref<T>(T value)
    {
        public T Value { get; set; } = value;
    }

    private static void AssertNear((int X, int Y) expected, XenkbdPosition actual) =>
        Assert.True(Math.Abs(expected.X - actual.AbsX) <= 1 && Math.Abs(expected.Y - actual.AbsY) <= 1,
            $"expected the guest's pointer at ({expected.X}, {expected.Y}) ±1, it went to ({actual.AbsX}, {actual.AbsY})");

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
