using XenDisplayWeb.Client.Components;
using XenDisplayWeb.Client.Models;

namespace XenDisplayWeb.Client.Tests.Components;

public class ControlsPageTests : BunitContext
{
    private static readonly ControlsView State = new(3000, 3100, 0, 0, -1, true, ["testpattern", "desktop", "motion"],
        ["DBUF_CREATE", "DBUF_DESTROY", "PG_FLIP"]);

    private IRenderedComponent<ControlsPage> RenderPage(string role) => Render<ControlsPage>(p => p
        .Add(x => x.Domains, [Samples.Guest1, Samples.Guest2]).Add(x => x.State, State).Add(x => x.Role, role));

    [Fact]
    public void An_operator_gets_every_control_with_the_current_values()
    {
        var cut = RenderPage(Roles.Operator);
        Assert.Equal(["POST /api/domains/1/connectors", "POST /api/domains/2/connectors"],
            cut.FindAll("form[data-testid^=add-connector-form-]").Select(f => f.GetAttribute("data-api")));
        Assert.Equal("PUT /api/timeouts", cut.Find("[data-testid=timeouts-form]").GetAttribute("data-api"));
        Assert.Equal("3100", cut.Find("[data-testid=timeouts-frame-done]").GetAttribute("value"));
        Assert.Equal("PUT /api/faults", cut.Find("[data-testid=faults-form]").GetAttribute("data-api"));
        Assert.Equal("-1", cut.Find("[data-testid=faults-drop-frame-done]").GetAttribute("value"));
        Assert.True(cut.Find("[data-testid=faults-paused]").HasAttribute("checked"));
        Assert.Equal("POST /api/faults/fail", cut.Find("[data-testid=fail-form]").GetAttribute("data-api"));
        Assert.Equal(3, cut.FindAll("[data-testid=fail-operation] option").Count);
        Assert.Equal("POST /api/backend/kill", cut.Find("[data-testid=backend-kill-form]").GetAttribute("data-api"));
        Assert.Equal("POST /api/backend/restart", cut.Find("[data-testid=backend-restart-form]").GetAttribute("data-api"));
    }

    [Fact]
    public void A_viewer_gets_no_form()
    {
        var cut = RenderPage(Roles.Viewer);
        Assert.Empty(cut.FindAll("form[data-api]"));
        Assert.NotNull(cut.Find("[data-testid=operator-only]"));
    }
}
