using XenDisplayWeb.Client.Components;
using XenDisplayWeb.Client.Models;

namespace XenDisplayWeb.Client.Tests.Components;

public class XenStorePageTests : BunitContext
{
    [Fact]
    public void Shows_the_subtree_with_values_owners_and_links_into_it()
    {
        var view = new XenStoreView("/local/domain/1", 42,
        [
            new("/local/domain/1", "1", "", 0, 3, 5),
            new("/local/domain/1/name", "name", "guest1", 0, 4, 5),
            new("/local/domain/1/device/vdispl/0/state", "state", "4", 1, 7, 40),
        ]);
        var cut = Render<XenStorePage>(p => p.Add(x => x.Path, "/local/domain/1").Add(x => x.View, view));

        var nodes = cut.FindAll("[data-testid=xenstore-node]");
        Assert.Equal(3, nodes.Count);
        Assert.Contains("guest1", nodes[1].TextContent);
        Assert.Equal("dom1", nodes[2].QuerySelector("[data-testid=xenstore-owner]")!.TextContent);
        Assert.Equal("/xenstore?path=%2Flocal%2Fdomain%2F1%2Fname", nodes[1].QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("/local/domain/1", cut.Find("[data-testid=xenstore-path]").GetAttribute("value"));
    }

    [Fact]
    public void A_missing_path_shows_the_error_and_no_tree()
    {
        var cut = Render<XenStorePage>(p => p.Add(x => x.Path, "/nope").Add(x => x.Error, "/nope does not exist."));
        Assert.Equal("/nope does not exist.", cut.Find("[data-testid=xenstore-error]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=xenstore-tree]"));
    }
}
