namespace XenDisplayWeb.EndToEnd;

public class SmokeTests(DashboardServer server) : IClassFixture<DashboardServer>
{
    [Fact]
    public async Task The_overview_lists_every_demo_connector()
    {
        var page = await server.OpenAsync("/");
        var text = await page.InnerTextAsync("body");
        Assert.Contains("guest1", text);
        Assert.Contains("guest2", text);
        await page.Context.CloseAsync();
    }
}
