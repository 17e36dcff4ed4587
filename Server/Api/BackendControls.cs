using XenDisplayWeb.Client.Contract;
using ControlLimits = XenDisplayWeb.Shared.Host.ControlLimits;

namespace XenDisplayWeb.Server.Api;

/// <summary>Host-wide controls: the frontends' timeouts, the backend's faults, killing and restarting the backend.</summary>
internal static class BackendControls
{
    public static void MapBackendControls(this RouteGroupBuilder api)
    {
        api.MapGet("/timeouts", GetTimeouts)
            .WithName("GetTimeouts").WithSummary("The frontends' request and frame-done timeouts, in milliseconds")
            .Produces<TimeoutsBody>();
        api.MapPut("/timeouts", PutTimeouts)
            .WithName("SetTimeouts").WithSummary($"Sets the frontends' request and/or frame-done timeouts (1..{ControlLimits.MaxTimeoutMs} ms); they apply to the next request or flip")
            .Produces<TimeoutsBody>().ProducesValidationProblem();

        api.MapGet("/faults", GetFaults)
            .WithName("GetFaults").WithSummary("The faults injected into the backend, with the failures still pending")
            .Produces<FaultsView>();
        api.MapPut("/faults", PutFaults)
            .WithName("SetFaults").WithSummary("Delays or withholds responses, drops frame-done events (-1: all), pauses the backend")
            .Produces<FaultsView>().ProducesValidationProblem();
        api.MapPost("/faults/fail", FailNext)
            .WithName("FailNext").WithSummary("Fails the next count requests of an operation with a status (negative errno); count 0 clears")
            .Produces<FaultsView>().ProducesValidationProblem();

        api.MapPost("/backend/kill", Kill)
            .WithName("KillBackend").WithSummary("Kills the backend without a last word, as a crashed displ_be: the frontends see it Closed")
            .Produces<BackendView>().ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/backend/restart", Restart)
            .WithName("RestartBackend").WithSummary("Starts a new backend (stopping a running one first); the frontends reconnect")
            .Produces<BackendView>().ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static IResult GetTimeouts(IDashboardControls controls) => controls.GetTimeouts().ToResult();

    private static IResult PutTimeouts(TimeoutsBody body, IDashboardControls controls) => controls.SetTimeouts(body).ToResult();

    private static IResult GetFaults(IDashboardControls controls) => controls.GetFaults().ToResult();

    private static IResult PutFaults(FaultsRequest body, IDashboardControls controls) => controls.SetFaults(body).ToResult();

    private static IResult FailNext(FailRequest body, IDashboardControls controls) => controls.FailNext(body).ToResult();

    private static IResult Kill(IDashboardControls controls) => controls.KillBackend().ToResult();

    private static IResult Restart(IDashboardControls controls) => controls.RestartBackend().ToResult();
}
