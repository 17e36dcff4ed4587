using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using XenDisplayWeb.Client.Components;
using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Client.Models;
using XenDisplayWeb.Client.Services;

namespace XenDisplayWeb.Client.Tests.Components;

/// <summary>The connector page on the fake feed: what it shows and to whom. Its controls on a real host: <see cref="ConnectorPageOnTheHostTests"/>.</summary>
public class ConnectorPageTests : FakeFeedTestContext
{
    private static readonly InputMap Map = new(new Dictionary<string, int> { ["KeyA"] = 30, ["ControlLeft"] = 29 }, [0x110, 0x112, 0x111], 10, 4096);

    private IRenderedComponent<ConnectorPage> RenderPage(string role, int domId = 1, int index = 0, DomainView? domain = null)
    {
        SignIn(role);
        Feed.DomainList = [domain ?? Samples.Guest1, Samples.Guest2];
        Feed.Input = Map;
        return Render<ConnectorPage>(p => p.Add(x => x.DomId, domId).Add(x => x.Index, index));
    }

    [Fact]
    public void The_picture_comes_first_with_stats_fullscreen_and_charts_hooked_to_the_connector()
    {
        var cut = RenderPage(Roles.Viewer);
        var canvas = cut.Find(".view canvas[data-connector='1/0']");
        Assert.Equal("1920", canvas.GetAttribute("width"));
        Assert.Equal("1080", canvas.GetAttribute("height"));
        Assert.NotNull(cut.Find("[data-stats-for='1/0'] [data-stat=latencyMs]"));
        Assert.Equal(["guestFps", "shownFps", "dropped", "latencyMs", "bytesPerFrame", "codecs", "encodeMs", "decodeMs", "mode", "viewers"],
            cut.FindAll("[data-stats-for='1/0'] [data-stat]").Select(d => d.GetAttribute("data-stat")));
        Assert.Equal("1/0", cut.Find("[data-testid=fullscreen]").GetAttribute("data-fullscreen-for"));
        Assert.Equal("1/0", cut.Find("[data-testid=live-view]").GetAttribute("data-view-for"));
        Assert.Equal(["fps", "latency"], cut.FindAll("[data-chart][data-for='1/0']").Select(c => c.GetAttribute("data-chart")));
        Assert.Equal("/api/domains/1/connectors/0/snapshot.png", cut.Find("[data-testid=snapshot-link]").GetAttribute("href"));
        Assert.True(canvas.HasAttribute("data-video"));
        // The view and the charts are handed to dashboard.js.
        Assert.Equal(2, Attached);
    }

    [Fact]
    public void The_facts_show_the_mode_states_link_and_workload()
    {
        var cut = RenderPage(Roles.Viewer, index: 1);
        Assert.Equal("1024×768", cut.Find("[data-testid=mode]").TextContent);
        Assert.Equal("Connected", cut.Find("[data-testid=connector-state]").TextContent);
        Assert.Equal("disconnected", cut.Find("[data-testid=link]").TextContent);
        Assert.Equal(("testpattern", "29.5", "7"), (cut.Find("[data-testid=workload]").TextContent, cut.Find("[data-testid=fps]").TextContent, cut.Find("[data-testid=frames-shown]").TextContent));
    }

    [Fact]
    public void A_viewer_sees_no_controls()
    {
        var cut = RenderPage(Roles.Viewer);
        Assert.Empty(cut.FindAll("form"));
        Assert.Empty(cut.FindAll("[data-testid=connector-controls]"));
    }

