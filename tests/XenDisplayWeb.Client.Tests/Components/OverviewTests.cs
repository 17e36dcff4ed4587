using XenDisplayWeb.Client.Components;
using XenDisplayWeb.Client.Models;
using XenDisplayWeb.Client.Services;

namespace XenDisplayWeb.Client.Tests.Components;

public class OverviewTests : FakeFeedTestContext
{
    private IRenderedComponent<Overview> RenderOverview(params DomainView[] domains)
    {
        SignIn(Roles.Viewer);
        Feed.DomainList = [.. domains];
        return Render<Overview>();
    }

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
        // Each thumbnail is handed to dashboard.js.
        Assert.Equal(3, Attached);
    }

    [Fact]
    public void Shows_xenbus_states_link_fps_and_workload()
    {
        var cut = RenderOverview(Samples.Guest1, Samples.Guest2);

        Assert.Equal("Connected", cut.Find("[data-domid='1'] [data-testid=frontend-state]").TextContent);
        Assert.Equal("Reconfiguring", cut.Find("[data-domid='2'] [data-testid=frontend-state]").TextContent);
        Assert.Equal("Closed", cut.Find("[data-domid='2'] [data-testid=backend-device-state]").TextContent);
        Assert.Equal("connected", cut.Find("[data-key='1/0'] [data-testid=link]").TextContent);
        Assert.Equal("disconnected", cut.Find("[data-key='1/1'] [data-testid=link]").TextContent);
        Assert.Equal("29.5", cut.Find("[data-key='1/1'] [data-testid=fps]").TextContent);
        Assert.Equal("testpattern", cut.Find("[data-key='1/1'] [data-testid=workload]").TextContent);
        Assert.Equal("1920×1080", cut.Find("[data-key='1/0'] [data-testid=mode]").TextContent);
        Assert.Contains("req_prod 99", cut.Find("[data-testid=misbehaving]").TextContent);
    }

    [Fact]
    public void Says_so_when_no_guest_has_a_display()
    {
        var cut = RenderOverview();
        Assert.Contains("No guest has a display device", cut.Find("[data-testid=no-domains]").TextContent);
        Assert.Empty(cut.FindAll("canvas"));
    }

    [Fact]
    public void A_connector_added_appears_with_its_canvas_when_the_feed_says_the_topology_changed()
    {
        var cut = RenderOverview(Samples.Guest1, Samples.Guest2);
        var added = Samples.Guest2 with { Connectors = [.. Samples.Guest2.Connectors, new ConnectorView(1, 640, 480, "guest2-1", "testpattern", "Connected", true, 0, 30)] };

        Feed.DomainList = [Samples.Guest1, added];
        Assert.Equal(3, cut.FindAll("[data-testid=connector-tile]").Count); // not before the feed says so
        Feed.Raise(DashboardChange.Topology);

        Assert.Equal(["1/0", "1/1", "2/0", "2/1"], cut.FindAll("[data-testid=connector-tile]").Select(t => t.GetAttribute("data-key")));
        var canvas = cut.Find("canvas[data-connector='2/1']");
        Assert.Equal(("640", "480"), (canvas.GetAttribute("width"), canvas.GetAttribute("height")));
        Assert.Equal(4, Attached);
        Assert.Equal(0, Released);
    }

    [Fact]
    public void A_connector_gone_takes_its_tile_and_gives_its_canvas_back_to_the_script()
    {
        var cut = RenderOverview(Samples.Guest1, Samples.Guest2);

        Feed.DomainList = [Samples.Guest1 with { Connectors = [Samples.Guest1.Connectors[0]] }, Samples.Guest2];
        Feed.Raise(DashboardChange.Topology);

        Assert.Equal(["1/0", "2/0"], cut.FindAll("[data-testid=connector-tile]").Select(t => t.GetAttribute("data-key")));
        Assert.Equal(1, Released);
    }

    [Fact]
    public void A_mode_change_gives_the_connector_a_new_canvas_at_the_new_mode()
    {
        var cut = RenderOverview(Samples.Guest1, Samples.Guest2);
        var before = cut.Find("canvas[data-connector='1/1']");
        Assert.Equal("1024", before.GetAttribute("width"));

        var guest1 = Samples.Guest1;
        Feed.DomainList = [guest1 with { Connectors = [guest1.Connectors[0], guest1.Connectors[1] with { Width = 800, Height = 600 }] }, Samples.Guest2];
        Feed.Raise(DashboardChange.Topology);

        var after = cut.Find("canvas[data-connector='1/1']");
        Assert.Equal(("800", "600"), (after.GetAttribute("width"), after.GetAttribute("height")));
        Assert.Equal("800×600", cut.Find("[data-key='1/1'] [data-testid=mode]").TextContent);
        // A new BrowserPart: the old element went back to the script and the new one was handed to it.
        Assert.Equal((4, 1), (Attached, Released));
    }

    [Fact]
    public void A_state_change_shows_without_a_new_canvas()
    {
        var cut = RenderOverview(Samples.Guest1, Samples.Guest2);

        Feed.DomainList = [Samples.Guest1 with { State = "Closing" }, Samples.Guest2];
        Feed.Raise(DashboardChange.Topology);

        Assert.Equal("Closing", cut.Find("[data-domid='1'] [data-testid=frontend-state]").TextContent);
        Assert.Equal((3, 0), (Attached, Released));
    }
}
