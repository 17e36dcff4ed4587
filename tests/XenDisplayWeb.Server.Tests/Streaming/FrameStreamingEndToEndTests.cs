using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using static XenDisplayWeb.Server.Tests.Streaming.StreamTestKit;

namespace XenDisplayWeb.Server.Tests.Streaming;

/// <summary>The demo server: frames over a real WebSocket, and the PNG endpoints.</summary>
public class FrameStreamingEndToEndTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Watching_a_demo_connector_gives_a_full_frame_then_newer_frames_after_each_ack()
    {
        await using var hub = await factory.ConnectHubAsync();
        var size = await hub.InvokeAsync("Watch", 1, 1);
        Assert.Equal((1024, 768), ((int)size!["width"]!, (int)size["height"]!));

        var first = (await hub.NextAsync("Frame", Wait))[0]!;
        Assert.Equal((1, 1, 1L, true), ((int)first["domId"]!, (int)first["index"]!, (long)first["id"]!, (bool)first["full"]!));
        Assert.Equal((1024, 768), ((int)first["width"]!, (int)first["height"]!));
        var rects = first["rects"]!.AsArray();
        Assert.Equal(1024L * 768, rects.Sum(r => (long)(int)r!["w"]! * (int)r["h"]!));
        Assert.All(rects, r => Assert.True((int)r!["w"]! <= 512 && (int)r["h"]! <= 512));
        var png = rects.First(r => (string)r!["codec"]! == "png")!;
        var decoded = DecodePng(Convert.FromBase64String((string)png["data"]!));
        Assert.Equal(((int)png["w"]!, (int)png["h"]!), (decoded.Width, decoded.Height));
        double serverTime = (double)first["serverTime"]!;
        Assert.InRange(serverTime, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1);

        long lastGuestFrame = (long)first["guestFrame"]!;
        long lastId = 1;
        await hub.SendAsync("Ack", 1, 1, 1);
        for (int i = 0; i < 3; i++)
        {
            var next = (await hub.NextAsync("Frame", Wait))[0]!;
            Assert.True((long)next["id"]! > lastId);
            Assert.True((long)next["guestFrame"]! > lastGuestFrame, $"guestFrame {next["guestFrame"]} after {lastGuestFrame}");
            Assert.False((bool)next["full"]!);
            lastId = (long)next["id"]!;
            lastGuestFrame = (long)next["guestFrame"]!;
            await hub.SendAsync("Ack", 1, 1, lastId);
        }
        await hub.InvokeAsync("Unwatch", 1, 1);
    }

    [Fact]
    public async Task Watching_an_unknown_connector_is_an_error_naming_it()
    {
        await using var hub = await factory.ConnectHubAsync();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => hub.InvokeAsync("Watch", 3, 0));
        Assert.Contains("no connector 3/0", error.Message);
    }

    [Fact]
    public async Task The_snapshot_is_a_png_of_the_connectors_size_and_unknown_connectors_are_404()
    {
        using var client = factory.Viewer();
        HttpResponseMessage? response = null;
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline)
        {
            response = await client.GetAsync("/api/domains/2/connectors/0/snapshot.png");
            if (response.StatusCode == HttpStatusCode.OK) break;
            await Task.Delay(50); // the demo guest is still starting up
        }
        Assert.Equal(HttpStatusCode.OK, response!.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        var (w, h, _) = DecodePng(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal((1280, 720), (w, h));

        var missing = await client.GetAsync("/api/domains/3/connectors/0/snapshot.png");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("no connector 3/0", (await missing.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
    }

    [Fact]
    public async Task A_buffer_png_is_read_from_the_dbuf_with_its_fbs_format_and_size()
    {
        var system = factory.Services.GetRequiredService<SimulatedHostService>().System!;
        var store = await Eventually(() => system.Backend.Device(1)?.Buffers is { FbCount: > 0 } s ? s : null);
        var fb = store.Fbs.First(f => f.Width == 1024);
        using var client = factory.Viewer();
        var response = await client.GetAsync($"/api/domains/1/buffers/{fb.Dbuf.Cookie}.png");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (w, h, _) = DecodePng(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal((1024, 768), (w, h));

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/domains/1/buffers/999999.png")).StatusCode);

        // A dbuf with no fb attached: nothing says how its bytes are pixels.
        var device = system.Guest(1)!.Front.Device!;
        var dumb = await device.CreateDumbAsync(64, 32, 32);
        try
        {
            var conflict = await client.GetAsync($"/api/domains/1/buffers/{dumb.Cookie}.png");
            Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
            Assert.Contains("no fb", (await conflict.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        }
        finally { await device.DestroyDumbAsync(dumb); }
    }

    private static async Task<T> Eventually<T>(Func<T?> probe) where T : class
    {
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline)
        {
            if (probe() is { } v) return v;
            await Task.Delay(20);
        }
        throw new TimeoutException("the demo did not get there");
    }
}
