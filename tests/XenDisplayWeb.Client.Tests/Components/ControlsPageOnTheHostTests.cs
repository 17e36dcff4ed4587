using XenDisplayWeb.Client.Components;
using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Shared.Displif;

namespace XenDisplayWeb.Client.Tests.Components;

/// <summary>The controls page's forms filled in and submitted by an operator, acting on the simulated host through the real service.</summary>
public class ControlsPageOnTheHostTests(SimulatedDashboard host) : HostTestContext(host)
{
    private static string Form(int domId) => $"[data-testid=add-connector-form-{domId}]";

    [Fact]
    public async Task A_connector_added_from_the_form_is_the_guests_and_shows_on_the_page()
    {
        await OperatorOnReadyHostAsync();
        var cut = Render<ControlsPage>();

        await Change(cut, $"{Form(1)} input[name=width]", "640");
        await Change(cut, $"{Form(1)} input[name=height]", "480");
        await Change(cut, $"{Form(1)} input[name=uniqueId]", "bunit-added");
        try
        {
            await Submit(cut, Form(1));

            var result = cut.Find("[data-testid=add-connector-form-1-result]");
            Assert.StartsWith("202 Accepted: ", result.TextContent);
            Assert.Contains("\"width\":640,\"height\":480,\"uniqueId\":\"bunit-added\"", result.TextContent);
            var added = Host.System.Guest(1)!.Spec.Connectors[^1];
            Assert.Equal((3, 640, 480, "bunit-added"), (Host.System.Guest(1)!.Spec.Connectors.Count, added.Width, added.Height, added.UniqueId));
            // The page hears of it from the core's events, and the answer stays beside the control.
            cut.WaitForAssertion(() => Assert.Contains("(3 connector(s))", cut.Find($"{Form(1)} .legend").TextContent), Reconnect);
            Assert.StartsWith("202 Accepted", cut.Find("[data-testid=add-connector-form-1-result]").TextContent);
        }
        finally
        {
            if (Host.System.Guest(1)!.Spec.Connectors.Count > 2) await Host.Controls.RemoveConnectorAsync(1, 2);
        }
    }

    [Fact]
    public async Task A_width_of_zero_is_refused_beside_the_form_naming_the_field_and_the_rule_and_nothing_is_added()
    {
        await OperatorOnReadyHostAsync();
        var cut = Render<ControlsPage>();

        await Change(cut, $"{Form(1)} input[name=width]", "0");
        await Submit(cut, Form(1));

        var result = cut.Find("[data-testid=add-connector-form-1-result]");
        Assert.Equal($"400 Invalid width — width: must be 1..{Displif.MaxWidth}, not 0", result.TextContent);
        Assert.Equal("error", result.GetAttribute("data-state"));
        Assert.Equal(2, Host.System.Guest(1)!.Spec.Connectors.Count);
        Assert.False(cut.Find("[data-testid=add-connector-form-1-submit]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Paused_ticked_and_submitted_pauses_the_backend()
    {
        await OperatorOnReadyHostAsync();
        var faults = Host.System.Backend.Faults;
        var cut = Render<ControlsPage>();
        Assert.False(cut.Find("[data-testid=faults-paused]").HasAttribute("checked"));
        try
        {
            await Change(cut, "[data-testid=faults-paused]", true);
            await Change(cut, "[data-testid=faults-delay]", "5");
            await Submit(cut, "[data-testid=faults-form]");

            Assert.True(faults.Paused);
            Assert.Equal(TimeSpan.FromMilliseconds(5), faults.ResponseDelay);
            Assert.StartsWith("200 OK: {\"responseDelayMs\":5,\"dropResponses\":0,\"dropFrameDone\":0,\"paused\":true", cut.Find("[data-testid=faults-form-result]").TextContent);
        }
        finally { Host.Controls.SetFaults(new FaultsRequest(0, 0, 0, false)); }
    }

    [Fact]
    public async Task A_drop_count_out_of_range_is_refused_and_leaves_the_faults_alone()
    {
        await OperatorOnReadyHostAsync();
        var cut = Render<ControlsPage>();

        await Change(cut, "[data-testid=faults-drop-frame-done]", "-2");
        await Change(cut, "[data-testid=faults-paused]", true);
        await Submit(cut, "[data-testid=faults-form]");

        Assert.Equal("400 Invalid dropFrameDone — dropFrameDone: must be -1..100000, not -2", cut.Find("[data-testid=faults-form-result]").TextContent);
        Assert.Equal((0, false), (Host.System.Backend.Faults.DropFrameDone, Host.System.Backend.Faults.Paused));
    }

    [Fact]
    public async Task Kill_stops_the_backend_a_second_kill_is_refused_and_restart_brings_it_back()
    {
        await OperatorOnReadyHostAsync();
        var cut = Render<ControlsPage>();
        try
        {
            await Submit(cut, "[data-testid=backend-kill-form]");

            Assert.False(Host.System.Backend.IsRunning);
            Assert.Equal("""200 OK: {"running":false}""", cut.Find("[data-testid=backend-kill-form-result]").TextContent);
            cut.WaitForAssertion(() => Assert.Equal("backend stopped", cut.Find("[data-testid=backend-state]").TextContent), Reconnect);

            await Submit(cut, "[data-testid=backend-kill-form]");
            Assert.Equal("409 Backend not running — the backend is already dead; restart it first", cut.Find("[data-testid=backend-kill-form-result]").TextContent);

            await Submit(cut, "[data-testid=backend-restart-form]");
            Assert.True(Host.System.Backend.IsRunning);
            Assert.Equal("""200 OK: {"running":true}""", cut.Find("[data-testid=backend-restart-form-result]").TextContent);
        }
        finally
        {
            if (!Host.System.Backend.IsRunning) Host.Controls.RestartBackend();
        }
        await Host.ReadyAsync();
    }

    [Fact]
    public async Task The_timeouts_set_are_the_frontends()
    {
        await OperatorOnReadyHostAsync();
        var timeouts = Host.System.Timeouts;
        var (request, frameDone) = (timeouts.Request, timeouts.FrameDone);
        var cut = Render<ControlsPage>();
        Assert.Equal(((int)request.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture), cut.Find("[data-testid=timeouts-request]").GetAttribute("value"));
        try
        {
            await Change(cut, "[data-testid=timeouts-request]", "2500");
            await Submit(cut, "[data-testid=timeouts-form]");

            Assert.Equal(TimeSpan.FromMilliseconds(2500), timeouts.Request);
            Assert.Equal(frameDone, timeouts.FrameDone);
        }
        finally { Host.Controls.SetTimeouts(new TimeoutsBody((int)request.TotalMilliseconds, (int)frameDone.TotalMilliseconds)); }
    }
}
