using XenDisplayWeb.Client.Components;
using XenDisplayWeb.Client.Models;

namespace XenDisplayWeb.Client.Tests.Components;

public class OverviewTests : BunitContext
{
    private IRenderedComponent<Overview> RenderOverview(params DomainView[] domains) =>
        Render<Overview>(p => p.Add(x => x.Domains, domains).Add(x => x.BackendState, "running").Add(x => x.Role, Roles.Viewer));

    [Fact]
    public void Every_connector_has_a_live_thumbnail_at_its_mode_asking_for_the_thumbnail_box_and_a_link_to_its_page()
    {
        var cut = RenderOverview(Samples.Guest1, Samples.Guest2);

        var canvases = cut.FindAll("canvas[data-connector]");
        Assert.Equal(["1/0", "1/1", "2/0"], canvases.Select(c => c.GetAttribute("data-connector")));
        Assert.Equal(["1920", "1024", "1280"], canvases.Select(c => c.GetAttribute("width")));
        Assert.Equal(["1080", "768", "720"], canvases.Select(c => c.GetAttribute("height")));
        // Each asks the server for the thumbnail's box, not the mode.
        Assert.All(canvases, c => Assert.Equal(("384", "216"), (c.GetAttribute("data-max-width"), c.GetAttribute("data-max-height"))));
        Assert.Equal(["/domains/1/connectors/0", "/domains/1/connectors/1", "/domains/2/connectors/0"],
            cut.FindAll("[data-testid=connector-link]").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public void Shows_xenbus_states_link_fps_and_workload_with_topology_hooks()
    {
        var cut = RenderOverview(Samples.Guest1, Samples.Guest2);

        Assert.Equal("Connected", cut.Find("[data-topology-field='1:state']").TextContent);
        Assert.Equal("Reconfiguring", cut.Find("[data-topology-field='2:state']").TextContent);
        Assert.Equal("Closed", cut.Find("[data-topology-field='2:backendState']").TextContent);
        Assert.Equal("connected", cut.Find("[data-topology-field='1/0:connected']").TextContent);
        Assert.Equal("disconnected", cut.Find("[data-topology-field='1/1:connected']").TextContent);
        Assert.Equal("29.5", cut.Find("[data-topology-field='1/1:framesPerSecond']").TextContent);
        Assert.Equal("testpattern", cut.Find("[data-topology-field='1/1:workload']").TextContent);
        Assert.Equal("1920×1080", cut.Find("[data-topology-field='1/0:mode']").TextContent);
        Assert.Contains("req_prod 99", cut.Find("[data-testid=misbehaving]").TextContent);
        Assert.Equal("true", cut.Find("main").GetAttribute("data-topology-reload"));
    }

    [Fact]
    public void Says_so_when_no_guest_has_a_display()
    {
        var cut = RenderOverview();
        Assert.Contains("No guest has a display device", cut.Find("[data-testid=no-domains]").TextContent);
        Assert.Empty(cut.FindAll("canvas"));
    }
}
