using XenDisplayWeb.Client.Components;
using XenDisplayWeb.Client.Models;
using XenDisplayWeb.Client.Services;

namespace XenDisplayWeb.Client.Tests.Components;

public class ShellTests : FakeFeedTestContext
{
    private IRenderedComponent<Shell> RenderShell(string role)
    {
        SignIn(role);
        Feed.BackendState = "stopped";
        Feed.DomainList = [Samples.Guest1, Samples.Guest2];
        return Render<Shell>(p => p.Add(x => x.Title, "Rings").Add(x => x.Active, "rings"));
    }

    [Fact]
    public void Carries_the_role_and_marks_the_current_page()
    {
        var cut = RenderShell(Roles.Viewer);
        Assert.Equal(("viewer", "rings"), (cut.Find(".page").GetAttribute("data-role"), cut.Find(".page").GetAttribute("data-page")));
        Assert.Equal("page", cut.Find("[data-testid=nav-rings]").GetAttribute("aria-current"));
        Assert.Null(cut.Find("[data-testid=nav-trace]").GetAttribute("aria-current"));
        Assert.Equal("/domains/2/buffers", cut.Find("[data-testid=nav-buffers-2]").GetAttribute("href"));
        Assert.Equal("backend stopped", cut.Find("[data-testid=backend-state]").TextContent);
        Assert.Equal("viewer", cut.Find("[data-testid=role]").TextContent);
    }

    [Fact]
    public void Controls_are_in_the_nav_for_operators_only()
    {
        Assert.Empty(RenderShell(Roles.Viewer).FindAll("[data-testid=nav-controls]"));
    }

    [Fact]
    public void An_operator_has_the_controls_in_the_nav()
    {
        var cut = RenderShell(Roles.Operator);
        Assert.Equal("/controls", cut.Find("[data-testid=nav-controls]").GetAttribute("href"));
        Assert.Equal("operator", cut.Find("[data-testid=role]").TextContent);
    }

    [Fact]
    public void The_backend_state_and_the_buffer_links_follow_the_feed()
    {
        var cut = RenderShell(Roles.Viewer);

        Feed.BackendState = "running";
        Feed.DomainList = [Samples.Guest1];
        Feed.Raise(DashboardChange.Topology);

        Assert.Equal("backend running", cut.Find("[data-testid=backend-state]").TextContent);
        Assert.Contains("ok", cut.Find("[data-testid=backend-state]").ClassList);
        Assert.Empty(cut.FindAll("[data-testid=nav-buffers-2]"));
    }

    [Fact]
    public void A_change_it_does_not_show_leaves_it_as_it_was()
    {
        var cut = RenderShell(Roles.Viewer);

        Feed.BackendState = "running";
        Feed.Raise(DashboardChange.Trace | DashboardChange.XenStore);

        Assert.Equal("backend stopped", cut.Find("[data-testid=backend-state]").TextContent);
    }

    [Fact]
    public async Task A_shell_gone_no_longer_listens_to_the_feed()
    {
        var cut = RenderShell(Roles.Viewer);
        Assert.Equal(1, Feed.Listeners);

        await DisposeComponentsAsync();

        Assert.Equal(0, Feed.Listeners);
        Feed.Raise(DashboardChange.All); // nothing left to render
    }
}
