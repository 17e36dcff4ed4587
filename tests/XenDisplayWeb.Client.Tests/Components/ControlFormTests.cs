using Microsoft.Extensions.DependencyInjection;
using XenDisplayWeb.Client.Components;
using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Client.Models;

namespace XenDisplayWeb.Client.Tests.Components;

public class ControlFormTests : FakeFeedTestContext
{
    private int _calls;
    private readonly List<ControlOutcome> _answered = [];

    private IRenderedComponent<ControlForm> RenderForm(Func<CancellationToken, Task<ControlOutcome>> action, string? then = null) =>
        Render<ControlForm>(p => p.Add(x => x.TestId, "t").Add(x => x.Legend, "Timeouts").Add(x => x.Submit, "Set")
            .Add(x => x.Action, ct => { _calls++; return action(ct); }).Add(x => x.Then, then)
            .Add(x => x.Answered, (ControlOutcome o) => _answered.Add(o)));

    private static Func<CancellationToken, Task<ControlOutcome>> Answer(ControlOutcome outcome) => _ => Task.FromResult(outcome);

    [Fact]
    public void A_form_has_its_legend_a_submit_and_an_empty_output()
    {
        SignIn(Roles.Operator);
        var cut = RenderForm(Answer(ControlOutcome.Ok(null)));
        Assert.Equal("t", cut.Find("form").GetAttribute("data-testid"));
        Assert.Equal("Timeouts", cut.Find(".legend").TextContent);
        Assert.Equal("Set", cut.Find("[data-testid=t-submit]").TextContent);
        Assert.Equal("", cut.Find("output[data-testid=t-result]").TextContent);
        Assert.Equal(0, _calls);
    }

    [Fact]
    public void Before_the_circuit_is_up_the_fields_and_the_submit_are_off()
    {
        // Prerendered for the document's request: what a person typed or pressed before the page went live would be lost.
        SignIn(Roles.Operator);
        var cut = Render<ControlForm>(p => p.AddCascadingValue<Microsoft.AspNetCore.Http.HttpContext>(new Microsoft.AspNetCore.Http.DefaultHttpContext())
            .Add(x => x.TestId, "t").Add(x => x.Action, Answer(ControlOutcome.Ok(null))));
        Assert.True(cut.Find("fieldset.fields").HasAttribute("disabled"));
    }

    [Fact]
    public void Once_the_circuit_is_up_the_fields_and_the_submit_are_on()
    {
        SignIn(Roles.Operator);
        var cut = RenderForm(Answer(ControlOutcome.Ok(null)));
        Assert.False(cut.Find("fieldset.fields").HasAttribute("disabled"));
        Assert.False(cut.Find("[data-testid=t-submit]").HasAttribute("disabled"));
    }

    [Fact]
    public void An_operators_submit_runs_the_action_and_shows_its_answer_beside_the_control()
    {
        SignIn(Roles.Operator);
        var cut = RenderForm(Answer(ControlOutcome.Ok(new TimeoutsBody(2000, 2100))));

        cut.Find("form").Submit();

        Assert.Equal(1, _calls);
        var output = cut.Find("[data-testid=t-result]");
        Assert.Equal("""200 OK: {"requestMs":2000,"frameDoneMs":2100}""", output.TextContent);
        Assert.Equal("ok", output.GetAttribute("data-state"));
        Assert.Contains("ok", output.ClassList);
        Assert.Equal(200, Assert.Single(_answered).Status);
        // Each answer is numbered, so the next one can be told from this one while it still shows.
        Assert.Equal("1", output.GetAttribute("data-answers"));
        cut.Find("form").Submit();
        Assert.Equal("2", cut.Find("[data-testid=t-result]").GetAttribute("data-answers"));
    }

