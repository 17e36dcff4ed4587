using System.Security.Claims;

namespace XenDisplayWeb.Server.Security;

/// <summary>
/// Who a request counts against in the rate limits: the client's address, and the fingerprint of the token
/// its role came from. The address keeps one client from using up another's share; the fingerprint keeps a
/// viewer from using up the share of an operator on the same address (one machine, or a proxy in front).
/// </summary>
public static class ClientPartition
{
    public static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "local";

    public static string Of(HttpContext context) =>
        Address(context) + "|" + (context.User.FindFirstValue(DashboardRoles.TokenClaim) ?? "anonymous");

    /// <summary>The endpoints that cost much per request: pictures encoded as PNG (a buffer can be 128 MiB of pixels) and the trace export.</summary>
    public static bool IsExpensive(HttpRequest request) =>
        request.Path.StartsWithSegments("/api")
        && request.Path.Value is { } path
        && (path.EndsWith(".png", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase));
}
