using XenDisplayWeb.Client.Components;
using XenDisplayWeb.Client.Models;
using XenDisplayWeb.Client.Services;

namespace XenDisplayWeb.Client.Tests.Components;

public class RingsPageTests : FakeFeedTestContext
{
    private IRenderedComponent<RingsPage> RenderRings(IReadOnlyList<RingView> rings, IReadOnlyList<KbdRingView>? vkbd = null)
    {
        SignIn(Roles.Viewer);
        Feed.RingsNow = new RingsView(rings, vkbd ?? []);
        return Render<RingsPage>();
    }

    private static RingView Ring(uint reqProd, string lastRequest = "") =>
        new(1, 0, "guest1-hdmi", 8, 5, 9, 6, reqProd, reqProd, reqProd + 1, reqProd + 1, reqProd, reqProd, 600, 600, 0, reqProd, 600, lastRequest, "", "", "");

    private static string ReqProd(IRenderedComponent<RingsPage> cut) => cut.Find("[data-testid=ring] [data-testid=req-prod]").TextContent;

    [Fact]
    public void Each_connector_shows_ring_indices_event_page_ports_grefs_and_last_packets()
    {
        var rings = new List<RingView>
        {
            new(1, 0, "guest1-hdmi", 8, 5, 9, 6, 1234, 1234, 1235, 1235, 1234, 1234, 600, 600, 0, 1234, 600,
                "PG_FLIP id=1233 fb_cookie=0xffff88800500", "15", "PG_FLIP id=1233 status=0", "15"),
            new(2, 0, "guest2-dp", 12, 7, 13, 8, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, "", "", "", ""),
        };
        var cut = RenderRings(rings);

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
        var cut = RenderRings(rings);
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
        var cut = RenderRings([]);
        Assert.NotNull(cut.Find("[data-testid=no-rings]"));
    }

    [Fact]
    public void Each_vkbd_device_shows_its_page_indices_fill_features_requests_counters_and_last_events_newest_first()
    {
        var vkbd = new List<KbdRingView>
        {
            new(1, 0, "guest1-hdmi", 1920, 1080, "Connected", null, 17, 9, 40, 42, 51, 2, 0, 0, 25, 0,
                ["feature-abs-pointer", "feature-multi-touch"], 10, ["request-abs-pointer"], 3, 4, 5, 6, 0, 43, 7,
                [new(40, "XENKBD_TYPE_KEY", "KEY KEY_A press"), new(41, "XENKBD_TYPE_POS", "POS 10,20 z0"), new(42, "XENKBD_TYPE_MTOUCH", "MTOUCH down #0 5,5")]),
            new(2, 1, "guest2-dp", 800, 600, "Closed", "in_cons 999 out of range (in_prod 3)", null, null, 999, 3, 51, -996, 0, 0, 25, 0,
                [], 0, [], 0, 0, 0, 0, 0, 3, 0, []),
        };
        var cut = RenderRings([], vkbd);

        var sections = cut.FindAll("[data-testid=vkbd]");
        Assert.Equal(["1/0", "2/1"], sections.Select(s => s.GetAttribute("data-key")));
        var first = sections[0];
        string Field(string id) => first.QuerySelector($"[data-testid={id}]")!.TextContent;
        Assert.Contains("guest1-hdmi", first.QuerySelector("h2")!.TextContent);
        Assert.Equal(("Connected", "17", "9"), (Field("vkbd-state"), Field("vkbd-gref"), Field("vkbd-port")));
        Assert.Equal(("40", "42", "2 / 51", "0 / 25"), (Field("vkbd-in-cons"), Field("vkbd-in-prod"), Field("vkbd-in-fill"), Field("vkbd-out-fill")));
        Assert.Equal("feature-abs-pointer, feature-multi-touch (10 contacts)", Field("vkbd-features"));
        Assert.Equal("request-abs-pointer", Field("vkbd-requests"));
        Assert.Equal(("43", "3", "4", "5", "6"), (Field("vkbd-next-seq"), Field("vkbd-backlog"), Field("vkbd-dropped"), Field("vkbd-coalesced"), Field("vkbd-refused")));
        var events = first.QuerySelectorAll("[data-testid=vkbd-event]");
        Assert.Equal(["42", "41", "40"], events.Select(e => e.GetAttribute("data-seq")));
        Assert.Contains("MTOUCH down #0 5,5", events[0].TextContent);
        Assert.Contains("XENKBD_TYPE_KEY", events[2].TextContent);

        var second = sections[1];
        Assert.Contains("in_cons 999 out of range", second.QuerySelector("[data-testid=vkbd-misbehaving]")!.TextContent);
        Assert.Equal("–", second.QuerySelector("[data-testid=vkbd-gref]")!.TextContent);
        Assert.Equal("none", second.QuerySelector("[data-testid=vkbd-requests]")!.TextContent);
        Assert.NotNull(second.QuerySelector("[data-testid=vkbd-no-events]"));
        Assert.Null(cut.FindAll("[data-testid=no-vkbd]").FirstOrDefault());
    }

