using Microsoft.Extensions.Options;

namespace XenDisplayWeb.Server.Security;

/// <summary>Access to the dashboard ("Security" in appsettings.json; env vars <c>Security__OperatorToken</c> etc.).</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";
    public const int MinTokenLength = 16;

    /// <summary>The operator's token (controls and everything a viewer sees); empty: a random one is made at start.</summary>
    public string? OperatorToken { get; set; }

    /// <summary>The viewer's token (pages, read endpoints, the hub); empty: a random one is made at start.</summary>
    public string? ViewerToken { get; set; }

    /// <summary>Requests a second to /api per client (its address and role; a burst of as many is allowed).</summary>
    public int ApiRequestsPerSecond { get; set; } = 200;

    /// <summary>Requests a second per client to the expensive endpoints (*.png pictures, trace.jsonl), within the API's rate.</summary>
    public int ExpensiveRequestsPerSecond { get; set; } = 10;

    /// <summary>Expensive requests one client may have running at once; one more is refused (429).</summary>
    public int ExpensiveConcurrentRequests { get; set; } = 2;

    /// <summary>Refused tokens a minute per client address, after which its attempts are refused (429) until the minute is over.</summary>
    public int FailedAuthenticationsPerMinute { get; set; } = 20;

    /// <summary>The largest request body accepted.</summary>
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;
}

/// <summary>Checks the security settings at start-up and says exactly what is wrong (never echoing a token).</summary>
public sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions o)
    {
        var errors = new List<string>();
        foreach (var (key, token) in new[] { ("OperatorToken", o.OperatorToken), ("ViewerToken", o.ViewerToken) })
        {
            if (string.IsNullOrEmpty(token)) continue;
            if (token.Length < SecurityOptions.MinTokenLength)
                errors.Add($"Security:{key} must be at least {SecurityOptions.MinTokenLength} characters (it has {token.Length}); leave it empty for a random one");
            if (token.Any(char.IsWhiteSpace) || token.Any(char.IsControl))
                errors.Add($"Security:{key} must not contain white space or control characters");
        }
        if (!string.IsNullOrEmpty(o.OperatorToken) && o.OperatorToken == o.ViewerToken)
            errors.Add("Security:OperatorToken and Security:ViewerToken must differ");
        if (o.ApiRequestsPerSecond is < 1 or > 100_000)
            errors.Add($"Security:ApiRequestsPerSecond must be 1..100000, not {o.ApiRequestsPerSecond}");
        if (o.ExpensiveRequestsPerSecond is < 1 or > 10_000)
            errors.Add($"Security:ExpensiveRequestsPerSecond must be 1..10000, not {o.ExpensiveRequestsPerSecond}");
        if (o.ExpensiveConcurrentRequests is < 1 or > 64)
            errors.Add($"Security:ExpensiveConcurrentRequests must be 1..64, not {o.ExpensiveConcurrentRequests}");
        if (o.FailedAuthenticationsPerMinute is < 1 or > 10_000)
            errors.Add($"Security:FailedAuthenticationsPerMinute must be 1..10000, not {o.FailedAuthenticationsPerMinute}");
        if (o.MaxRequestBodyBytes is < 1024 or > 16 * 1024 * 1024)
            errors.Add($"Security:MaxRequestBodyBytes must be 1024..16777216, not {o.MaxRequestBodyBytes}");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
