using XenDisplayWeb.Shared.Host;

namespace XenDisplayWeb.Server.Api;

/// <summary>Error answers of the controls, as ProblemDetails naming the field and its allowed range.</summary>
internal static class ControlProblems
{
    public static IResult Invalid(string field, string rule) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [rule] }, detail: $"{field}: {rule}", title: $"Invalid {field}");

    /// <summary>Null when <paramref name="value"/> is set and within range; else the 400.</summary>
    public static IResult? Range(string field, double? value, double min, double max, bool required = true) =>
        value is null ? (required ? Invalid(field, $"is required ({min}..{max})") : null)
        : value < min || value > max || double.IsNaN(value.Value) ? Invalid(field, $"must be {min}..{max}, not {value}")
        : null;

    public static IResult NotRunning() =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Host not running", detail: "the simulated host is not running");

    public static IResult From(ControlException e) => e.Failure switch
    {
        ControlFailure.UnknownDomain => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown domain", detail: e.Message),
        ControlFailure.UnknownConnector => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown connector", detail: e.Message),
        _ => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not possible now", detail: e.Message),
    };
}
