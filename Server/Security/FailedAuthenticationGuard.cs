namespace XenDisplayWeb.Server.Security;

/// <summary>Refuses (429) a request presenting a token from an address past its failures; counts each refused token.</summary>
public sealed class FailedAuthenticationGuard(RequestDelegate next, FailedAuthentications failures)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        bool presents = TokenAuthenticationHandler.PresentedToken(request) is not null || request.Query.ContainsKey(DashboardRoles.TokenQuery);
        if (!presents)
        {
            await next(context);
            return;
        }
        string address = ClientPartition.Address(context);
        if (failures.Exhausted(address))
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = "60";
            await AccessResponses.WriteProblemAsync(context, "Too many failed authentications",
                "Too many wrong tokens came from this address (Security:FailedAuthenticationsPerMinute); try again in a minute.");
            return;
        }
        await next(context);
        if (context.Response.StatusCode == StatusCodes.Status401Unauthorized) failures.Count(address);
    }
}
