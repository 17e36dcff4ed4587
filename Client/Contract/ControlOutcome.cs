using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace XenDisplayWeb.Client.Contract;

/// <summary>
/// A control refused, as the API's ProblemDetails says it: the HTTP status, a title, a sentence, and for an
/// invalid input the field and the rule it broke (<c>errors</c>: field -> messages).
/// </summary>
public sealed record ControlProblem(int Status, string Title, string? Detail, IReadOnlyDictionary<string, string[]>? Errors = null);

/// <summary>
/// What a control answered: the HTTP status and body the API gives (<see cref="Value"/>, and <see cref="Location"/>
/// for a 202 that names what it made), or a <see cref="Problem"/>. <see cref="Text"/> is the line a page shows
/// next to the control.
/// </summary>
public sealed record ControlOutcome
{
    public required int Status { get; init; }

    /// <summary>The body the API answers with on success, or null.</summary>
    public object? Value { get; init; }

    /// <summary>Where the made thing lives (the API's Location header), or null.</summary>
    public string? Location { get; init; }

    /// <summary>Null on success.</summary>
    public ControlProblem? Problem { get; init; }

    public bool Succeeded => Problem is null;

    /// <summary>
    /// "202 Accepted: {json}" (the body as the API writes it: web JSON, camelCase), or for a problem
    /// "400 Invalid width — width: must be 1..4095, not 0" (status, title, detail, then each field's rules).
    /// </summary>
    public string Text => Problem is { } p ? Describe(p) : Success();

    public static ControlOutcome Ok(object? value) => new() { Status = 200, Value = value };

    public static ControlOutcome Accepted(object? value, string? location = null) => new() { Status = 202, Value = value, Location = location };

    public static ControlOutcome Failed(int status, string title, string detail) =>
        new() { Status = status, Problem = new ControlProblem(status, title, detail) };

    /// <summary>A 400 naming the field and the rule it broke.</summary>
    public static ControlOutcome Invalid(string field, string rule) =>
        new() { Status = 400, Problem = new ControlProblem(400, $"Invalid {field}", $"{field}: {rule}", new Dictionary<string, string[]> { [field] = [rule] }) };

    private string Success()
    {
        string head = $"{Status} {ReasonPhrases.GetReasonPhrase(Status)}".TrimEnd();
        return Value is null ? head : $"{head}: {JsonSerializer.Serialize(Value, Value.GetType(), JsonSerializerOptions.Web)}";
    }

    private static string Describe(ControlProblem p)
    {
        var parts = new List<string> { $"{p.Status} {p.Title}".TrimEnd() };
        if (!string.IsNullOrEmpty(p.Detail)) parts.Add(p.Detail);
        foreach (var (field, messages) in p.Errors ?? new Dictionary<string, string[]>())
        {
            string said = $"{field}: {string.Join(" ", messages)}";
            if (said != p.Detail) parts.Add(said); // an invalid field's detail already says it
        }
        return string.Join(" — ", parts);
    }
}