    [Fact]
    public void An_operator_gets_resolution_link_workload_stream_and_remove_controls_filled_from_the_connector()
    {
        Feed.StreamModes[(1, 0)] = "video";
        var cut = RenderPage(Roles.Operator);
        Assert.Equal("1920", cut.Find("[data-testid=resolution-width]").GetAttribute("value"));
        Assert.Equal("1080", cut.Find("[data-testid=resolution-height]").GetAttribute("value"));
        Assert.Equal("number", cut.Find("[data-testid=resolution-height]").GetAttribute("type"));
        Assert.Equal("Link down", cut.Find("[data-testid=link-down-form-submit]").TextContent);
        Assert.Equal("Link up", cut.Find("[data-testid=link-up-form-submit]").TextContent);
        Assert.NotNull(cut.Find("[data-testid=workload-select] option[value=desktop][selected]"));
        Assert.Equal("60", cut.Find("[data-testid=workload-fps]").GetAttribute("value"));
        Assert.Equal(["auto", "tiles", "video"], cut.FindAll("[data-testid=stream-mode] option").Select(o => o.GetAttribute("value")));
        Assert.NotNull(cut.Find("[data-testid=stream-mode] option[value=video][selected]"));
        Assert.Equal("Remove connector", cut.Find("[data-testid=remove-connector-form-submit]").TextContent);
        Assert.All(cut.FindAll("form"), f => Assert.NotNull(f.QuerySelector("output")));
    }

    [Theory]
    [InlineData("link-down-form", false)]
    [InlineData("link-up-form", true)]
    public void A_link_set_is_asked_of_the_service_and_every_page_is_told(string form, bool up)
    {
        var cut = RenderPage(Roles.Operator);

        cut.Find($"[data-testid={form}]").Submit();

        var call = Assert.Single(Controls.Calls);
        Assert.Equal((nameof(IDashboardControls.SetLink), 1, 0, new LinkRequest(up)), (call.Method, call.Args[0], call.Args[1], call.Args[2]));
        Assert.Equal([DashboardChange.Topology], Feed.Notified);
    }

    [Fact]
    public void A_workload_set_is_asked_of_the_service_with_its_fps_and_every_page_is_told()
    {
        var cut = RenderPage(Roles.Operator);

        cut.Find("[data-testid=workload-select]").Change("motion");
        cut.Find("[data-testid=workload-fps]").Change("24");
        cut.Find("[data-testid=workload-form]").Submit();

        var call = Assert.Single(Controls.Calls);
        Assert.Equal((nameof(IDashboardControls.SetWorkload), 1, 0, new WorkloadRequest("motion", 24)), (call.Method, call.Args[0], call.Args[1], call.Args[2]));
        Assert.Equal([DashboardChange.Topology], Feed.Notified);
    }

    [Fact]
    public void A_connector_removed_from_its_page_goes_to_the_overview_even_when_the_feed_says_it_went_before_the_answer()
    {
        var cut = RenderPage(Roles.Operator, index: 1);
        var nav = Services.GetRequiredService<NavigationManager>();
        nav.NavigateTo("/domains/1/connectors/1");
        Controls.RemoveGate = new TaskCompletionSource<ControlOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);

        cut.Find("[data-testid=remove-connector-form]").Submit();
        // The guest reconnects without the connector, and the feed says so before the service answers.
        Feed.DomainList = [Samples.Guest1 with { Connectors = [Samples.Guest1.Connectors[0]] }, Samples.Guest2];
        Feed.Raise(DashboardChange.Topology);
        Controls.RemoveGate.SetResult(ControlOutcome.Accepted(new ConnectorRemovedView(1, 1, 1)));

