namespace XenDisplayWeb.Server.Security;

/// <summary>The two roles, their policies, and the names of the authentication schemes and the cookie.</summary>
public static class DashboardRoles
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";

    /// <summary>Policy: a viewer or an operator (the fallback policy of every endpoint).</summary>
    public const string ViewerPolicy = Viewer;

    /// <summary>Policy: an operator.</summary>
    public const string OperatorPolicy = Operator;

    /// <summary>The scheme that picks the bearer token or the cookie.</summary>
    public const string Scheme = "xdw";
    public const string TokenScheme = "xdw.token";
    public const string CookieScheme = "xdw.cookie";
    public const string CookieName = "xdw.auth";

    /// <summary>Claim holding a fingerprint of the token the role was granted by (so a changed token voids old cookies).</summary>
    public const string TokenClaim = "xdw.token";

    /// <summary>The query parameter a page is opened with to get the role cookie.</summary>
    public const string TokenQuery = "token";
}
