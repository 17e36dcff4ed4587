using XenDisplayWeb.Client.Components;

namespace XenDisplayWeb.Client.Tests.Components;

public class PartsTests : BunitContext
{
    [Fact]
    public void An_api_form_names_its_method_path_and_has_a_submit_and_an_output()
    {
        var cut = Render<ApiForm>(p => p.Add(x => x.Method, "PUT").Add(x => x.Path, "/api/timeouts").Add(x => x.TestId, "t").Add(x => x.Submit, "Set"));
        var form = cut.Find("form");
        Assert.Equal("PUT /api/timeouts", form.GetAttribute("data-api"));
        Assert.Equal("json", form.GetAttribute("data-body"));
        Assert.Equal("Set", cut.Find("[data-testid=t-submit]").TextContent);
        Assert.NotNull(cut.Find("output[data-testid=t-result]"));
    }

    [Fact]
    public void Link_status_and_state_badges_carry_their_topology_field()
    {
        var link = Render<LinkStatus>(p => p.Add(x => x.Connected, false).Add(x => x.Field, "1/0:connected")).Find("span");
        Assert.Equal("disconnected", link.TextContent);
        Assert.Equal("connected", link.GetAttribute("data-true"));
        Assert.Contains("down", link.ClassList);
        var badge = Render<StateBadge>(p => p.Add(x => x.Value, "InitWait").Add(x => x.Field, "1:state")).Find("span");
        Assert.Equal("1:state", badge.GetAttribute("data-topology-field"));
        Assert.Contains("xb-initwait", badge.ClassList);
    }

    [Fact]
    public void Not_found_says_what_is_missing()
    {
        var cut = Render<NotFoundPage>(p => p.Add(x => x.Message, "There is no connector 9/0."));
        Assert.Equal("There is no connector 9/0.", cut.Find("[data-testid=not-found]").TextContent);
    }
}