        cut.WaitForAssertion(() => Assert.Equal("http://localhost/", nav.Uri));
        Assert.Equal((nameof(IDashboardControls.RemoveConnectorAsync), 1, 1), (Controls.Calls[0].Method, Controls.Calls[0].Args[0], Controls.Calls[0].Args[1]));
    }

    [Fact]
    public void A_removal_refused_leaves_the_page_where_it_is_with_the_reason()
    {
        var cut = RenderPage(Roles.Operator, index: 1);
        var nav = Services.GetRequiredService<NavigationManager>();
        nav.NavigateTo("/domains/1/connectors/1");
        Controls.RemoveGate = new TaskCompletionSource<ControlOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);

        cut.Find("[data-testid=remove-connector-form]").Submit();
        Controls.RemoveGate.SetResult(ControlOutcome.Failed(409, "Not possible now", "the device is reconnecting"));

        cut.WaitForAssertion(() => Assert.Equal("409 Not possible now — the device is reconnecting", cut.Find("[data-testid=remove-connector-form-result]").TextContent));
        Assert.Equal("http://localhost/domains/1/connectors/1", nav.Uri);
        Assert.Equal("1024×768", cut.Find("[data-testid=mode]").TextContent);
    }

    [Fact]
    public void A_viewer_gets_no_input_capture_and_a_view_that_takes_no_focus()
    {
        var cut = RenderPage(Roles.Viewer);
        Assert.Empty(cut.FindAll("[data-input-for]"));
        Assert.Empty(cut.FindAll("[data-input-grab]"));
        var view = cut.Find("[data-testid=live-view]");
        Assert.False(view.HasAttribute("tabindex"));
        Assert.False(view.HasAttribute("data-input-target"));
    }

    [Fact]
    public void An_operator_gets_a_grab_toggle_the_servers_key_map_the_release_keys_and_the_input_seqs()
    {
        var guest = Samples.Guest1 with { Connectors = [Samples.Guest1.Connectors[0] with { Input = new InputView("Connected", 12, 41) }, Samples.Guest1.Connectors[1]] };
        var cut = RenderPage(Roles.Operator, domain: guest);

        var view = cut.Find("[data-testid=live-view]");
        Assert.Equal("0", view.GetAttribute("tabindex"));
        Assert.Equal(("1/0", "1920", "1080"), (view.GetAttribute("data-input-target"), view.GetAttribute("data-guest-width"), view.GetAttribute("data-guest-height")));
        var panel = cut.Find("[data-input-for='1/0']");
        var map = System.Text.Json.JsonDocument.Parse(panel.GetAttribute("data-input-map")!).RootElement;
        Assert.Equal(30, map.GetProperty("keys").GetProperty("KeyA").GetInt32());
        Assert.Equal([0x110, 0x112, 0x111], map.GetProperty("buttons").EnumerateArray().Select(b => b.GetInt32()));
        Assert.Equal((10, 4096), (map.GetProperty("contacts").GetInt32(), map.GetProperty("maxEvents").GetInt32()));
        Assert.Equal("Control,Alt", panel.GetAttribute("data-release"));
        Assert.Equal("Control+Alt", cut.Find("[data-testid=input-release]").TextContent);
        Assert.Equal("false", cut.Find("[data-testid=input-grab]").GetAttribute("aria-pressed"));
        Assert.Equal("released", cut.Find("[data-testid=input-state]").TextContent);
        Assert.Equal("41", cut.Find("[data-testid=input-consumed]").TextContent);
        Assert.NotNull(cut.Find("[data-testid=input-error]"));
    }

    [Fact]
    public void A_connector_there_is_not_shows_not_found()
    {
        var cut = RenderPage(Roles.Operator, domId: 9);
        Assert.Equal("There is no connector 9/0.", cut.Find("[data-testid=not-found]").TextContent);
        Assert.Empty(cut.FindAll("form"));
        Assert.Equal(0, Attached);
    }

    [Fact]
    public void A_connector_that_goes_while_shown_turns_into_not_found_and_gives_its_parts_back()
    {
        var cut = RenderPage(Roles.Viewer, index: 1);

        Feed.DomainList = [Samples.Guest1 with { Connectors = [Samples.Guest1.Connectors[0]] }, Samples.Guest2];
        Feed.Raise(DashboardChange.Topology);

        Assert.Equal("There is no connector 1/1.", cut.Find("[data-testid=not-found]").TextContent);
        Assert.Equal((2, 2), (Attached, Released));
    }

    [Fact]
    public void A_mode_change_gives_the_view_a_new_canvas_and_fills_the_resolution_fields_again()
    {
        var cut = RenderPage(Roles.Operator);

        Feed.DomainList = [Samples.Guest1 with { Connectors = [Samples.Guest1.Connectors[0] with { Width = 1280, Height = 720 }, Samples.Guest1.Connectors[1]] }, Samples.Guest2];
        Feed.Raise(DashboardChange.Topology);

        var canvas = cut.Find(".view canvas[data-connector='1/0']");
        Assert.Equal(("1280", "720"), (canvas.GetAttribute("width"), canvas.GetAttribute("height")));
        Assert.Equal("1280", cut.Find("[data-testid=resolution-width]").GetAttribute("value"));
        Assert.Equal((3, 1), (Attached, Released)); // the view again; the charts stay
    }
}
