using XenDisplayWeb.Client.Components;
using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Client.Models;
using XenDisplayWeb.Client.Services;

namespace XenDisplayWeb.Client.Tests.Components;

public class BuffersPageTests : FakeFeedTestContext
{
    private IRenderedComponent<BuffersPage> RenderPage(DomainBuffersView view, string role = Roles.Viewer)
    {
        SignIn(role);
        Feed.BuffersByDomain[view.DomId] = view;
        return Render<BuffersPage>(p => p.Add(x => x.DomId, view.DomId));
    }

    private static IEnumerable<string?> Cookies(IRenderedComponent<BuffersPage> cut, string row) =>
        cut.FindAll($"[data-testid={row}]").Select(r => r.GetAttribute("data-cookie"));

    [Fact]
    public void An_operators_zero_copy_control_asks_the_service_for_the_other_scanout_mode()
    {
        var cut = RenderPage(Samples.Buffers, Roles.Operator);
        Assert.Equal("Switch to zero copy", cut.Find("[data-testid=zero-copy-form-submit]").TextContent); // the sample is in copy mode

        cut.Find("[data-testid=zero-copy-form]").Submit();

        var call = Assert.Single(Controls.Calls);
        Assert.Equal((nameof(IDashboardControls.SetZeroCopy), 1, new ZeroCopyRequest(true)), (call.Method, call.Args[0], call.Args[1]));
        Assert.Equal("""200 OK: {"domId":1,"enabled":true}""", cut.Find("[data-testid=zero-copy-form-result]").TextContent);
    }

    [Fact]
    public void A_viewer_gets_no_zero_copy_control()
    {
        var cut = RenderPage(Samples.Buffers);
        Assert.Empty(cut.FindAll("[data-testid=zero-copy-controls]"));
        Assert.Empty(cut.FindAll("form"));
        Assert.Equal("from the backend's copy", cut.Find("[data-testid=zero-copy]").TextContent);
    }

    [Fact]
    public void Dbufs_and_fbs_come_and_go_when_the_feed_says_the_buffers_changed()
    {
        var cut = RenderPage(Samples.Buffers);
        var created = Samples.Buffers.Dbufs[1] with { Cookie = "0xffff88800a00", Framebuffers = [] };

        Feed.BuffersByDomain[1] = Samples.Buffers with { Dbufs = [Samples.Buffers.Dbufs[0], created], Fbs = [Samples.Buffers.Fbs[0]] };
        Feed.Raise(DashboardChange.Buffers);

        Assert.Equal(["0xffff88800200", "0xffff88800a00"], Cookies(cut, "dbuf-row"));
        Assert.Equal(["0xffff88800500"], Cookies(cut, "fb-row"));

        Feed.BuffersByDomain[1] = Samples.Buffers with { Dbufs = [], Fbs = [] };
        Feed.Raise(DashboardChange.Buffers);

        Assert.NotNull(cut.Find("[data-testid=no-dbufs]"));
        Assert.NotNull(cut.Find("[data-testid=no-fbs]"));
    }

    [Fact]
    public void A_change_that_is_not_the_buffers_or_the_topology_reads_nothing()
    {
        var cut = RenderPage(Samples.Buffers);

        Feed.BuffersByDomain[1] = Samples.Buffers with { Dbufs = [] };
        Feed.Raise(DashboardChange.Trace | DashboardChange.XenStore);

        Assert.Equal(2, cut.FindAll("[data-testid=dbuf-row]").Count);
    }

    [Fact]
    public void A_guest_gone_shows_not_found()
    {
        var cut = RenderPage(Samples.Buffers);

        Feed.BuffersByDomain.Remove(1);
        Feed.Raise(DashboardChange.Topology);

        Assert.Equal("There is no domain 1 with a display device.", cut.Find("[data-testid=not-found]").TextContent);
    }

    [Fact]
    public void Each_dbuf_shows_its_fields_and_grants()
    {
        var cut = RenderPage(Samples.Buffers);
        var rows = cut.FindAll("[data-testid=dbuf-row]");
        Assert.Equal(2, rows.Count);
        var first = rows[0];
        Assert.Equal("0xffff88800200", first.QuerySelector("[data-testid=dbuf-cookie]")!.TextContent);
        Assert.Contains("1920×1080", first.TextContent);
        Assert.Equal("frontend", first.QuerySelector("[data-testid=allocated-by]")!.TextContent);
        Assert.Equal("2027", first.QuerySelector("[data-testid=grant-count]")!.TextContent);
        Assert.Equal("2037, 2038", first.QuerySelector("[data-testid=dir-pages]")!.TextContent);
        var data = first.QuerySelector("[data-testid=data-grefs]")!;
        Assert.Equal("details", data.TagName.ToLowerInvariant());
        Assert.Equal("2025", data.GetAttribute("data-count"));
        Assert.Equal(2025, data.QuerySelector("code")!.TextContent.Split(' ').Length);
        Assert.Equal("2025", first.QuerySelector("[data-testid=mapped-pages]")!.TextContent);
    }

