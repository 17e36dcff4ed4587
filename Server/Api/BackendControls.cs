using XenDisplayWeb.Shared.Backend;
using XenDisplayWeb.Shared.Displif;

namespace XenDisplayWeb.Server.Api;

/// <summary>Host-wide controls: the frontends' timeouts, the backend's faults, killing and restarting the backend.</summary>
internal static class BackendControls
{
    public const int MaxTimeoutMs = 600_000;
    public const int MaxDelayMs = 60_000;
    public const int MaxCount = 100_000;

    public static void MapBackendControls(this RouteGroupBuilder api)
    {
        api.MapGet("/timeouts", GetTimeouts)
            .WithName("GetTimeouts").WithSummary("The frontends' request and frame-done timeouts, in milliseconds")
            .Produces<TimeoutsBody>();
        api.MapPut("/timeouts", PutTimeouts)
            .WithName("SetTimeouts").WithSummary("Sets the frontends' request and/or frame-done timeouts (1..600000 ms); they apply to the next request or flip")
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

    private static IResult GetTimeouts(SimulatedHostService host) =>
        host.System is { } s
            ? Results.Ok(new TimeoutsBody((int)s.Timeouts.Request.TotalMilliseconds, (int)s.Timeouts.FrameDone.TotalMilliseconds))
            : ControlProblems.NotRunning();

    private static IResult PutTimeouts(TimeoutsBody body, SimulatedHostService host)
    {
        if (host.System is not { } s) return ControlProblems.NotRunning();
        if ((ControlProblems.Range("requestMs", body.RequestMs, 1, MaxTimeoutMs, required: false)
            ?? ControlProblems.Range("frameDoneMs", body.FrameDoneMs, 1, MaxTimeoutMs, required: false)) is { } invalid) return invalid;
        if (body.RequestMs is { } r) s.Timeouts.Request = TimeSpan.FromMilliseconds(r);
        if (body.FrameDoneMs is { } f) s.Timeouts.FrameDone = TimeSpan.FromMilliseconds(f);
        return GetTimeouts(host);
    }

    private static IResult GetFaults(SimulatedHostService host) =>
        host.System is { } s ? Results.Ok(View(s.Backend.Faults)) : ControlProblems.NotRunning();

    private static IResult PutFaults(FaultsRequest body, SimulatedHostService host)
    {
        if (host.System is not { } s) return ControlProblems.NotRunning();
        if ((ControlProblems.Range("responseDelayMs", body.ResponseDelayMs, 0, MaxDelayMs, required: false)
            ?? ControlProblems.Range("dropResponses", body.DropResponses, 0, MaxCount, required: false)
            ?? ControlProblems.Range("dropFrameDone", body.DropFrameDone, -1, MaxCount, required: false)) is { } invalid) return invalid;
        var faults = s.Backend.Faults;
        if (body.ResponseDelayMs is { } d) faults.ResponseDelay = TimeSpan.FromMilliseconds(d);
        if (body.DropResponses is { } r) faults.DropResponses = r;
        if (body.DropFrameDone is { } f) faults.DropFrameDone = f;
        if (body.Paused is { } p) faults.Paused = p;
        return Results.Ok(View(faults));
    }

    private static IResult FailNext(FailRequest body, SimulatedHostService host)
    {
        if (host.System is not { } s) return ControlProblems.NotRunning();
        var ops = Enum.GetValues<XendisplOp>().ToDictionary(o => Displif.OpName((byte)o), StringComparer.OrdinalIgnoreCase);
        if (body.Operation is null || !ops.TryGetValue(body.Operation, out var op))
            return ControlProblems.Invalid("operation", $"must be one of {string.Join(", ", ops.Keys)}");
        if ((ControlProblems.Range("count", body.Count, 0, MaxCount) ?? ControlProblems.Range("status", body.Status, -4095, -1)) is { } invalid) return invalid;
        s.Backend.Faults.FailNext(op, body.Count!.Value, body.Status!.Value);
        return Results.Ok(View(s.Backend.Faults));
    }

    private static IResult Kill(SimulatedHostService host)
    {
        if (host.System is not { } s) return ControlProblems.NotRunning();
        if (!s.Backend.IsRunning)
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Backend not running", detail: "the backend is already dead; restart it first");
        s.KillBackend();
        return Results.Ok(new BackendView(s.Backend.IsRunning));
    }

    private static IResult Restart(SimulatedHostService host)
    {
        if (host.System is not { } s) return ControlProblems.NotRunning();
        s.RestartBackend();
        return Results.Ok(new BackendView(s.Backend.IsRunning));
    }

    private static FaultsView View(BackendFaults f) =>
        new((int)f.ResponseDelay.TotalMilliseconds, f.DropResponses, f.DropFrameDone, f.Paused,
            f.PendingFailures.Select(kv => new PendingFailureView(Displif.OpName((byte)kv.Key), kv.Value.Count, kv.Value.Status)).ToList());
}
