using XenDisplayWeb.Client.Services;
using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Server.Streaming;
using XenDisplayWeb.Server.Streaming.Video;
using XenDisplayWeb.Shared.Backend;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Host;
using BackendView = XenDisplayWeb.Client.Contract.BackendView; // not the console's Shared.Host.BackendView
using D = XenDisplayWeb.Shared.Displif.Displif;
using static XenDisplayWeb.Server.Api.ControlProblems;

namespace XenDisplayWeb.Server.Api;

/// <summary>
/// The operator's controls on the simulated host, for the HTTP API and the pages' components alike: each
/// checks its request, applies it and answers what the API answers. A reconnect (add, remove, resolution),
/// once asked for, runs until done or until the server stops, whoever asked and whether they still wait.
/// </summary>
internal sealed class DashboardControls(SimulatedHostService host, FrameStreamRegistry streams, IHostApplicationLifetime lifetime,
    IDashboardFeed feed, ILogger<DashboardControls> logger) : IDashboardControls
{
    public Task<ControlOutcome> AddConnectorAsync(int domId, AddConnectorRequest request, CancellationToken ct = default)
    {
        if (host.System is not { } system) return Task.FromResult(ControlProblems.NotRunning());
        if ((Check(D.ModeProblem(request.Width, request.Height))
            ?? Check("framesPerSecond", GuestSpecLimits.FramesPerSecondProblem(request.FramesPerSecond))
            ?? CheckWorkload(request.Workload) ?? CheckUniqueId(request.UniqueId)) is { } invalid) return Task.FromResult(invalid);
        if (system.Guest(domId) is not { } guest)
            return Task.FromResult(ControlProblems.From(new ControlException(ControlFailure.UnknownDomain, $"no guest domain {domId}")));
        var connector = new GuestConnector(request.Width!.Value, request.Height!.Value,
            request.UniqueId ?? $"{guest.Domain.Name}-{guest.Spec.Connectors.Count}", request.Workload ?? "testpattern", request.FramesPerSecond ?? 60);
        return ReconnectAsync(nameof(AddConnectorAsync), async stopping =>
        {
            int index = await system.AddConnectorAsync(domId, connector, stopping);
            return ControlOutcome.Accepted(View(system, domId, index), $"/api/domains/{domId}/connectors/{index}");
        }, ct);
    }

    public Task<ControlOutcome> RemoveConnectorAsync(int domId, int index, CancellationToken ct = default)
    {
        if (host.System is not { } system) return Task.FromResult(ControlProblems.NotRunning());
        return ReconnectAsync(nameof(RemoveConnectorAsync), async stopping =>
        {
            await system.RemoveConnectorAsync(domId, index, stopping);
            return ControlOutcome.Accepted(new ConnectorRemovedView(domId, index, system.Guest(domId)?.Spec.Connectors.Count ?? 0));
        }, ct);
    }

    public Task<ControlOutcome> SetResolutionAsync(int domId, int index, ResolutionRequest request, CancellationToken ct = default)
    {
        if (host.System is not { } system) return Task.FromResult(ControlProblems.NotRunning());
        if (Check(D.ModeProblem(request.Width, request.Height)) is { } invalid) return Task.FromResult(invalid);
        return ReconnectAsync(nameof(SetResolutionAsync), async stopping =>
        {
            await system.SetResolutionAsync(domId, index, request.Width!.Value, request.Height!.Value, stopping);
            return ControlOutcome.Accepted(View(system, domId, index));
        }, ct);
    }

    public ControlOutcome SetLink(int domId, int index, LinkRequest request) => OnSystem(system =>
    {
        if (request.Up is not { } up) return ControlOutcome.Invalid("up", "is required (true or false)");
        system.SetLink(domId, index, up);
        return ControlOutcome.Ok(new LinkView(domId, index, up));
    });

    public ControlOutcome SetWorkload(int domId, int index, WorkloadRequest request) => OnSystem(system =>
    {
        if ((CheckWorkload(request.Workload) ?? Check("framesPerSecond", GuestSpecLimits.FramesPerSecondProblem(request.FramesPerSecond))) is { } invalid)
            return invalid;
        system.SetWorkload(domId, index, request.Workload, request.FramesPerSecond);
        return ControlOutcome.Ok(View(system, domId, index));
    });

    public ControlOutcome GetStreamMode(int domId, int index) => OnSystem(system =>
    {
        system.RequireConnector(domId, index);
        return ControlOutcome.Ok(StreamView(domId, index));
    });

    public ControlOutcome SetStreamMode(int domId, int index, StreamModeRequest request)
    {
        if (!VideoModes.TryParse(request.Mode, out var mode))
            return ControlOutcome.Invalid("mode", request.Mode is null ? "is required (auto, tiles or video)" : $"must be auto, tiles or video, not '{request.Mode}'");
        return OnSystem(system =>
        {
            system.RequireConnector(domId, index);
            streams.SetMode(domId, index, mode);
            return ControlOutcome.Ok(StreamView(domId, index));
        });
    }

    public ControlOutcome SetZeroCopy(int domId, ZeroCopyRequest request) => OnSystem(system =>
    {
        if (request.Enabled is not { } enabled) return ControlOutcome.Invalid("enabled", "is required (true or false)");
        system.SetZeroCopy(domId, enabled);
        return ControlOutcome.Ok(new ZeroCopyView(domId, system.IsZeroCopy(domId)));
    });

    public ControlOutcome GetTimeouts() => OnSystem(system => ControlOutcome.Ok(TimeoutsView(system)));

    public ControlOutcome SetTimeouts(TimeoutsBody request) => OnSystem(system =>
    {
        if ((Check("requestMs", ControlLimits.TimeoutMsProblem(request.RequestMs))
            ?? Check("frameDoneMs", ControlLimits.TimeoutMsProblem(request.FrameDoneMs))) is { } invalid) return invalid;
        if (request.RequestMs is { } r) system.Timeouts.Request = TimeSpan.FromMilliseconds(r);
        if (request.FrameDoneMs is { } f) system.Timeouts.FrameDone = TimeSpan.FromMilliseconds(f);
        return ControlOutcome.Ok(TimeoutsView(system));
    });

    public ControlOutcome GetFaults() => OnSystem(system => ControlOutcome.Ok(FaultsView(system.Backend.Faults)));

    public ControlOutcome SetFaults(FaultsRequest request) => OnSystem(system =>
    {
        if ((Check("responseDelayMs", ControlLimits.ResponseDelayMsProblem(request.ResponseDelayMs))
            ?? Check("dropResponses", ControlLimits.DropResponsesProblem(request.DropResponses))
            ?? Check("dropFrameDone", ControlLimits.DropFrameDoneProblem(request.DropFrameDone))) is { } invalid) return invalid;
        var faults = system.Backend.Faults;
        if (request.ResponseDelayMs is { } d) faults.ResponseDelay = TimeSpan.FromMilliseconds(d);
        if (request.DropResponses is { } r) faults.DropResponses = r;
        if (request.DropFrameDone is { } f) faults.DropFrameDone = f;
        if (request.Paused is { } p) faults.Paused = p;
        return ControlOutcome.Ok(FaultsView(faults));
    });

    public ControlOutcome FailNext(FailRequest request) => OnSystem(system =>
    {
        if ((Check("operation", ControlLimits.FailOperationProblem(request.Operation, out var op))
            ?? Check("count", ControlLimits.FailCountProblem(request.Count)) ?? Check("status", ControlLimits.FailStatusProblem(request.Status))) is { } invalid)
            return invalid;
        system.Backend.Faults.FailNext(op, request.Count!.Value, request.Status!.Value);
        return ControlOutcome.Ok(FaultsView(system.Backend.Faults));
    });

    public ControlOutcome KillBackend() => OnSystem(system =>
    {
        if (!system.Backend.IsRunning)
            return ControlOutcome.Failed(StatusCodes.Status409Conflict, "Backend not running", "the backend is already dead; restart it first");
        system.KillBackend();
        return ControlOutcome.Ok(new BackendView(system.Backend.IsRunning));
    });

    public ControlOutcome RestartBackend() => OnSystem(system =>
    {
        system.RestartBackend();
        return ControlOutcome.Ok(new BackendView(system.Backend.IsRunning));
    });

    public ControlOutcome SendInput(int domId, int index, InputRequest request) => OnSystem(system =>
    {
        try { return ControlOutcome.Ok(InputControls.View(domId, index, system.SendInput(domId, index, request.Events))); }
        catch (InputRejectedException e) { return ControlOutcome.Invalid(e.Field, e.Rule); }
    }, tell: false);

    /// <summary>Runs a control on the running system; a refusal of the system's (unknown domain, conflict) is its problem answer.</summary>
    /// <remarks>
    /// What a control changed that the pages' feed cannot see in XenStore or the trace (a link, a workload, a stream
    /// mode, the faults) is told to the feed, so every open page shows it whoever set it, page or API.
    /// </remarks>
    private ControlOutcome OnSystem(Func<SimulatedSystem, ControlOutcome> control, bool tell = true)
    {
        if (host.System is not { } system) return ControlProblems.NotRunning();
        ControlOutcome outcome;
        try { outcome = control(system); }
        catch (ControlException e) { return ControlProblems.From(e); }
        if (tell && outcome.Succeeded) feed.Notify(DashboardChange.Topology);
        return outcome;
    }

    /// <summary>
    /// Starts a reconnect under the server's lifetime, not the caller's: <paramref name="ct"/> ends only the
    /// wait for its answer. A reconnect that fails after its caller stopped waiting is logged.
    /// </summary>
    private async Task<ControlOutcome> ReconnectAsync(string control, Func<CancellationToken, Task<ControlOutcome>> reconnect, CancellationToken ct)
    {
        var done = Answer(reconnect);
        try { return await done.WaitAsync(ct); }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            _ = done.ContinueWith(t => logger.LogWarning(t.Exception, "Control {Control} failed after its caller stopped waiting", control),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw;
        }
    }

    private async Task<ControlOutcome> Answer(Func<CancellationToken, Task<ControlOutcome>> reconnect)
    {
        try { return await reconnect(lifetime.ApplicationStopping); }
        catch (ControlException e) { return ControlProblems.From(e); }
    }

    /// <summary>Null keeps the workload (or, for a new connector, takes the default).</summary>
    private static ControlOutcome? CheckWorkload(string? workload) =>
        workload is null ? null : Check("workload", GuestSpecLimits.WorkloadProblem(workload));

    /// <summary>Null names a new connector after its guest.</summary>
    private static ControlOutcome? CheckUniqueId(string? uniqueId) =>
        uniqueId is null ? null : Check("uniqueId", GuestSpecLimits.UniqueIdProblem(uniqueId));

    private static ConnectorSettingsView? View(SimulatedSystem system, int domId, int index)
    {
        if (system.Guest(domId) is not { } g || index >= g.Spec.Connectors.Count) return null;
        var c = g.Spec.Connectors[index];
        var s = g.Settings[index];
        return new ConnectorSettingsView(domId, index, c.Width, c.Height, c.UniqueId, s.Workload, s.FramesPerSecond);
    }

    private StreamModeView StreamView(int domId, int index)
    {
        var (mode, path) = streams.ModeOf(domId, index);
        return new StreamModeView(domId, index, mode.Name(), path);
    }

    private static TimeoutsBody TimeoutsView(SimulatedSystem system) =>
        new((int)system.Timeouts.Request.TotalMilliseconds, (int)system.Timeouts.FrameDone.TotalMilliseconds);

    private static FaultsView FaultsView(BackendFaults f) =>
        new((int)f.ResponseDelay.TotalMilliseconds, f.DropResponses, f.DropFrameDone, f.Paused,
            f.PendingFailures.Select(kv => new PendingFailureView(D.OpName((byte)kv.Key), kv.Value.Count, kv.Value.Status)).ToList());
}