    [Fact]
    public void Each_dbuf_shows_copy_or_zero_copy_its_references_and_its_last_release_wait()
    {
        var cut = RenderPage(Samples.Buffers);
        var rows = cut.FindAll("[data-testid=dbuf-row]");
        Assert.Equal(["zero-copy", "copy"], rows.Select(r => r.QuerySelector("[data-testid=scanout]")!.TextContent));
        Assert.Equal(["2", "1"], rows.Select(r => r.QuerySelector("[data-testid=references]")!.TextContent));
        Assert.Equal(["0.25 ms", "–"], rows.Select(r => r.QuerySelector("[data-testid=release-wait]")!.TextContent));
        Assert.Equal("from the backend's copy", cut.Find("[data-testid=zero-copy]").TextContent);
        var waits = cut.FindAll("[data-testid=release-wait-row]");
        Assert.Equal(["0xffff88800900", "0xffff88800200"], waits.Select(w => w.GetAttribute("data-cookie"))); // newest first
        Assert.Equal("-110 (ETIMEDOUT)", waits[0].QuerySelector("[data-testid=release-status]")!.TextContent);
    }

    [Fact]
    public void The_lossless_picture_loads_on_demand_and_downloads_as_png()
    {
        var cut = RenderPage(Samples.Buffers);
        var img = cut.Find("[data-testid=dbuf-row] [data-testid=dbuf-image]");
        Assert.Null(img.GetAttribute("src"));
        Assert.Equal("/api/domains/1/buffers/0xffff88800200.png", img.GetAttribute("data-src"));
        Assert.Equal("/api/domains/1/buffers/0xffff88800200.png", cut.Find("[data-testid=dbuf-png]").GetAttribute("href"));
    }

    [Fact]
    public void Framebuffers_show_fourcc_stride_and_where_they_are_shown()
    {
        var cut = RenderPage(Samples.Buffers);
        var rows = cut.FindAll("[data-testid=fb-row]");
        Assert.Equal(["XR24", "XR24"], rows.Select(r => r.QuerySelector("[data-testid=fourcc]")!.TextContent));
        Assert.Equal("connector 0", rows[0].QuerySelector("[data-testid=shown-on]")!.TextContent);
        Assert.Equal("–", rows[1].QuerySelector("[data-testid=shown-on]")!.TextContent);
        Assert.Contains("7680", rows[0].TextContent);
    }

    [Fact]
    public void The_guests_limits_show_with_what_it_uses()
    {
        var view = Samples.Buffers with { Limits = new GuestLimitsUse(2, 64, 2025 * 4096L, 1L << 30, 0, 256L << 20, 20000) };
        var cut = RenderPage(view);
        Assert.Equal("2 of 64", cut.Find("[data-testid=limit-dbufs]").TextContent);
        Assert.Equal("7.9 MiB of 1024 MiB", cut.Find("[data-testid=limit-mapped]").TextContent);
        Assert.Equal("0 MiB of 256 MiB", cut.Find("[data-testid=limit-allocated]").TextContent);
        Assert.Contains("at most 20000/s", cut.Find("[data-testid=limits]").TextContent);
    }

    [Fact]
    public void Dom0s_grant_pool_shows_its_figures_this_guests_share_and_every_guest_holding_grants()
    {
        var view = Samples.Buffers with
        {
            GrantPool = new GrantPoolUse(49152, 26376, 30776, 0, 8192, 4, 24576, new GrantShareUse(1, 0, 8192, 0, 8192),
                [new GrantShareUse(2, 1800, 8192, 0, 6392), new GrantShareUse(7, 24576, 8192, 16384, 0)]),
        };
        var cut = RenderPage(view);
        Assert.Equal("26376 of 49152", cut.Find("[data-testid=pool-in-use]").TextContent);
        Assert.Equal("30776", cut.Find("[data-testid=pool-reserved]").TextContent);
        Assert.Equal("0", cut.Find("[data-testid=pool-lendable]").TextContent);
        Assert.Equal("8192 guaranteed to each of 4 guests, at most 24576 to one", cut.Find("[data-testid=pool-shares]").TextContent);
        Assert.Equal("0 (8192 guaranteed, 0 borrowed)", cut.Find("[data-testid=pool-guest]").TextContent);
        Assert.Equal("8192", cut.Find("[data-testid=pool-can-take]").TextContent);
        var rows = cut.FindAll("[data-testid=pool-share-row]");
        Assert.Equal(["2", "7"], rows.Select(r => r.GetAttribute("data-dom")));
        Assert.Equal(["1800", "24576"], rows.Select(r => r.QuerySelector("[data-testid=share-used]")!.TextContent));
        Assert.Equal(["0", "16384"], rows.Select(r => r.QuerySelector("[data-testid=share-borrowed]")!.TextContent));
        Assert.Equal(["6392", "0"], rows.Select(r => r.QuerySelector("[data-testid=share-can-take]")!.TextContent));
    }

    [Fact]
    public void A_device_without_buffers_says_so()
    {
        var cut = RenderPage(new DomainBuffersView(2, "guest2", true, "InitWait", [], []));
        Assert.NotNull(cut.Find("[data-testid=no-dbufs]"));
        Assert.NotNull(cut.Find("[data-testid=no-fbs]"));
        Assert.Contains("backend (be-alloc)", cut.Find("[data-testid=buffers-summary]").TextContent);
    }
}
