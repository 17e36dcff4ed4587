using XenDisplayWeb.Client.Components;

namespace XenDisplayWeb.Client.Tests.Components;

public class PartsTests : FakeFeedTestContext
{
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
