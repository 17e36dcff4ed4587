using XenDisplayWeb.Server.Hubs;

namespace XenDisplayWeb.Server.Security;

/// <summary>
/// The hub (WebSocket handshake, negotiate, long polling, server-sent events) answers this dashboard's own
/// pages only: a request from another origin is refused (403) whatever credential it carries, since a
/// browser sends the role cookie along. Requests without Origin (non-browser clients) pass.
/// </summary>
public sealed class HubOriginGuard(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments(DashboardHub.Path) || (SameOrigin.Holds(request) && !SameOrigin.MarkedCrossSite(request)))
            return next(context);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return AccessResponses.WriteProblemAsync(context, "Cross-site request refused", "The hub accepts connections from this dashboard's own origin only.");
    }
}
