namespace XenDisplayWeb.Server.Tests.Hubs;

public class DashboardHubTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    [Fact]
    public async Task A_new_connection_gets_the_topology_with_every_demo_connector()
    {
        await using var hub = await factory.ConnectHubAsync();
        var args = await hub.NextAsync("Topology");
        var domains = args[0]!.AsArray();
        Assert.Equal([1, 2], domains.Select(d => (int)d!["domId"]!));
        Assert.Equal([1920, 1024], domains[0]!["connectors"]!.AsArray().Select(c => (int)c!["width"]!));
    }

    [Fact]
    public async Task Subscribing_to_an_unknown_topic_is_an_error_naming_the_topics()
    {
        await using var hub = await factory.ConnectHubAsync();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => hub.InvokeAsync("Subscribe", "nonsense"));
        Assert.Contains("trace", error.Message);
    }
}
