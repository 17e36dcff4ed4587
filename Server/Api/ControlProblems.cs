using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Shared.Host;

namespace XenDisplayWeb.Server.Api;

/// <summary>Error answers of the controls, as ProblemDetails naming the field and its allowed range.</summary>
internal static class ControlProblems
{
    /// <summary>The 400 for the rule a field broke (a check of Shared's: GuestSpecLimits, ControlLimits, Displif), or null when it broke none.</summary>
    public static ControlOutcome? Check(string field, string? rule) => rule is null ? null : ControlOutcome.Invalid(field, rule);

    /// <summary>The 400 for a mode's side out of range, or null.</summary>
    public static ControlOutcome? Check((string Field, string Rule)? problem) => problem is var (field, rule) ? ControlOutcome.Invalid(field, rule) : null;

    public static ControlOutcome NotRunning() =>
        ControlOutcome.Failed(StatusCodes.Status409Conflict, "Host not running", "the simulated host is not running");

    public static ControlOutcome From(ControlException e) => e.Failure switch
    {
        ControlFailure.UnknownDomain => ControlOutcome.Failed(StatusCodes.Status404NotFound, "Unknown domain", e.Message),
        ControlFailure.UnknownConnector => ControlOutcome.Failed(StatusCodes.Status404NotFound, "Unknown connector", e.Message),
        _ => ControlOutcome.Failed(StatusCodes.Status409Conflict, "Not possible now", e.Message),
    };

    /// <summary>The HTTP answer of an outcome: the API's 200/202 with its body and location, or its ProblemDetails.</summary>
    public static IResult ToResult(this ControlOutcome outcome) => outcome.Problem switch
    {
        null when outcome.Status == StatusCodes.Status202Accepted => Results.Accepted(outcome.Location, outcome.Value),
        null => Results.Ok(outcome.Value),
        { Errors: { } errors } p => Results.ValidationProblem(errors, detail: p.Detail, title: p.Title, statusCode: p.Status),
        var p => Results.Problem(statusCode: p.Status, title: p.Title, detail: p.Detail),
    };
}
