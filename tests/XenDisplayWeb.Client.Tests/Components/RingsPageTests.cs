using XenDisplayWeb.Client.Components;
using XenDisplayWeb.Client.Models;

namespace XenDisplayWeb.Client.Tests.Components;

public class RingsPageTests : BunitContext
{
    [Fact]
    public void Each_connector_shows_ring_indices_event_page_ports_grefs_and_last_packets()
    {
        var rings = new List<RingView>
        {
            new(1, 0, "guest1-hdmi", 8, 5, 9, 6, 1234, 1234, 1235, 1235, 1234, 1234, 600, 600, 0, 1234, 600,
                "PG_FLIP id=1233 fb_cookie=0xffff88800500", "15", "PG_FLIP id=1233 status=0", "15"),
            new(2, 0, "guest2-dp", 12, 7, 13, 8, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, "", "", "", ""),
        };
        var cut = Render<RingsPage>(p => p.Add(x => x.Rings, rings).Add(x => x.Role, Roles.Viewer));

        var sections = cut.FindAll("[data-testid=ring]");
        Assert.Equal(["1/0", "2/0"], sections.Select(s => s.GetAttribute("data-key")));
        var first = sections[0];
        Assert.Equal("1234", first.QuerySelector("[data-testid=req-prod]")!.TextContent);
        Assert.Equal("1235", first.QuerySelector("[data-testid=rsp-event]")!.TextContent);
        Assert.Equal("600", first.QuerySelector("[data-testid=in-prod]")!.TextContent);
        Assert.Equal("8", first.QuerySelector("[data-testid=req-gref]")!.TextContent);
        Assert.Equal("6", first.QuerySelector("[data-testid=evt-port]")!.TextContent);
        Assert.Contains("PG_FLIP id=1233 fb_cookie=0xffff88800500", first.QuerySelector("[data-testid=last-request]")!.TextContent);
        Assert.Contains("status=0", first.QuerySelector("[data-testid=last-response]")!.TextContent);
        Assert.Contains("none yet", sections[1].QuerySelector("[data-testid=last-request]")!.TextContent);
    }

    [Fact]
    public void A_connector_on_a_CTB_shows_its_descriptor_and_recent_messages_newest_first()
    {
        var ctb = new CtbView(11, 2048, 2048, 640, 640, 40, 0, 40,
            [new CtbMessageView("0x0015010f", 39, "PG_FLIP", 15, 0), new CtbMessageView("0x0011010f", 40, "DBUF_DESTROY", 15, 2)]);
        var rings = new List<RingView> { new(3, 0, "guest3-ctb", 8, 5, 9, 6, 0, 0, 1, 1, 0, 0, 30, 30, 0, 40, 30, "", "", "", "", ctb) };
        var cut = Render<RingsPage>(p => p.Add(x => x.Rings, rings).Add(x => x.Role, Roles.Viewer));
        Assert.Equal("11", cut.Find("[data-testid=ctb-gref]").TextContent);
        Assert.Equal(("640", "640", "40"), (cut.Find("[data-testid=ctb-head]").TextContent, cut.Find("[data-testid=ctb-tail]").TextContent, cut.Find("[data-testid=ctb-fence]").TextContent));
        var messages = cut.FindAll("[data-testid=ctb-message]");
        Assert.Equal(2, messages.Count);
        Assert.Contains("DBUF_DESTROY", messages[0].TextContent);
        Assert.Contains("0x0015010f", messages[1].TextContent);
    }

    [Fact]
    public void Without_served_connectors_it_says_so()
    {
        var cut = Render<RingsPage>(p => p.Add(x => x.Rings, []));
        Assert.NotNull(cut.Find("[data-testid=no-rings]"));
    }
}
