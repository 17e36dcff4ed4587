using XenDisplayWeb.Client.Contract;

namespace XenDisplayWeb.Client.Tests.Contract;

/// <summary>
/// Controls that record every call and answer as the server's service answers a valid request, for pages on the
/// fake feed (where there is no system to act on). The tests of a control's effect use the real service instead
/// (<see cref="SimulatedDashboard"/>).
/// </summary>
internal sealed class RecordingControls : IDashboardControls
{
    /// <summary>Each call: the method's name and its arguments.</summary>
    public List<(string Method, object?[] Args)> Calls { get; } = [];

    private ControlOutcome Record(ControlOutcome answer, string method, params object?[] args)
    {
        lock (Calls) Calls.Add((method, args));
        return answer;
    }

    /// <summary>When set, an added connector is answered only once the test completes it (a reconnect under way).</summary>
    public TaskCompletionSource<ControlOutcome>? AddGate { get; set; }

    public Task<ControlOutcome> AddConnectorAsync(int domId, AddConnectorRequest request, CancellationToken ct = default)
    {
        var answer = Record(ControlOutcome.Accepted(null, $"/api/domains/{domId}/connectors/1"), nameof(AddConnectorAsync), domId, request);
        return AddGate?.Task.WaitAsync(ct) ?? Task.FromResult(answer);
    }

    /// <summary>When set, a removed connector is answered only once the test completes it.</summary>
    public TaskCompletionSource<ControlOutcome>? RemoveGate { get; set; }

    public Task<ControlOutcome> RemoveConnectorAsync(int domId, int index, CancellationToken ct = default)
    {
        var answer = Record(ControlOutcome.Accepted(new ConnectorRemovedView(domId, index, 1)), nameof(RemoveConnectorAsync), domId, index);
        return RemoveGate?.Task.WaitAsync(ct) ?? Task.FromResult(answer);
    }

    public Task<ControlOutcome> SetResolutionAsync(int domId, int index, ResolutionRequest request, CancellationToken ct = default) =>
        Task.FromResult(Record(ControlOutcome.Accepted(null), nameof(SetResolutionAsync), domId, index, request));

    public ControlOutcome SetLink(int domId, int index, LinkRequest request) =>
        Record(ControlOutcome.Ok(new LinkView(domId, index, request.Up ?? false)), nameof(SetLink), domId, index, request);

    public ControlOutcome SetWorkload(int domId, int index, WorkloadRequest request) =>
        Record(ControlOutcome.Ok(null), nameof(SetWorkload), domId, index, request);

    public ControlOutcome GetStreamMode(int domId, int index) =>
        Record(ControlOutcome.Ok(new StreamModeView(domId, index, "auto", "tiles")), nameof(GetStreamMode), domId, index);

    public ControlOutcome SetStreamMode(int domId, int index, StreamModeRequest request) =>
        Record(ControlOutcome.Ok(new StreamModeView(domId, index, request.Mode ?? "auto", "tiles")), nameof(SetStreamMode), domId, index, request);

    public ControlOutcome SetZeroCopy(int domId, ZeroCopyRequest request) =>
        Record(ControlOutcome.Ok(new ZeroCopyView(domId, request.Enabled ?? false)), nameof(SetZeroCopy), domId, request);

    public ControlOutcome GetTimeouts() => Record(ControlOutcome.Ok(new TimeoutsBody(3000, 3100)), nameof(GetTimeouts));

    public ControlOutcome SetTimeouts(TimeoutsBody request) => Record(ControlOutcome.Ok(request), nameof(SetTimeouts), request);

    public ControlOutcome GetFaults() => Record(ControlOutcome.Ok(null), nameof(GetFaults));

    public ControlOutcome SetFaults(FaultsRequest request) => Record(ControlOutcome.Ok(null), nameof(SetFaults), request);

    public ControlOutcome FailNext(FailRequest request) => Record(ControlOutcome.Ok(null), nameof(FailNext), request);

    public ControlOutcome KillBackend() => Record(ControlOutcome.Ok(new BackendView(false)), nameof(KillBackend));

    public ControlOutcome RestartBackend() => Record(ControlOutcome.Ok(new BackendView(true)), nameof(RestartBackend));

    public ControlOutcome SendInput(int domId, int index, InputRequest request) =>
        Record(ControlOutcome.Ok(null), nameof(SendInput), domId, index, request);
}
