using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using XenDisplayWeb.Client.Components;
using XenDisplayWeb.Client.Models;
using XenDisplayWeb.Client.Services;

namespace XenDisplayWeb.Client.Tests.Components;

public class XenStorePageTests : FakeFeedTestContext
{
    private static XenStoreView Domain1(string state = "4") => new("/local/domain/1", 42,
    [
        new("/local/domain/1", "1", "", 0, 3, 5),
        new("/local/domain/1/name", "name", "guest1", 0, 4, 5),
        new("/local/domain/1/device", "device", "", 1, 4, 7),
        new("/local/domain/1/device/vdispl", "vdispl", "", 1, 5, 7),
        new("/local/domain/1/device/vdispl/0", "0", "", 1, 6, 7),
        new("/local/domain/1/device/vdispl/0/state", "state", state, 1, 7, 40),
        new("/local/domain/1/memory", "memory", "262144", 0, 4, 6),
    ]);

    private IRenderedComponent<XenStorePage> RenderAt(string? path)
    {
        SignIn(Roles.Viewer);
        Feed.Store["/local/domain/1"] = Domain1();
        if (path is not null) Services.GetRequiredService<NavigationManager>().NavigateTo($"/xenstore?path={Uri.EscapeDataString(path)}");
        return Render<XenStorePage>();
    }

    private static IEnumerable<string?> Paths(IRenderedComponent<XenStorePage> cut) =>
        cut.FindAll("[data-testid=xenstore-node]").Select(n => n.GetAttribute("data-path"));

    private static AngleSharp.Dom.IElement Node(IRenderedComponent<XenStorePage> cut, string path) =>
        cut.Find($"[data-testid=xenstore-node][data-path='{path}']");

    [Fact]
    public void Shows_the_subtree_with_values_owners_and_links_into_it()
    {
        var cut = RenderAt("/local/domain/1");

        var nodes = cut.FindAll("[data-testid=xenstore-node]");
        Assert.Equal(7, nodes.Count);
        Assert.Contains("guest1", nodes[1].TextContent);
        Assert.Equal("dom1", nodes[5].QuerySelector("[data-testid=xenstore-owner]")!.TextContent);
        Assert.Equal("/xenstore?path=%2Flocal%2Fdomain%2F1%2Fname", nodes[1].QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("/local/domain/1", cut.Find("[data-testid=xenstore-path]").GetAttribute("value"));
        // Only nodes with children fold.
        Assert.Equal(["/local/domain/1", "/local/domain/1/device", "/local/domain/1/device/vdispl", "/local/domain/1/device/vdispl/0"],
            nodes.Where(n => n.QuerySelector("[data-testid=xenstore-fold]") is not null).Select(n => n.GetAttribute("data-path")));
    }

    [Fact]
    public void A_missing_path_shows_the_error_and_no_tree()
    {
        var cut = RenderAt("/nope");
        Assert.Equal("/nope does not exist.", cut.Find("[data-testid=xenstore-error]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=xenstore-tree]"));
    }

    [Fact]
    public void Folding_a_node_hides_everything_under_it_and_unfolding_shows_it_again()
    {
        var cut = RenderAt("/local/domain/1");

        Node(cut, "/local/domain/1/device").QuerySelector("[data-testid=xenstore-fold]")!.Click();

        Assert.Equal(["/local/domain/1", "/local/domain/1/name", "/local/domain/1/device", "/local/domain/1/memory"], Paths(cut));
        var fold = Node(cut, "/local/domain/1/device").QuerySelector("[data-testid=xenstore-fold]")!;
        Assert.Equal(("false", "▸"), (fold.GetAttribute("aria-expanded"), fold.TextContent));

        fold.Click();

        Assert.Equal(7, Paths(cut).Count());
        Assert.Equal("true", Node(cut, "/local/domain/1/device").QuerySelector("[data-testid=xenstore-fold]")!.GetAttribute("aria-expanded"));
    }

    [Fact]
    public void A_node_folded_under_a_folded_one_stays_folded_when_its_parent_opens()
    {
        var cut = RenderAt("/local/domain/1");

        Node(cut, "/local/domain/1/device/vdispl").QuerySelector("[data-testid=xenstore-fold]")!.Click();
        Node(cut, "/local/domain/1/device").QuerySelector("[data-testid=xenstore-fold]")!.Click();
        Node(cut, "/local/domain/1/device").QuerySelector("[data-testid=xenstore-fold]")!.Click();

        Assert.Equal(["/local/domain/1", "/local/domain/1/name", "/local/domain/1/device", "/local/domain/1/device/vdispl", "/local/domain/1/memory"], Paths(cut));
    }

    [Fact]
    public void A_value_written_shows_when_the_feed_says_the_store_changed()
    {
        var cut = RenderAt("/local/domain/1");

        Feed.Store["/local/domain/1"] = Domain1(state: "5") with { Generation = 43 };
        Feed.Raise(DashboardChange.XenStore);

        Assert.Equal("5", Node(cut, "/local/domain/1/device/vdispl/0/state").QuerySelector(".value")!.TextContent);
        Assert.Contains("generation 43", cut.Find(".lead").TextContent);
    }

    [Fact]
    public void A_folded_node_stays_folded_when_the_store_changes()
    {
        var cut = RenderAt("/local/domain/1");
        Node(cut, "/local/domain/1/device/vdispl/0").QuerySelector("[data-testid=xenstore-fold]")!.Click();

        Feed.Store["/local/domain/1"] = Domain1(state: "5");
        Feed.Raise(DashboardChange.XenStore);

        Assert.DoesNotContain("/local/domain/1/device/vdispl/0/state", Paths(cut));
        Assert.Equal("false", Node(cut, "/local/domain/1/device/vdispl/0").QuerySelector("[data-testid=xenstore-fold]")!.GetAttribute("aria-expanded"));
    }

    [Fact]
    public void A_node_removed_goes_and_a_path_removed_says_so()
    {
        var cut = RenderAt("/local/domain/1");

        var view = Domain1();
        Feed.Store["/local/domain/1"] = view with { Nodes = [.. view.Nodes.Where(n => n.Name != "memory")] };
        Feed.Raise(DashboardChange.XenStore);
        Assert.DoesNotContain("/local/domain/1/memory", Paths(cut));

        Feed.Store.Remove("/local/domain/1");
        Feed.Raise(DashboardChange.XenStore);
        Assert.Equal("/local/domain/1 does not exist.", cut.Find("[data-testid=xenstore-error]").TextContent);
    }

    [Fact]
    public void A_change_elsewhere_reads_nothing()
    {
        var cut = RenderAt("/local/domain/1");

        Feed.Store["/local/domain/1"] = Domain1(state: "5");
        Feed.Raise(DashboardChange.Topology | DashboardChange.Trace);

        Assert.Equal("4", Node(cut, "/local/domain/1/device/vdispl/0/state").QuerySelector(".value")!.TextContent);
    }
}
