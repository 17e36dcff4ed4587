using XenDisplayWeb.Client.Components;
using XenDisplayWeb.Client.Models;

namespace XenDisplayWeb.Client.Tests.Components;

public class ShellTests : BunitContext
{
    private IRenderedComponent<Shell> RenderShell(string role) => Render<Shell>(p => p
        .Add(x => x.Title, "Rings").Add(x => x.Role, role).Add(x => x.BackendState, "stopped")
        .Add(x => x.Active, "rings").Add(x => x.BufferLinks, [1, 2]));

    [Fact]
    public void Carries_the_role_loads_the_bundle_and_marks_the_current_page()
    {
        var cut = RenderShell(Roles.Viewer);
        Assert.Equal("viewer", cut.Find("body").GetAttribute("data-role"));
        Assert.Equal("/_content/XenDisplayWeb.Client/js/dashboard.js", cut.Find("script[type=module]").GetAttribute("src"));
        Assert.Equal("page", cut.Find("[data-testid=nav-rings]").GetAttribute("aria-current"));
        Assert.Equal("/domains/2/buffers", cut.Find("[data-testid=nav-buffers-2]").GetAttribute("href"));
        Assert.Equal("backend stopped", cut.Find("[data-testid=backend-state]").TextContent);
        Assert.Equal("viewer", cut.Find("[data-testid=role]").TextContent);
    }

    [Fact]
    public void Controls_are_in_the_nav_for_operators_only()
    {
        Assert.Empty(RenderShell(Roles.Viewer).FindAll("[data-testid=nav-controls]"));
        Assert.Equal("/controls", RenderShell(Roles.Operator).Find("[data-testid=nav-controls]").GetAttribute("href"));
    }
}
