using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using static XenDisplayWeb.Server.Tests.ApiPolling;

namespace XenDisplayWeb.Server.Tests.Api;

public class InputControlTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    private static async Task<JsonObject> BodyAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private static Task<JsonArray> InputReadyAsync(HttpClient client) =>
        client.WaitForDomainsAsync(d => d.Domain(1).ConnectedWith(2) && (string?)Connector(d.Domain(1), 0)["input"]?["state"] == "Connected",
            "guest 1 connected with its vkbd device");

    [Fact]
    public async Task Events_sent_get_their_sequence_numbers_and_the_guest_consumes_up_to_the_last()
    {
        var op = factory.Operator();
        await InputReadyAsync(op);

        var response = await op.PostAsJsonAsync("/api/domains/1/connectors/0/input", new
        {
            events = new object[]
            {
                new { type = "pos", x = 10, y = 20, z = 0 },
                new { type = "key", code = 30, pressed = true },
                new { type = "key", code = 30, pressed = false },
                new { type = "motion", dx = 1, dy = 0, dz = 0 },
            },
        });

        var accepted = await BodyAsync(response, HttpStatusCode.OK);
        Assert.Equal(4, (int)accepted["accepted"]!);
        long first = (long)accepted["firstSeq"]!, last = (long)accepted["lastSeq"]!;
        Assert.Equal(first + 3, last);
        Assert.Equal(0, (int)accepted["refused"]!);
        var domains = await op.WaitForDomainsAsync(d => (long)Connector(d.Domain(1), 0)["input"]!["lastSeq"]! >= last,
            $"guest 1's compositor to consume seq {last}");
        Assert.True((long)Connector(domains.Domain(1), 0)["input"]!["events"]! >= 4);
    }

    [Fact]
    public async Task A_1000_event_burst_is_taken_whole_and_the_guest_consumes_every_key()
    {
        var op = factory.Operator();
        await InputReadyAsync(op);
        var events = Enumerable.Range(0, 250).SelectMany(i => new object[]
        {
            new { type = "pos", x = i, y = i % 100, z = 0 },
            new { type = "motion", dx = 1, dy = -1, dz = 0 },
            new { type = "key", code = 16 + i % 10, pressed = true }, // KEY_Q..KEY_P
            new { type = "key", code = 16 + i % 10, pressed = false },
        }).ToArray();

        var accepted = await BodyAsync(await op.PostAsJsonAsync("/api/domains/1/connectors/0/input", new { events }), HttpStatusCode.OK);

        Assert.Equal((1000, 0), ((int)accepted["accepted"]!, (int)accepted["refused"]!));
        long last = (long)accepted["lastSeq"]!;
        await op.WaitForDomainsAsync(d => (long)Connector(d.Domain(1), 0)["input"]!["lastSeq"]! >= last, $"the burst consumed up to seq {last}");
        var status = factory.Services.GetRequiredService<SimulatedHostService>().System!.VkbdDevice(1, 0)!.Status();
        Assert.Equal(0, status.Dropped);
        Assert.Equal(0, status.Backlog);
    }

    [Fact]
    public async Task Keys_buttons_and_touches_a_hub_connection_still_holds_when_it_goes_are_released_to_the_guest()
    {
        var op = factory.Operator();
        await InputReadyAsync(op);
        var device = factory.Services.GetRequiredService<SimulatedHostService>().System!.VkbdDevice(1, 1)!;
        var hub = await factory.ConnectHubAsync(DashboardFactory.OperatorToken);
        var pressed = await hub.InvokeAsync("SendInput", 1, 1, new object[]
        {
            new { type = "key", code = 16, pressed = true }, // KEY_Q, held
            new { type = "key", code = 17, pressed = true }, // KEY_W, released below: not released again
            new { type = "key", code = 17, pressed = false },
            new { type = "key", code = 0x111, pressed = true }, // BTN_RIGHT, held
            new { type = "mtouch", @event = "down", contact = 3, x = 10, y = 10 },
            new { type = "mtouch", @event = "syn", contact = 3 },
        });
        long last = (long)pressed!["lastSeq"]!;

        await hub.DisposeAsync();

        var recent = await Pages.Poll.UntilAsync(() => Task.FromResult(device.Status().Recent), r => r.Any(e => e.Seq > last),
            what: "the releases to reach the guest");
        var after = recent.Where(e => e.Seq > last).Select(e => e.Event).ToList();
        Assert.Contains(new Shared.Kbdif.XenkbdKey(false, 16), after);
        Assert.Contains(new Shared.Kbdif.XenkbdKey(false, 0x111), after);
        Assert.Contains(Shared.Kbdif.XenkbdMtouch.Up(3), after);
        Assert.DoesNotContain(new Shared.Kbdif.XenkbdKey(false, 17), after);
    }

    [Fact]
    public async Task The_desktops_cursor_lands_at_the_posted_pixel_in_the_snapshot()
    {
        var op = factory.Operator();
        await InputReadyAsync(op);
        const int X = 700, Y = 500;

        var accepted = await BodyAsync(await op.PostAsJsonAsync("/api/domains/1/connectors/0/input",
            new { events = new[] { new { type = "pos", x = X, y = Y, z = 0 } } }), HttpStatusCode.OK);
        await op.WaitForDomainsAsync(d => (long)Connector(d.Domain(1), 0)["input"]!["lastSeq"]! >= (long)accepted["lastSeq"]!, "the move consumed");

        // The frame that consumed the move is flipped after the seq is noted: wait for a snapshot that shows it.
        await Pages.Poll.UntilAsync(async () =>
        {
            var (w, _, rgb) = Streaming.StreamTestKit.DecodePng(await op.GetByteArrayAsync("/api/domains/1/connectors/0/snapshot.png"));
            return CursorProblem(rgb, w, X, Y);
        }, wrong => wrong is null, what: $"the cursor at ({X},{Y}) in snapshot.png");
    }

    /// <summary>The first sprite pixel at (x, y) in an RGB picture of width <paramref name="w"/> that is not the cursor's, or null.</summary>
    private static string? CursorProblem(byte[] rgb, int w, int x, int y)
    {
        var sprite = Shared.Workloads.DesktopRenderer.CursorSprite;
        for (int row = 0; row < sprite.Length; row++)
            for (int col = 0; col < sprite[row].Length; col++)
            {
                if (sprite[row][col] == ' ') continue;
                uint want = sprite[row][col] == 'X' ? Shared.Workloads.DesktopRenderer.CursorOutline : Shared.Workloads.DesktopRenderer.CursorFill;
                int i = ((y + row) * w + x + col) * 3;
                uint got = (uint)(rgb[i] << 16 | rgb[i + 1] << 8 | rgb[i + 2]);
                if (got != want) return $"({x + col},{y + row}) is {got:x6}, the cursor's {want:x6}";
            }
        return null;
    }

    [Theory]
    [InlineData("""{ "events": [] }""", "events")]
    [InlineData("""{ }""", "events")]
    [InlineData("""{ "events": [ { "type": "key", "code": 30, "pressed": true }, { "type": "key", "code": 0, "pressed": true } ] }""", "events[1].code")]
    [InlineData("""{ "events": [ { "type": "key", "code": 30 } ] }""", "events[0].pressed")]
    [InlineData("""{ "events": [ { "type": "pos", "x": 1920, "y": 0 } ] }""", "events[0].x")]
    [InlineData("""{ "events": [ { "type": "pos", "x": 0, "y": -1 } ] }""", "events[0].y")]
    [InlineData("""{ "events": [ { "type": "motion", "dx": 99999999 } ] }""", "events[0].dx")]
    [InlineData("""{ "events": [ { "type": "mtouch", "event": "down", "contact": 10, "x": 1, "y": 1 } ] }""", "events[0].contact")]
    [InlineData("""{ "events": [ { "type": "mtouch", "event": "pinch", "contact": 0 } ] }""", "events[0].event")]
    [InlineData("""{ "events": [ { "type": "scroll" } ] }""", "events[0].type")]
    public async Task A_broken_event_is_refused_naming_its_field_and_nothing_of_the_batch_is_sent(string json, string field)
    {
        var op = factory.Operator();
        await InputReadyAsync(op);
        var device = factory.Services.GetRequiredService<SimulatedHostService>().System!.VkbdDevice(1, 0)!;
        long nextSeq = device.Status().NextSeq;

        var response = await op.PostAsync("/api/domains/1/connectors/0/input", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        var problem = await BodyAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), $"no error for {field}: {problem}");
        Assert.Equal(nextSeq, device.Status().NextSeq); // not one event of the batch went to the guest
    }

    [Fact]
    public async Task A_viewer_cannot_send_input_and_an_unknown_connector_is_a_404()
    {
        var viewer = factory.Viewer();
        var refused = await viewer.PostAsJsonAsync("/api/domains/1/connectors/0/input", new { events = new[] { new { type = "key", code = 30, pressed = true } } });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        var op = factory.Operator();
        var missing = await op.PostAsJsonAsync("/api/domains/1/connectors/9/input", new { events = new[] { new { type = "key", code = 30, pressed = true } } });
        Assert.Contains("connector", (string?)(await BodyAsync(missing, HttpStatusCode.NotFound))["detail"]);
    }

    [Fact]
    public async Task The_hub_takes_an_operators_input_and_refuses_a_viewers()
    {
        var op = factory.Operator();
        await InputReadyAsync(op);
        await using var operatorHub = await factory.ConnectHubAsync(DashboardFactory.OperatorToken);
        await using var viewerHub = await factory.ConnectHubAsync(DashboardFactory.ViewerToken);
        var events = new[] { new { type = "key", code = 48, pressed = true }, new { type = "key", code = 48, pressed = false } };

        var result = await operatorHub.InvokeAsync("SendInput", 1, 0, events);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => viewerHub.InvokeAsync("SendInput", 1, 0, events));

        Assert.Equal(2, (int)result!["accepted"]!);
        Assert.Contains("unauthorized", error.Message, StringComparison.OrdinalIgnoreCase);
        await op.WaitForDomainsAsync(d => (long)Connector(d.Domain(1), 0)["input"]!["lastSeq"]! >= (long)result["lastSeq"]!, "the operator's keys consumed");
        var broken = await Assert.ThrowsAsync<InvalidOperationException>(() => operatorHub.InvokeAsync("SendInput", 1, 0, new[] { new { type = "key", code = 48 } }));
        Assert.Contains("events[0].pressed", broken.Message);
    }
}
