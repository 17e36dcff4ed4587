using XenDisplayWeb.Server.Security;

namespace XenDisplayWeb.Server.Api;

/// <summary>The operator's controls under /api (see docs/dashboard-contract.md): JSON in and out, errors as ProblemDetails.</summary>
public static class ControlApi
{
    public static IEndpointRouteBuilder MapControlApi(this IEndpointRouteBuilder app)
    {
        var controls = app.MapGroup("/api").AsOperatorControls("Controls");
        controls.MapConnectorControls();
        controls.MapInputControls();
        controls.MapBackendControls();
        controls.MapZeroCopyControl();
        controls.MapStreamControls();
        return app;
    }
}