    [Fact]
    public void Without_vkbd_devices_it_says_so()
    {
        var cut = RenderRings([]);
        Assert.NotNull(cut.Find("[data-testid=no-vkbd]"));
    }

    [Fact]
    public void The_indices_move_when_the_feed_says_so_at_most_once_per_refresh_period()
    {
        var cut = RenderRings([Ring(1234)]);

        Feed.RingsNow = new RingsView([Ring(1240, "PG_FLIP id=1239")], []);
        Time.Advance(RingsPage.RefreshPeriod / 2);
        Feed.Raise(DashboardChange.Trace);
        Assert.Equal("1234", ReqProd(cut)); // read too recently

        Time.Advance(RingsPage.RefreshPeriod / 2);
        Feed.Raise(DashboardChange.Trace);
        Assert.Equal("1240", ReqProd(cut));
        Assert.Contains("PG_FLIP id=1239", cut.Find("[data-testid=last-request]").TextContent);
    }

    [Fact]
    public void A_connector_served_appears_and_one_gone_goes()
    {
        var cut = RenderRings([]);
        Assert.NotNull(cut.Find("[data-testid=no-rings]"));

        Feed.RingsNow = new RingsView([Ring(0)], []);
        Feed.Raise(DashboardChange.Topology);
        Assert.Equal(["1/0"], cut.FindAll("[data-testid=ring]").Select(r => r.GetAttribute("data-key")));

        Time.Advance(RingsPage.RefreshPeriod);
        Feed.RingsNow = new RingsView([], []);
        Feed.Raise(DashboardChange.Topology);
        Assert.Empty(cut.FindAll("[data-testid=ring]"));
    }

    [Fact]
    public void Pause_holds_the_indices_still_and_unpausing_takes_the_next_change()
    {
        var cut = RenderRings([Ring(1234)]);

        cut.Find("[data-testid=rings-pause]").Change(true);
        Feed.RingsNow = new RingsView([Ring(1300)], []);
        Time.Advance(RingsPage.RefreshPeriod * 4);
        Feed.Raise(DashboardChange.Trace | DashboardChange.Topology);
        Assert.Equal("1234", ReqProd(cut));

        cut.Find("[data-testid=rings-pause]").Change(false);
        Feed.Raise(DashboardChange.Trace);
        Assert.Equal("1300", ReqProd(cut));
    }

    [Fact]
    public void A_change_it_does_not_show_reads_nothing()
    {
        var cut = RenderRings([Ring(1234)]);

        Feed.RingsNow = new RingsView([Ring(1300)], []);
        Time.Advance(RingsPage.RefreshPeriod);
        Feed.Raise(DashboardChange.XenStore | DashboardChange.Buffers);

        Assert.Equal("1234", ReqProd(cut));
    }
}
