using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using XenDisplayWeb.Server.Hubs;

namespace XenDisplayWeb.Server.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;token&gt;</c>, or on the hub <c>?access_token=</c> (how
/// SignalR's browser client sends it over WebSockets), and answers challenges (401) and refusals (403).
/// </summary>
public sealed class TokenAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger,
    UrlEncoder encoder, DashboardTokens tokens) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string AccessTokenQuery = "access_token";

    /// <summary>The token the request presents, if any.</summary>
    public static string? PresentedToken(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        if (header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header["Bearer ".Length..].Trim();
        if (request.Path.StartsWithSegments(DashboardHub.Path) && request.Query.TryGetValue(AccessTokenQuery, out var q)) return q.ToString();
        return null;
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedToken(Request);
        if (presented is null) return Task.FromResult(AuthenticateResult.NoResult());
        var role = tokens.RoleOf(presented);
        if (role is null) return Task.FromResult(AuthenticateResult.Fail("the token is not a dashboard token"));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(Principal(role, tokens, Scheme.Name), Scheme.Name)));
    }

    /// <summary>A principal holding a role and the fingerprint of the token that granted it.</summary>
    public static ClaimsPrincipal Principal(string role, DashboardTokens tokens, string scheme) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, role), new Claim(ClaimTypes.Role, role), new Claim(DashboardRoles.TokenClaim, tokens.FingerprintOf(role))],
            scheme, ClaimTypes.Name, ClaimTypes.Role));

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        AccessResponses.UnauthorizedAsync(Context, PresentedToken(Request) is null ? null : "That token is not valid.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => AccessResponses.ForbiddenAsync(Context);
}
