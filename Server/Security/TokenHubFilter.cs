using Microsoft.AspNetCore.SignalR;

namespace XenDisplayWeb.Server.Security;

/// <summary>
/// The dashboard hub's connections live only under the token in force: one made under a token rotated away is
/// closed when it has joined (the rotation's sweep, <see cref="TokenSessions"/>, may have passed it by) and
/// on its next call.
/// </summary>
public sealed class TokenHubFilter(DashboardTokens tokens) : IHubFilter
{
    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        await next(context);
        if (!tokens.IsCurrent(context.Context.User)) context.Context.Abort();
    }

    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (tokens.IsCurrent(invocation.Context.User)) return next(invocation);
        invocation.Context.Abort();
        throw new HubException("the token this connection was made under has been rotated away: open the dashboard with the new one");
    }
}
