using System.Net;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace XenDisplayWeb.Server.Security;

/// <summary>What a request without the right role gets: ProblemDetails for the API and the hub, a short page otherwise.</summary>
public static class AccessResponses
{
    private const string HowToGetIn =
        "Open the dashboard with the URL the server printed at start-up (\"Dashboard for viewers: http://…/?token=…\" " +
        "or \"Dashboard for operators: …\"), or send \"Authorization: Bearer <token>\". The tokens come from " +
        "Security:ViewerToken and Security:OperatorToken (env Security__ViewerToken, Security__OperatorToken).";

    /// <summary>Whether the caller is a program (API, hub, OpenAPI) rather than a page in a browser.</summary>
    public static bool WantsProblemDetails(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hubs") || request.Path.StartsWithSegments("/openapi")
        || request.Headers.Authorization.Count > 0
        || request.GetTypedHeaders().Accept.Any(a => a.MediaType.Value is "application/json" or "application/problem+json");

    public static Task UnauthorizedAsync(HttpContext context, string? reason = null)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        string detail = (reason is null ? "" : reason + " ") + HowToGetIn;
        if (WantsProblemDetails(context.Request))
            return WriteProblemAsync(context, "A viewer or operator token is needed", detail);
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>XenDisplayWeb: token needed</title></head><body>" +
            "<h1>A token is needed</h1><p>" + WebUtility.HtmlEncode(detail) + "</p></body></html>");
    }

    public static Task ForbiddenAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        const string detail = "This needs the operator's token; yours is a viewer's, which can look but not change anything.";
        if (WantsProblemDetails(context.Request)) return WriteProblemAsync(context, "Operators only", detail);
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(detail);
    }

    public static Task WriteProblemAsync(HttpContext context, string title, string detail)
    {
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = context.Response.StatusCode, Title = title, Detail = detail },
        }).AsTask();
    }
}
