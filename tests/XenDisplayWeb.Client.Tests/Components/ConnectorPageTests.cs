using XenDisplayWeb.Client.Components;
using XenDisplayWeb.Client.Models;

namespace XenDisplayWeb.Client.Tests.Components;

public class ConnectorPageTests : BunitContext
{
    private IRenderedComponent<ConnectorPage> RenderPage(string role) => Render<ConnectorPage>(p => p
        .Add(x => x.Domain, Samples.Guest1).Add(x => x.Connector, Samples.Guest1.Connectors[0])
        .Add(x => x.Role, role).Add(x => x.BackendState, "running")
        .Add(x => x.Workloads, ["testpattern", "desktop", "motion"]));

    [Fact]
    public void The_picture_comes_first_with_stats_fullscreen_and_charts_hooked_to_the_connector()
    {
        var cut = RenderPage(Roles.Viewer);
        var canvas = cut.Find(".view canvas[data-connector='1/0']");
        Assert.Equal("1920", canvas.GetAttribute("width"));
        Assert.Equal("1080", canvas.GetAttribute("height"));
        Assert.NotNull(cut.Find("[data-stats-for='1/0'] [data-stat=latencyMs]"));
        Assert.Equal(["guestFps", "shownFps", "dropped", "latencyMs", "bytesPerFrame", "codecs", "encodeMs", "decodeMs", "mode"],
            cut.FindAll("[data-stats-for='1/0'] [data-stat]").Select(d => d.GetAttribute("data-stat")));
        Assert.Equal("1/0", cut.Find("[data-testid=fullscreen]").GetAttribute("data-fullscreen-for"));
        Assert.Equal("1/0", cut.Find("[data-testid=live-view]").GetAttribute("data-view-for"));
        Assert.Equal(["fps", "latency"], cut.FindAll("[data-chart][data-for='1/0']").Select(c => c.GetAttribute("data-chart")));
        Assert.Equal("/api/domains/1/connectors/0/snapshot.png", cut.Find("[data-testid=snapshot-link]").GetAttribute("href"));
    }

    [Fact]
    public void A_viewer_sees_no_controls()
    {
        var cut = RenderPage(Roles.Viewer);
        Assert.Empty(cut.FindAll("form[data-api]"));
        Assert.Empty(cut.FindAll("[data-testid=connector-controls]"));
    }

    [Fact]
    public void An_operator_gets_resolution_link_workload_and_remove_forms_aimed_at_the_api()
    {
        var cut = RenderPage(Roles.Operator);
        Assert.Equal("PUT /api/domains/1/connectors/0/resolution", cut.Find("[data-testid=resolution-form]").GetAttribute("data-api"));
        Assert.Equal("1920", cut.Find("[data-testid=resolution-width]").GetAttribute("value"));
        Assert.Equal("number", cut.Find("[data-testid=resolution-height]").GetAttribute("type"));
        Assert.Equal("PUT /api/domains/1/connectors/0/link", cut.Find("[data-testid=link-down-form]").GetAttribute("data-api"));
        Assert.Equal("false", cut.Find("[data-testid=link-down-form] input[name=up]").GetAttribute("value"));
        Assert.Equal("boolean", cut.Find("[data-testid=link-up-form] input[name=up]").GetAttribute("data-type"));
        Assert.Equal("PUT /api/domains/1/connectors/0/workload", cut.Find("[data-testid=workload-form]").GetAttribute("data-api"));
        Assert.NotNull(cut.Find("[data-testid=workload-select] option[value=desktop][selected]"));
        var remove = cut.Find("[data-testid=remove-connector-form]");
        Assert.Equal("DELETE /api/domains/1/connectors/0", remove.GetAttribute("data-api"));
        Assert.Equal("/", remove.GetAttribute("data-then"));
        Assert.All(cut.FindAll("form[data-api]"), f => Assert.NotNull(f.QuerySelector("output")));
    }

    [Fact]
    public void An_operator_gets_the_stream_form_showing_the_mode_set_and_the_canvas_may_take_video()
    {
        var cut = Render<ConnectorPage>(p => p
            .Add(x => x.Domain, Samples.Guest1).Add(x => x.Connector, Samples.Guest1.Connectors[0])
            .Add(x => x.Role, Roles.Operator).Add(x => x.StreamMode, "video"));
        Assert.Equal("PUT /api/domains/1/connectors/0/stream", cut.Find("[data-testid=stream-form]").GetAttribute("data-api"));
        Assert.Equal(["auto", "tiles", "video"], cut.FindAll("[data-testid=stream-mode] option").Select(o => o.GetAttribute("value")));
        Assert.NotNull(cut.Find("[data-testid=stream-mode] option[value=video][selected]"));
        Assert.True(cut.Find("canvas[data-connector='1/0']").HasAttribute("data-video"));
    }

    private static readonly InputMap Map = new(new Dictionary<string, int> { ["KeyA"] = 30, ["ControlLeft"] = 29 }, [0x110, 0x112, 0x111], 10, 4096);

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
        var connector = Samples.Guest1.Connectors[0] with { Input = new InputView("Connected", 12, 41) };
        var cut = Render<ConnectorPage>(p => p
            .Add(x => x.Domain, Samples.Guest1).Add(x => x.Connector, connector)
            .Add(x => x.Role, Roles.Operator).Add(x => x.Input, Map));

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
}
