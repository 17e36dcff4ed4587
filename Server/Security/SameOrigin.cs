namespace XenDisplayWeb.Server.Security;

/// <summary>Whether a request comes from this dashboard's own origin, as a browser marks it.</summary>
public static class SameOrigin
{
    /// <summary>
    /// True when the request carries no Origin (not a browser's cross-origin request: curl, scripts, the
    /// .NET client with a bearer token) or one naming this server's scheme and authority.
    /// </summary>
    public static bool Holds(HttpRequest request)
    {
        string? origin = request.Headers.Origin;
        if (string.IsNullOrEmpty(origin)) return true;
        return Uri.TryCreate(origin, UriKind.Absolute, out var o)
            && string.Equals(o.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)
            && string.Equals(o.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A browser's own mark that the request is not from this origin.</summary>
    public static bool MarkedCrossSite(HttpRequest request) =>
        request.Headers["Sec-Fetch-Site"].ToString() is "cross-site" or "same-site";
}
