using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using XenDisplayWeb.Server.Tests.Pages;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Tests.Host;

namespace XenDisplayWeb.Server.Tests.Views;

/// <summary>
/// The rings page and API with a guest that wrote a connector "01" beside "1" (the same index twice): the device is
/// refused with the reason, and everyone still gets the rings of the other guests. Its own server: it adds a domain.
/// </summary>
public class RingViewBuilderTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    private const int HostileDomId = 40;

    [Fact]
    public async Task A_connector_01_beside_1_is_refused_and_the_rings_still_answer_200_to_everyone()
    {
        var system = factory.Services.GetRequiredService<SimulatedHostService>().System!;
        var viewer = factory.Viewer();
        await Poll.UntilAsync(async () => (await viewer.GetAsync("/api/rings")).StatusCode == HttpStatusCode.OK, "the demo's rings");

        HandMadeFrontend.Publish(system, HostileDomId, [.. HandMadeFrontend.Good(2), new WrittenConnector("01")]);
        await Poll.UntilAsync(() => Task.FromResult(system.Backend.Device(HostileDomId)?.State is XenbusState.Closing or XenbusState.Connected),
            "the backend to answer the hand-made device");

        var rings = await viewer.GetAsync("/api/rings");
        Assert.Equal(HttpStatusCode.OK, rings.StatusCode);
        var served = JsonNode.Parse(await rings.Content.ReadAsStringAsync())!["vdispl"]!.AsArray().Select(r => $"{r!["domId"]}/{r["index"]}").ToList();
        Assert.Contains("1/0", served);
        Assert.DoesNotContain(served, r => r.StartsWith($"{HostileDomId}/", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/rings")).StatusCode);

        var backend = JsonNode.Parse(await factory.Operator().GetStringAsync($"/api/domains/{HostileDomId}/backend"))!;
        Assert.True((bool)backend["misbehaving"]!);
        Assert.Contains("connector '01'", (string)backend["reason"]!);
    }
}
