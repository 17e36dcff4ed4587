using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using XenDisplayWeb.Server.Tests.Pages;
using XenDisplayWeb.Shared.Host;
using XenDisplayWeb.Shared.Kbdif;
using XenDisplayWeb.Shared.Kbdif.Backend;

namespace XenDisplayWeb.Server.Tests.Views;

/// <summary>
/// PV input seen from the inspection pages: the vkbd devices on /api/rings and /rings, input events in the trace,
/// and the vkbd nodes on the XenStore page. Its own server: it sends input to guest 1 (device 0 here, device 1
/// only in the sampling test, so each test knows every event its device has had).
/// </summary>
public class VkbdInspectionTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    private SimulatedSystem System => factory.Services.GetRequiredService<SimulatedHostService>().System!;

    private static async Task<JsonNode> GetJsonAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static JsonNode? Vkbd(JsonNode rings, int domId, int devId) =>
        rings["vkbd"]!.AsArray().FirstOrDefault(k => (int)k!["domId"]! == domId && (int)k["devId"]! == devId);

    private async Task WaitConnectedAsync(int devId) =>
        await Poll.UntilAsync(async () => Vkbd(await GetJsonAsync(factory.Viewer(), "/api/rings"), 1, devId) is { } k && (string?)k["state"] == "Connected",
            $"guest 1's vkbd device {devId} connected");

    [Fact]
    public async Task A_guest_with_input_connected_shows_its_vkbd_device_with_indices_features_requests_and_the_events_sent()
    {
        await WaitConnectedAsync(0);

        var sent = System.SendInput(1, 0, [
            new XenkbdKey(true, LinuxInput.KEY_A), new XenkbdKey(false, LinuxInput.KEY_A),
            new XenkbdPosition(10, 20, 0), XenkbdMtouch.Down(0, 5, 5), XenkbdMtouch.Up(0),
        ]);
        Assert.Equal(5, sent.Accepted);
        long s = sent.FirstSeq;

        var rings = await Poll.UntilAsync(() => GetJsonAsync(factory.Viewer(), "/api/rings"),
            r => Vkbd(r, 1, 0) is { } k && (uint)k["inCons"]! == (uint)k["inProd"]! && (long)k["nextSeq"]! >= s + 5,
            what: "guest 1 to consume the events on vkbd 1/0");
        var vkbd = Vkbd(rings, 1, 0)!;
        Assert.Equal("guest1-hdmi", (string)vkbd["uniqueId"]!);
        Assert.Equal((1920, 1080), ((int)vkbd["width"]!, (int)vkbd["height"]!));
        Assert.NotNull(vkbd["pageGref"]);
        Assert.True((int)vkbd["eventChannel"]! > 0);
        Assert.Equal((51, 25, 0, 0), ((int)vkbd["inRingLen"]!, (int)vkbd["outRingLen"]!, (int)vkbd["inFill"]!, (int)vkbd["outFill"]!));
        Assert.True((uint)vkbd["inProd"]! >= s + 5);
        Assert.Equal(["feature-abs-pointer", "feature-multi-touch"], vkbd["features"]!.AsArray().Select(f => (string)f!));
        Assert.Equal(10, (int)vkbd["mtNumContacts"]!);
        Assert.Equal(["request-abs-pointer", "request-multi-touch"], vkbd["requests"]!.AsArray().Select(f => (string)f!));
        Assert.Equal(0, (int)vkbd["backlog"]!);
        var recent = vkbd["recent"]!.AsArray().Where(e => (long)e!["seq"]! >= s).Select(e => $"{e!["seq"]} {e["type"]} {e["text"]}");
        Assert.Equal(
            [$"{s} XENKBD_TYPE_KEY KEY KEY_A press", $"{s + 1} XENKBD_TYPE_KEY KEY KEY_A release", $"{s + 2} XENKBD_TYPE_POS POS 10,20 z0",
             $"{s + 3} XENKBD_TYPE_MTOUCH MTOUCH down #0 5,5", $"{s + 4} XENKBD_TYPE_MTOUCH MTOUCH up #0"],
            recent);
        Assert.Contains(rings["vdispl"]!.AsArray(), r => (string)r!["uniqueId"]! == "guest1-hdmi");

        string html = await factory.Viewer().GetStringAsync("/rings");
        Assert.Contains("data-testid=\"vkbd\" data-key=\"1/0\"", html);
        Assert.Contains("MTOUCH down #0 5,5", html);
    }

    [Fact]
    public async Task Input_events_are_in_the_trace_and_the_query_filters_them_by_kind_operation_domain_and_device()
    {
        await WaitConnectedAsync(0);
        long after = System.Trace.Appended - 1;
        var sent = System.SendInput(1, 0, [new XenkbdKey(true, LinuxInput.KEY_Q), new XenkbdKey(false, LinuxInput.KEY_Q), new XenkbdPosition(3, 4, 1)]);
        long s = sent.FirstSeq;

        var input = await GetJsonAsync(factory.Viewer(), $"/api/trace?after={after}&kind=input&domId=1&devId=0");
        Assert.Equal([$"seq {s} KEY KEY_Q press", $"seq {s + 1} KEY KEY_Q release", $"seq {s + 2} POS 3,4 z1"],
            input.AsArray().Select(e => (string)e!["text"]!));
        Assert.All(input.AsArray(), e =>
        {
            Assert.Equal("Input", (string)e!["kind"]!);
            Assert.Equal((1, 0, 0), ((int)e["domId"]!, (int)e["devId"]!, (int)e["connector"]!));
        });
        Assert.Equal((int)(ushort)s, (int)input[0]!["id"]!);

        var keys = await GetJsonAsync(factory.Viewer(), $"/api/trace?after={after}&op=xenkbd_type_key");
        Assert.Equal(2, keys.AsArray().Count);
        Assert.Empty((await GetJsonAsync(factory.Viewer(), $"/api/trace?after={after}&kind=Input&devId=1")).AsArray());
        Assert.Empty((await GetJsonAsync(factory.Viewer(), $"/api/trace?after={after}&kind=Input&domId=2")).AsArray());

        string html = await factory.Viewer().GetStringAsync("/trace");
        Assert.Contains("<option value=\"Input\">", html);
        Assert.Contains("<option value=\"XENKBD_TYPE_KEY\">", html);
        Assert.Contains("data-testid=\"filter-device\"", html);
    }

    [Fact]
    public async Task Pointer_moves_beyond_the_rate_are_not_traced_and_are_counted()
    {
        await WaitConnectedAsync(1);
        const int moves = 300;
        int rate = System.KbdOptions.TraceMovesPerSecond;
        var clock = Stopwatch.StartNew();
        var batch = System.SendInput(1, 1, Enumerable.Range(0, moves).Select(i => (IXenkbdInEvent)new XenkbdPosition(i % 1000, 7, 0)).ToList());
        Assert.Equal(moves, batch.Accepted);
        var key = System.SendInput(1, 1, [new XenkbdKey(true, LinuxInput.KEY_Z), new XenkbdKey(false, LinuxInput.KEY_Z)]);

        var trace = await Poll.UntilAsync(() => GetJsonAsync(factory.Viewer(), "/api/trace?domId=1&devId=1&kind=Input"),
            t => t.AsArray().Any(e => (string)e!["text"]! == $"seq {key.FirstSeq + 1} KEY KEY_Z release"),
            what: "the key after the moves to be written");
        int windows = (int)Math.Ceiling(clock.Elapsed.TotalSeconds) + 1; // the one-second windows the writes can have spanned
        int shown = trace.AsArray().Count(e => (string)e!["operation"]! == "XENKBD_TYPE_POS");
        Assert.InRange(shown, 1, windows * rate);
        var press = trace.AsArray().Single(e => ((string)e!["text"]!).StartsWith($"seq {key.FirstSeq} KEY KEY_Z press", StringComparison.Ordinal))!;
        var told = Regex.Match((string)press["text"]!, @"\((\d+) moves not shown\)$");
        Assert.True(told.Success, (string)press["text"]!);
        long hidden = long.Parse(told.Groups[1].Value, CultureInfo.InvariantCulture);

        var status = System.VkbdDevice(1, 1)!.Status();
        // Each move was written (and traced or held back) or merged into one waiting in the backlog.
        Assert.Equal(moves, shown + hidden + status.Coalesced + status.Dropped);
        Assert.Equal(hidden, status.MovesNotTraced);
        var rings = await GetJsonAsync(factory.Viewer(), "/api/rings");
        Assert.Equal(hidden, (long)Vkbd(rings, 1, 1)!["movesNotTraced"]!);
    }

    [Fact]
    public async Task The_xenstore_page_shows_the_vkbd_back_and_front_nodes()
    {
        await WaitConnectedAsync(0);
        const string back = "/local/domain/0/backend/vkbd/1/0", front = "/local/domain/1/device/vkbd/0";

        var backNodes = Nodes(await GetJsonAsync(factory.Viewer(), $"/api/xenstore?path={back}"));
        Assert.Equal("1", backNodes["feature-abs-pointer"]);
        Assert.Equal("1", backNodes["feature-multi-touch"]);
        Assert.Equal("0", backNodes["feature-raw-pointer"]);
        Assert.Equal("0", backNodes["feature-disable-keyboard"]);
        Assert.Equal("0", backNodes["feature-disable-pointer"]);
        Assert.Equal(("1920", "1080"), (backNodes["width"], backNodes["height"]));
        Assert.Equal(("1920", "1080", "10"), (backNodes["multi-touch-width"], backNodes["multi-touch-height"], backNodes["multi-touch-num-contacts"]));
        Assert.Equal("guest1-hdmi", backNodes["unique-id"]);
        Assert.Equal(("4", front), (backNodes["state"], backNodes["frontend"]));

        var frontNodes = Nodes(await GetJsonAsync(factory.Viewer(), $"/api/xenstore?path={front}"));
        Assert.Equal(("1", "1"), (frontNodes["request-abs-pointer"], frontNodes["request-multi-touch"]));
        Assert.Matches("^[0-9]+$", frontNodes["page-gref"]);
        Assert.Matches("^[0-9]+$", frontNodes["page-ref"]);
        Assert.Matches("^[0-9]+$", frontNodes["event-channel"]);
        Assert.Equal(("4", back), (frontNodes["state"], frontNodes["backend"]));

        string html = await factory.Viewer().GetStringAsync($"/xenstore?path={Uri.EscapeDataString(back)}");
        Assert.Contains($"data-path=\"{back}/unique-id\"", html);
        Assert.Contains("href=\"/xenstore?path=%2Flocal%2Fdomain%2F0%2Fbackend%2Fvkbd\"", html); // a shortcut beside vdispl's
    }

    /// <summary>The direct children of the view's root, name to value.</summary>
    private static Dictionary<string, string> Nodes(JsonNode view)
    {
        var nodes = view["nodes"]!.AsArray();
        int depth = (int)nodes[0]!["depth"]!;
        return nodes.Where(n => (int)n!["depth"]! == depth + 1).ToDictionary(n => (string)n!["name"]!, n => (string)n!["value"]!);
    }
}
