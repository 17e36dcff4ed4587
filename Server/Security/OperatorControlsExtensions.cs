namespace XenDisplayWeb.Server.Security;

/// <summary>The one setup every group of operator controls shares.</summary>
public static class OperatorControlsExtensions
{
    /// <summary>Operator role only, JSON-only control (see <see cref="ControlRequestGuard"/>), 401/403 as ProblemDetails, under <paramref name="tag"/>.</summary>
    public static RouteGroupBuilder AsOperatorControls(this RouteGroupBuilder group, string tag) =>
        group.RequireAuthorization(DashboardRoles.OperatorPolicy)
            .WithMetadata(new JsonOnlyControl())
            .WithTags(tag)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
