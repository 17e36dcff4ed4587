using XenDisplayWeb.Client.Components;
using XenDisplayWeb.Client.Contract;

namespace XenDisplayWeb.Client.Tests.Components;

/// <summary>The buffers page on the simulated host: the guest's real dbufs, and the zero-copy control switching the backend's scanout.</summary>
public class BuffersPageOnTheHostTests(SimulatedDashboard host) : HostTestContext(host)
{
    [Fact]
    public async Task The_zero_copy_control_switches_the_guests_scanout_and_offers_the_way_back()
    {
        await OperatorOnReadyHostAsync();
        bool before = Host.System.IsZeroCopy(1);
        var cut = Render<BuffersPage>(p => p.Add(x => x.DomId, 1));
        Assert.Equal(before ? "Switch to copy" : "Switch to zero copy", cut.Find("[data-testid=zero-copy-form-submit]").TextContent);
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=dbuf-row]")), Reconnect);
        try
        {
            await Submit(cut, "[data-testid=zero-copy-form]");

            Assert.Equal(!before, Host.System.IsZeroCopy(1));
            Assert.Equal($$"""200 OK: {"domId":1,"enabled":{{(!before ? "true" : "false")}}}""", cut.Find("[data-testid=zero-copy-form-result]").TextContent);
            Assert.Equal(before ? "Switch to zero copy" : "Switch to copy", cut.Find("[data-testid=zero-copy-form-submit]").TextContent);
        }
        finally { Host.Controls.SetZeroCopy(1, new ZeroCopyRequest(before)); }
    }
}
