using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Shared.Host;

namespace XenDisplayWeb.Server.Api;

/// <summary>Error answers of the controls, as ProblemDetails naming the field and its allowed range.</summary>
internal static class ControlProblems
{
    /// <summary>Null when <paramref name="value"/> is set and within range; else the 400.</summary>
    public static ControlOutcome? Range(string field, double? value, double min, double max, bool required = true) =>
        value is null ? (required ? ControlOutcome.Invalid(field, $"is required ({min}..{max})") : null)
        : value < min || value > max || double.IsNaN(value.Value) ? ControlOutcome.Invalid(field, $"must be {min}..{max}, not {value}")
        : null;

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
