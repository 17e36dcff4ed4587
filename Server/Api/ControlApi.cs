using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Server.Security;

namespace XenDisplayWeb.Server.Api;

/// <summary>The operator's controls under /api (see docs/dashboard-contract.md): JSON in and out, errors as ProblemDetails.</summary>
public static class ControlApi
{
    /// <summary>The controls' one service (<see cref="IDashboardControls"/>), which the API and the pages' components call.</summary>
    public static IServiceCollection AddDashboardControls(this IServiceCollection services) =>
        services.AddSingleton<IDashboardControls, DashboardControls>();

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
