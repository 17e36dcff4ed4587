using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using XenDisplayWeb.Server.Streaming;
using XenDisplayWeb.Server.Tests.Pages;
using XenDisplayWeb.Shared.Backend;

namespace XenDisplayWeb.Server.Tests.Streaming;

/// <summary>
/// A guest's streams live as long as the guest: across backend cycles (BackendCycleStreamingTests), and no longer
/// once it is destroyed. Its own server: it creates and destroys a guest through the console.
/// </summary>
public class FrameStreamRegistryTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_guest_destroyed_through_the_console_takes_its_streams_and_their_modes_with_it_while_watched()
    {
        var registry = factory.Services.GetRequiredService<FrameStreamRegistry>();
        using var api = factory.Operator();
        var created = await api.PostAsJsonAsync("/api/domains", new
        {
            name = "short-lived",
            connectors = new[] { new { width = 64, height = 48, uniqueId = "a" }, new { width = 64, height = 48, uniqueId = "b" } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        int domId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("domId").GetInt32();
        await Poll.UntilAsync(() => Task.FromResult(registry.Find(domId, 0) is not null && registry.Find(domId, 1) is not null), "the guest's two streams", Wait);
        var unset = registry.ModeOf(domId, 3).Mode;
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync($"/api/domains/{domId}/connectors/0/stream", new { mode = "tiles" })).StatusCode);
        Assert.NotEqual(unset, registry.ModeOf(domId, 0).Mode);
        await using var viewer = await factory.ConnectHubAsync();
        await viewer.InvokeAsync("Watch", domId, 0);
        await viewer.NextAsync("Frame", Wait);
        var streams = registry.Streams.Where(s => s.DomId == domId).ToList();
        Assert.Equal(2, streams.Count);

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/domains/{domId}")).StatusCode);

        await Poll.UntilAsync(() => Task.FromResult(streams.All(s => s.IsDisposed)), "the guest's streams to be disposed", Wait);
        Assert.DoesNotContain(registry.Streams, s => s.DomId == domId);
        Assert.All(streams, s => Assert.True(s.Completion.IsCompleted, "the encoder task has ended"));
        Assert.Equal(unset, registry.ModeOf(domId, 0).Mode);
        Assert.Null(registry.Known(domId, 0));
    }

    [Fact]
    public void A_gone_guests_stream_still_fed_by_a_connector_is_disposed_when_that_connector_lets_go_and_others_stay()
    {
        using var registry = StreamTestKit.Registry(new RecordingSender(), new FakeTimeProvider());
        var sink = registry.Create(new ConnectorKey(5, 0, 0), 64, 48);
        using var other = registry.Create(new ConnectorKey(6, 0, 0), 64, 48);
        var stream = registry.Known(5, 0)!;

        registry.GuestGone(5);

        Assert.Null(registry.Known(5, 0));
        Assert.False(stream.IsDisposed, "a backend connector still feeds it");
        sink.Dispose();
        Assert.True(stream.IsDisposed);
        Assert.NotNull(registry.Find(6, 0));
        using var again = registry.Create(new ConnectorKey(5, 0, 0), 64, 48);
        Assert.NotSame(stream, registry.Known(5, 0));
    }

    [Fact]
    public async Task A_stream_retired_while_its_last_connector_detaches_is_disposed_whichever_comes_first()
    {
        using var registry = StreamTestKit.Registry(new RecordingSender(), new FakeTimeProvider());
        using var start = new Barrier(2);
        for (int i = 0; i < 500; i++)
        {
            var sink = registry.Create(new ConnectorKey(7, 0, 0), 64, 48);
            var stream = registry.Known(7, 0)!;
            var detach = Task.Run(() => { start.SignalAndWait(); sink.Dispose(); });
            var retire = Task.Run(() => { start.SignalAndWait(); registry.GuestGone(7); });
            await Task.WhenAll(detach, retire);
            Assert.True(stream.IsDisposed, $"round {i}: neither side disposed the stream");
        }
    }
}
