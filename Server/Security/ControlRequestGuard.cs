using Microsoft.Extensions.Options;

namespace XenDisplayWeb.Server.Security;

/// <summary>Endpoint metadata: a control, which takes JSON only and only from this dashboard's own pages or scripts.</summary>
public sealed class JsonOnlyControl;

/// <summary>
/// Guards the controls against forged posts: a form (url-encoded, multipart, text/plain) never reaches a
/// control (415), nor does a request a browser marks cross-site or from another origin (403); a body over
/// the size limit is refused (413). Runs after authorization, so a missing role is still a 401/403 first.
/// </summary>
public sealed class ControlRequestGuard(RequestDelegate next, IOptions<SecurityOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!IsControl(context)) return next(context);
        if (SameOrigin.MarkedCrossSite(request) || !SameOrigin.Holds(request))
            return Refuse(context, StatusCodes.Status403Forbidden, "Cross-site request refused", "Controls accept requests from this dashboard's own origin only.");
        if (request.ContentLength > options.Value.MaxRequestBodyBytes)
            return Refuse(context, StatusCodes.Status413PayloadTooLarge, "Request too large", $"A control's body is at most {options.Value.MaxRequestBodyBytes} bytes.");
        bool hasBody = request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0 || request.ContentType is not null;
        if (hasBody && !request.HasJsonContentType())
            return Refuse(context, StatusCodes.Status415UnsupportedMediaType, "Controls take JSON only",
                $"Send Content-Type: application/json; a form post ({request.ContentType}) is refused.");
        return next(context);
    }

    /// <summary>
    /// A control endpoint, or any other unsafe method under /api: routing answers a JSON endpoint's form post
    /// with its own 415 endpoint before the control's metadata is seen, so the path counts too.
    /// </summary>
    private static bool IsControl(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<JsonOnlyControl>() is not null) return true;
        var request = context.Request;
        return request.Path.StartsWithSegments("/api")
            && !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));
    }

    private static Task Refuse(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return AccessResponses.WriteProblemAsync(context, title, detail);
    }
}
