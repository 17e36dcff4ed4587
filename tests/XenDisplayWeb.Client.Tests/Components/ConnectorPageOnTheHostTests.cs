using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using XenDisplayWeb.Client.Components;
using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Client.Models;
using XenDisplayWeb.Shared.Displif;

namespace XenDisplayWeb.Client.Tests.Components;

/// <summary>The connector page's controls used by an operator, acting on the simulated host through the real service.</summary>
public class ConnectorPageOnTheHostTests(SimulatedDashboard host) : HostTestContext(host)
{
    private IRenderedComponent<ConnectorPage> RenderPage(int domId, int index) =>
        Render<ConnectorPage>(p => p.Add(x => x.DomId, domId).Add(x => x.Index, index));

    private bool LinkConnected(int domId, int index) =>
        Host.System.Guest(domId)!.Front.Device!.Connectors.Single(c => c.Index == index).LinkConnected;

    [Fact]
    public async Task A_resolution_submitted_reconnects_the_connector_at_it_and_the_page_shows_the_new_mode()
    {
        await OperatorOnReadyHostAsync();
        var cut = RenderPage(1, 1);
        try
        {
            await Change(cut, "[data-testid=resolution-width]", "800");
            await Change(cut, "[data-testid=resolution-height]", "600");
            await Submit(cut, "[data-testid=resolution-form]");

            Assert.StartsWith("202 Accepted: {\"domId\":1,\"index\":1,\"width\":800,\"height\":600", cut.Find("[data-testid=resolution-form-result]").TextContent);
            var spec = Host.System.Guest(1)!.Spec.Connectors[1];
            Assert.Equal((800, 600), (spec.Width, spec.Height));
            cut.WaitForAssertion(() => Assert.Equal("800×600", cut.Find("[data-testid=mode]").TextContent), Reconnect);
            cut.WaitForAssertion(() => Assert.Equal("800", cut.Find(".view canvas").GetAttribute("width")), Reconnect);
        }
        finally { await Host.Controls.SetResolutionAsync(1, 1, new ResolutionRequest(1024, 768)); }
    }

    [Fact]
    public async Task A_height_too_big_is_refused_beside_the_form_and_the_mode_stays()
    {
        await OperatorOnReadyHostAsync();
        var cut = RenderPage(1, 1);

        await Change(cut, "[data-testid=resolution-height]", "5000");
        await Submit(cut, "[data-testid=resolution-form]");

        Assert.Equal($"400 Invalid height — height: must be 1..{Displif.MaxHeight}, not 5000", cut.Find("[data-testid=resolution-form-result]").TextContent);
        Assert.Equal(768, Host.System.Guest(1)!.Spec.Connectors[1].Height);
    }

    [Fact]
    public async Task Link_down_unplugs_the_guests_monitor_and_link_up_plugs_it_back_and_every_page_shows_it()
    {
        await OperatorOnReadyHostAsync();
        var cut = RenderPage(1, 1);
        var overview = Render<Overview>(); // another page open on the host: it hears of the link through the feed
        try
        {
            await Submit(cut, "[data-testid=link-down-form]");

            Assert.False(LinkConnected(1, 1));
            Assert.Equal("""200 OK: {"domId":1,"index":1,"up":false}""", cut.Find("[data-testid=link-down-form-result]").TextContent);
            Assert.Equal("disconnected", cut.Find("[data-testid=link]").TextContent);
            overview.WaitForAssertion(() => Assert.Equal("disconnected", overview.Find("[data-key='1/1'] [data-testid=link]").TextContent), Reconnect);

            await Submit(cut, "[data-testid=link-up-form]");

            Assert.True(LinkConnected(1, 1));
            Assert.Equal("""200 OK: {"domId":1,"index":1,"up":true}""", cut.Find("[data-testid=link-up-form-result]").TextContent);
            Assert.Equal("connected", cut.Find("[data-testid=link]").TextContent);
            overview.WaitForAssertion(() => Assert.Equal("connected", overview.Find("[data-key='1/1'] [data-testid=link]").TextContent), Reconnect);
        }
        finally { Host.Controls.SetLink(1, 1, new LinkRequest(true)); }
    }