    [Fact]
    public void A_refusal_shows_the_problem_naming_the_field_and_the_rule()
    {
        SignIn(Roles.Operator);
        var cut = RenderForm(Answer(ControlOutcome.Invalid("requestMs", "must be 1..600000, not 0")));

        cut.Find("form").Submit();

        var output = cut.Find("[data-testid=t-result]");
        Assert.Equal("400 Invalid requestMs — requestMs: must be 1..600000, not 0", output.TextContent);
        Assert.Equal("error", output.GetAttribute("data-state"));
        Assert.Contains("bad", output.ClassList);
    }

    [Fact]
    public void A_viewers_submit_is_refused_in_the_component_without_running_the_action()
    {
        SignIn(Roles.Viewer);
        var cut = RenderForm(Answer(ControlOutcome.Ok(null)));

        cut.Find("form").Submit();

        Assert.Equal(0, _calls);
        var output = cut.Find("[data-testid=t-result]");
        Assert.Equal("403 Forbidden — The controls are for operators.", output.TextContent);
        Assert.Equal("error", output.GetAttribute("data-state"));
        Assert.Equal(403, Assert.Single(_answered).Status);
    }

    [Fact]
    public void A_submit_without_a_signed_in_user_is_refused_too()
    {
        var cut = RenderForm(Answer(ControlOutcome.Ok(null)));

        cut.Find("form").Submit();

        Assert.Equal(0, _calls);
        Assert.StartsWith("403 Forbidden", cut.Find("[data-testid=t-result]").TextContent);
    }

    [Fact]
    public void The_submit_is_off_while_the_control_runs_and_a_second_submit_does_not_run_it_again()
    {
        SignIn(Roles.Operator);
        var gate = new TaskCompletionSource<ControlOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var cut = RenderForm(_ => gate.Task);

        cut.Find("form").Submit();

        Assert.True(cut.Find("[data-testid=t-submit]").HasAttribute("disabled"));
        Assert.Equal(("pending", "sending…"), (cut.Find("[data-testid=t-result]").GetAttribute("data-state"), cut.Find("[data-testid=t-result]").TextContent));
        cut.Find("form").Submit();
        Assert.Equal(1, _calls);

        gate.SetResult(ControlOutcome.Accepted(null));

        cut.WaitForAssertion(() => Assert.Equal("202 Accepted", cut.Find("[data-testid=t-result]").TextContent));
        Assert.False(cut.Find("[data-testid=t-submit]").HasAttribute("disabled"));
        Assert.Single(_answered);
    }

    [Fact]
    public void An_action_that_throws_is_answered_500_with_its_message()
    {
        SignIn(Roles.Operator);
        var cut = RenderForm(_ => throw new InvalidOperationException("the ring is gone"));

        cut.Find("form").Submit();

        Assert.Equal("500 The control failed — the ring is gone", cut.Find("[data-testid=t-result]").TextContent);
        Assert.False(cut.Find("[data-testid=t-submit]").HasAttribute("disabled"));
    }

    [Fact]
    public void A_success_goes_where_the_form_says_and_a_refusal_stays()
    {
        SignIn(Roles.Operator);
        var nav = Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        nav.NavigateTo("/domains/1/connectors/1");
        var outcome = ControlOutcome.Failed(409, "Not possible now", "the last connector");
        var cut = RenderForm(_ => Task.FromResult(outcome), then: "/");

        cut.Find("form").Submit();
        Assert.Equal("http://localhost/domains/1/connectors/1", nav.Uri);

        outcome = ControlOutcome.Accepted(null);
        cut.Find("form").Submit();
        Assert.Equal("http://localhost/", nav.Uri);
    }

    [Fact]
    public async Task A_form_gone_while_its_control_runs_cancels_the_wait_and_shows_nothing()
    {
        SignIn(Roles.Operator);
        CancellationToken given = default;
        var cut = RenderForm(async ct =>
        {
            given = ct;
            await Task.Delay(Timeout.Infinite, ct);
            return ControlOutcome.Ok(null);
        });
        cut.Find("form").Submit();
        Assert.False(given.IsCancellationRequested);

        await DisposeComponentsAsync();

        Assert.True(given.IsCancellationRequested);
        Assert.Empty(_answered);
    }
}
