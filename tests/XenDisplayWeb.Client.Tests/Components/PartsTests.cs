using XenDisplayWeb.Client.Components;

namespace XenDisplayWeb.Client.Tests.Components;

public class PartsTests : FakeFeedTestContext
{
    [Fact]
    public void Link_status_and_state_badges_say_their_state_in_words_and_colour()
    {
        var link = Render<LinkStatus>(p => p.Add(x => x.Connected, false)).Find("span");
        Assert.Equal("disconnected", link.TextContent);
        Assert.Contains("down", link.ClassList);
        var badge = Render<StateBadge>(p => p.Add(x => x.Value, "InitWait")).Find("span");
        Assert.Equal("InitWait", badge.TextContent);
        Assert.Contains("xb-initwait", badge.ClassList);
    }

    [Fact]
    public void Not_found_says_what_is_missing()
    {
        var cut = Render<NotFoundPage>(p => p.Add(x => x.Message, "There is no connector 9/0."));
        Assert.Equal("There is no connector 9/0.", cut.Find("[data-testid=not-found]").TextContent);
    }
}
