using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Extensions;

namespace XenDisplayWeb.Server.Security;

/// <summary>
/// A page opened with <c>?token=&lt;token&gt;</c>: the role goes into the protected cookie and the browser
/// is sent (302) to the same URL without the token, so it leaves the address bar and the history. The
/// redirect stays on this dashboard: a path a browser would read as another host's goes to the home page.
/// </summary>
public sealed class TokenExchangeMiddleware(RequestDelegate next, DashboardTokens tokens)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            || !request.Query.TryGetValue(DashboardRoles.TokenQuery, out var presented))
        {
            await next(context);
            return;
        }
        var role = tokens.RoleOf(presented.ToString());
        if (role is null)
        {
            await AccessResponses.UnauthorizedAsync(context, "That token is not valid.");
            return;
        }
        await context.SignInAsync(DashboardRoles.CookieScheme, TokenAuthenticationHandler.Principal(role, tokens, DashboardRoles.CookieScheme));
        var query = new QueryBuilder(request.Query.Where(q => q.Key != DashboardRoles.TokenQuery).SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v ?? ""))));
        context.Response.Redirect(LocalPath(request) + query.ToQueryString());
    }

    /// <summary>
    /// The request's path if a browser resolves it on this host; otherwise the dashboard's home. "//host",
    /// "/\host" and their percent-encoded forms are read by browsers as another host's URL.
    /// </summary>
    internal static string LocalPath(HttpRequest request)
    {
        string home = request.PathBase.HasValue ? request.PathBase.ToUriComponent() : "/";
        string path = (request.PathBase + request.Path).ToUriComponent();
        return IsLocal(path) && IsLocal(Uri.UnescapeDataString(path)) ? path : home;
    }

    private static bool IsLocal(string path) =>
        path.StartsWith('/') && !(path.Length > 1 && path[1] is '/' or '\\') && !path.Any(char.IsControl);
}
