using XenDisplayWeb.Client.Components;
using XenDisplayWeb.Client.Models;

namespace XenDisplayWeb.Client.Tests;

public class OverviewTests : BunitContext
{
    [Fact]
    public void Lists_every_connector_of_every_domain()
    {
        var domains = new List<DomainView>
        {
            new(1, "guest1", "Connected", false, [new ConnectorView(0, 1920, 1080, "guest1-hdmi", "desktop", "Connected", true, 10)]),
        };
        var cut = Render<Overview>(p => p.Add(x => x.Domains, domains).Add(x => x.BackendState, "running"));
        Assert.Contains("1920×1080", cut.Markup);
        Assert.Contains("guest1", cut.Markup);
    }
}