    [Fact]
    public async Task A_workload_chosen_with_its_fps_is_what_the_guest_draws_and_the_page_shows_it_at_once()
    {
        await OperatorOnReadyHostAsync();
        var cut = RenderPage(1, 1);
        var settings = Host.System.Guest(1)!.Settings[1];
        var before = (settings.Workload, settings.FramesPerSecond);
        try
        {
            await Change(cut, "[data-testid=workload-select]", "motion");
            await Change(cut, "[data-testid=workload-fps]", "12.5");
            await Submit(cut, "[data-testid=workload-form]");

            Assert.Equal(("motion", 12.5), (settings.Workload, settings.FramesPerSecond));
            Assert.StartsWith("200 OK", cut.Find("[data-testid=workload-form-result]").TextContent);
            Assert.Equal(("motion", "12.5"), (cut.Find("[data-testid=workload]").TextContent, cut.Find("[data-testid=fps]").TextContent));
        }
        finally { Host.Controls.SetWorkload(1, 1, new WorkloadRequest(before.Workload, before.FramesPerSecond)); }
    }

    [Fact]
    public async Task An_fps_out_of_range_is_refused_and_the_guest_draws_on()
    {
        await OperatorOnReadyHostAsync();
        var cut = RenderPage(1, 1);
        var settings = Host.System.Guest(1)!.Settings[1];
        var before = (settings.Workload, settings.FramesPerSecond);

        await Change(cut, "[data-testid=workload-select]", "desktop");
        await Change(cut, "[data-testid=workload-fps]", "-1");
        await Submit(cut, "[data-testid=workload-form]");

        Assert.StartsWith("400 Invalid framesPerSecond — framesPerSecond: must be 0..", cut.Find("[data-testid=workload-form-result]").TextContent);
        Assert.Equal(before, (settings.Workload, settings.FramesPerSecond));
    }

    [Fact]
    public async Task A_stream_mode_chosen_is_the_connectors()
    {
        await OperatorOnReadyHostAsync();
        var cut = RenderPage(1, 1);
        Assert.NotNull(cut.Find("[data-testid=stream-mode] option[value=auto][selected]"));
        try
        {
            await Change(cut, "[data-testid=stream-mode]", "tiles");
            await Submit(cut, "[data-testid=stream-form]");

            Assert.Equal("tiles", Host.Feed.StreamMode(1, 1));
            Assert.Equal("""200 OK: {"domId":1,"index":1,"mode":"tiles","path":"tiles"}""", cut.Find("[data-testid=stream-form-result]").TextContent);
            Assert.NotNull(cut.Find("[data-testid=stream-mode] option[value=tiles][selected]"));
        }
        finally { Host.Controls.SetStreamMode(1, 1, new StreamModeRequest("auto")); }
    }

    [Fact]
    public async Task Remove_takes_the_connector_from_the_guest_and_goes_to_the_overview()
    {
        await OperatorOnReadyHostAsync();
        var added = await Host.Controls.AddConnectorAsync(2, new AddConnectorRequest(320, 240, "bunit-remove"));
        Assert.True(added.Succeeded, added.Text);
        try
        {
            var nav = Services.GetRequiredService<NavigationManager>();
            nav.NavigateTo("/domains/2/connectors/1");
            var cut = RenderPage(2, 1);
            Assert.Contains("bunit-remove", cut.Find("[data-testid=connector-facts]").TextContent);

            await Submit(cut, "[data-testid=remove-connector-form]");

            Assert.Single(Host.System.Guest(2)!.Spec.Connectors);
            Assert.Equal("http://localhost/", nav.Uri);
        }
        finally
        {
            if (Host.System.Guest(2)!.Spec.Connectors.Count > 1) await Host.Controls.RemoveConnectorAsync(2, 1);
        }
    }

    [Fact]
    public async Task The_last_connector_is_not_removed_and_the_page_stays()
    {
        await OperatorOnReadyHostAsync();
        var nav = Services.GetRequiredService<NavigationManager>();
        nav.NavigateTo("/domains/2/connectors/0");
        var cut = RenderPage(2, 0);

        await Submit(cut, "[data-testid=remove-connector-form]");

        Assert.StartsWith("409 ", cut.Find("[data-testid=remove-connector-form-result]").TextContent);
        Assert.Single(Host.System.Guest(2)!.Spec.Connectors);
        Assert.Equal("http://localhost/domains/2/connectors/0", nav.Uri);
    }

    [Fact]
    public async Task A_connector_the_host_does_not_have_shows_not_found()
    {
        await OperatorOnReadyHostAsync();
        var cut = RenderPage(1, 9);
        Assert.Equal("There is no connector 1/9.", cut.Find("[data-testid=not-found]").TextContent);
        Assert.Empty(cut.FindAll("form"));
    }
}
