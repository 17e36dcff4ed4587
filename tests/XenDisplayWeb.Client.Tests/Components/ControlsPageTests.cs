using XenDisplayWeb.Client.Components;
using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Client.Models;
using XenDisplayWeb.Client.Services;

namespace XenDisplayWeb.Client.Tests.Components;

/// <summary>The controls page on the fake feed: what it shows and what it asks the service. Its effects on a real host: <see cref="ControlsPageOnTheHostTests"/>.</summary>
public class ControlsPageTests : FakeFeedTestContext
{
    private IRenderedComponent<ControlsPage> RenderPage(string role)
    {
        SignIn(role);
        Feed.DomainList = [Samples.Guest1, Samples.Guest2];
        Feed.ControlsNow = new ControlsView(3000, 3100, 0, 0, -1, true, ["testpattern", "desktop", "motion"], ["DBUF_CREATE", "DBUF_DESTROY", "PG_FLIP"]);
        return Render<ControlsPage>();
    }

    [Fact]
    public void An_operator_gets_every_control_with_the_current_values()
    {
        var cut = RenderPage(Roles.Operator);
        Assert.Equal(["add-connector-form-1", "add-connector-form-2"], cut.FindAll("form[data-testid^=add-connector-form-]").Select(f => f.GetAttribute("data-testid")));
        Assert.Contains("Domain 1 · guest1 (2 connector(s))", cut.Find("[data-testid=add-connector-form-1] .legend").TextContent);
        Assert.Equal(["testpattern", "desktop", "motion"], cut.FindAll("[data-testid=add-connector-form-1] select[name=workload] option").Select(o => o.GetAttribute("value")));
        Assert.Equal("3000", cut.Find("[data-testid=timeouts-request]").GetAttribute("value"));
        Assert.Equal("3100", cut.Find("[data-testid=timeouts-frame-done]").GetAttribute("value"));
        Assert.Equal("-1", cut.Find("[data-testid=faults-drop-frame-done]").GetAttribute("value"));
        Assert.True(cut.Find("[data-testid=faults-paused]").HasAttribute("checked"));
        Assert.Equal(3, cut.FindAll("[data-testid=fail-operation] option").Count);
        Assert.NotNull(cut.Find("[data-testid=backend-kill-form-submit]"));
        Assert.NotNull(cut.Find("[data-testid=backend-restart-form-submit]"));
        Assert.All(cut.FindAll("form"), f => Assert.NotNull(f.QuerySelector($"output[data-testid={f.GetAttribute("data-testid")}-result]")));
        Assert.Empty(cut.FindAll("[data-testid=operator-only]"));
    }

    [Fact]
    public void A_viewer_gets_no_form_and_is_told_the_controls_are_for_operators()
    {
        var cut = RenderPage(Roles.Viewer);
        Assert.Empty(cut.FindAll("form"));
        Assert.Empty(cut.FindAll("[data-testid=add-connector]"));
        Assert.Equal("The controls are for operators.", cut.Find("[data-testid=operator-only]").TextContent);
        Assert.Empty(Controls.Calls);
    }

    [Fact]
    public void The_add_button_is_off_while_the_connector_is_added_and_the_answer_shows_when_it_comes()
    {
        var cut = RenderPage(Roles.Operator);
        Controls.AddGate = new TaskCompletionSource<ControlOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        const string form = "[data-testid=add-connector-form-2]";

        cut.Find($"{form} input[name=width]").Change("640");
        cut.Find($"{form} input[name=height]").Change("480");
        cut.Find($"{form} select[name=workload]").Change("motion");
        cut.Find(form).Submit();

        var call = Assert.Single(Controls.Calls);
        Assert.Equal((nameof(IDashboardControls.AddConnectorAsync), 2, new AddConnectorRequest(640, 480, null, "motion", 30)), (call.Method, call.Args[0], call.Args[1]));
        Assert.True(cut.Find("[data-testid=add-connector-form-2-submit]").HasAttribute("disabled"));
        Assert.False(cut.Find("[data-testid=add-connector-form-1-submit]").HasAttribute("disabled")); // the other guest's form is free
        Assert.Equal("sending…", cut.Find("[data-testid=add-connector-form-2-result]").TextContent);
        cut.Find(form).Submit();
        Assert.Single(Controls.Calls);

        Controls.AddGate.SetResult(ControlOutcome.Accepted(null, "/api/domains/2/connectors/1"));

        cut.WaitForAssertion(() => Assert.Equal("202 Accepted", cut.Find("[data-testid=add-connector-form-2-result]").TextContent));
        Assert.False(cut.Find("[data-testid=add-connector-form-2-submit]").HasAttribute("disabled"));
    }

    [Fact]
    public void The_timeouts_typed_go_to_the_service()
    {
        var cut = RenderPage(Roles.Operator);

        cut.Find("[data-testid=timeouts-request]").Change("2000");
        cut.Find("[data-testid=timeouts-frame-done]").Change("2100");
        cut.Find("[data-testid=timeouts-form]").Submit();

        var call = Assert.Single(Controls.Calls);
        Assert.Equal((nameof(IDashboardControls.SetTimeouts), new TimeoutsBody(2000, 2100)), (call.Method, call.Args[0]));
        Assert.Equal("""200 OK: {"requestMs":2000,"frameDoneMs":2100}""", cut.Find("[data-testid=timeouts-form-result]").TextContent);
    }

    [Fact]
    public void A_failure_injected_names_the_operation_the_count_and_the_status_chosen()
    {
        var cut = RenderPage(Roles.Operator);

        cut.Find("[data-testid=fail-operation]").Change("PG_FLIP");
        cut.Find("[data-testid=fail-count]").Change("3");
        cut.Find("[data-testid=fail-form]").Submit();

        var call = Assert.Single(Controls.Calls);
        Assert.Equal((nameof(IDashboardControls.FailNext), new FailRequest("PG_FLIP", 3, -12)), (call.Method, call.Args[0]));
    }

    [Fact]
    public void The_fields_keep_what_the_operator_typed_when_the_feed_changes()
    {
        var cut = RenderPage(Roles.Operator);
        cut.Find("[data-testid=timeouts-request]").Change("1234");

        Feed.ControlsNow = Feed.ControlsNow with { RequestMs = 5000 };
        Feed.DomainList = [Samples.Guest1];
        Feed.Raise(DashboardChange.Topology);

        Assert.Equal("1234", cut.Find("[data-testid=timeouts-request]").GetAttribute("value"));
        Assert.Equal(["add-connector-form-1"], cut.FindAll("form[data-testid^=add-connector-form-]").Select(f => f.GetAttribute("data-testid")));
    }
}
