using Microsoft.Extensions.DependencyInjection;
using XenDisplayWeb.Server.Streaming;
using static XenDisplayWeb.Server.Tests.Streaming.StreamTestKit;

namespace XenDisplayWeb.Server.Tests.Streaming;

/// <summary>WatchWith over a real WebSocket: a box gets frames at the scaled size beside a full-size viewer.</summary>
public class ScaledWatchHubTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_thumbnail_watch_and_a_full_watch_of_one_connector_each_get_their_own_size_and_leaving_drops_the_variant()
    {
        var thumb = await factory.ConnectHubAsync();
        await using var full = await factory.ConnectHubAsync();
        var box = new { maxWidth = 320, maxHeight = 180, videoCodecs = Array.Empty<string>() };
        var size = await thumb.InvokeAsync("WatchWith", 1, 1, box);
        Assert.Equal((240, 180), ((int)size!["width"]!, (int)size["height"]!));   // 1024x768 in 320x180
        var fullSize = await full.InvokeAsync("Watch", 1, 1);
        Assert.Equal((1024, 768), ((int)fullSize!["width"]!, (int)fullSize["height"]!));

        var small = (await thumb.NextAsync("Frame", Wait))[0]!;
        Assert.Equal((240, 180, true), ((int)small["width"]!, (int)small["height"]!, (bool)small["full"]!));
        Assert.Equal(240L * 180, small["rects"]!.AsArray().Sum(r => (long)(int)r!["w"]! * (int)r["h"]!));
        var png = small["rects"]!.AsArray().First(r => (string)r!["codec"]! == "png")!;
        Assert.Equal(((int)png["w"]!, (int)png["h"]!), DecodePng(Convert.FromBase64String((string)png["data"]!)) is var d ? (d.Width, d.Height) : default);
        var large = (await full.NextAsync("Frame", Wait))[0]!;
        Assert.Equal((1024, 768), ((int)large["width"]!, (int)large["height"]!));

        // Acknowledged, the thumbnail keeps coming at its size.
        await thumb.SendAsync("Ack", 1, 1, (long)small["id"]!);
        var next = (await thumb.NextAsync("Frame", Wait))[0]!;
        Assert.Equal((240, 180), ((int)next["width"]!, (int)next["height"]!));
        Assert.True((long)next["guestFrame"]! > (long)small["guestFrame"]!);

        var stream = factory.Services.GetRequiredService<FrameStreamRegistry>().Known(1, 1)!;
        Assert.Single(stream.Scaled.Streams);
        await thumb.DisposeAsync();                                  // the connection leaves
        var deadline = DateTime.UtcNow + Wait;
        while (stream.Scaled.Streams.Count > 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Empty(stream.Scaled.Streams);
        await full.InvokeAsync("Unwatch", 1, 1);
    }
}
