namespace XenDisplayWeb.Client.Contract;

/// <summary>
/// The operator's controls, one method each, as the pages' components and the HTTP API (<c>/api</c>, see
/// docs/dashboard-contract.md) both call them: the same request records, the same validation, and the same
/// answer (<see cref="ControlOutcome"/>: the API's status and body, or its ProblemDetails). Callers check
/// the operator role first; the service does not.
/// </summary>
/// <remarks>
/// A reconnect (add, remove, resolution), once asked for, is carried out even if the caller goes away: the
/// <c>ct</c> of those methods stops only the wait for the answer, never the reconnect (that ends only with the server).
/// </remarks>
public interface IDashboardControls
{
    /// <summary>Adds a connector (202 with its settings and location); the device reconnects.</summary>
    Task<ControlOutcome> AddConnectorAsync(int domId, AddConnectorRequest request, CancellationToken ct = default);

    /// <summary>Removes a connector (202); the device reconnects and later connectors move down an index.</summary>
    Task<ControlOutcome> RemoveConnectorAsync(int domId, int index, CancellationToken ct = default);

    /// <summary>Changes a connector's mode (202 with its settings); the device reconnects.</summary>
    Task<ControlOutcome> SetResolutionAsync(int domId, int index, ResolutionRequest request, CancellationToken ct = default);

    /// <summary>Unplugs or plugs back the connector's monitor (200, <see cref="LinkView"/>).</summary>
    ControlOutcome SetLink(int domId, int index, LinkRequest request);

    /// <summary>Changes what the guest draws on the connector and how fast (200, <see cref="ConnectorSettingsView"/>).</summary>
    ControlOutcome SetWorkload(int domId, int index, WorkloadRequest request);

    /// <summary>The connector's stream mode and path (200, <see cref="StreamModeView"/>).</summary>
    ControlOutcome GetStreamMode(int domId, int index);

    /// <summary>Forces tiles or video, or lets the stream choose (200, <see cref="StreamModeView"/>).</summary>
    ControlOutcome SetStreamMode(int domId, int index, StreamModeRequest request);

    /// <summary>Switches zero copy for a guest (200, <see cref="ZeroCopyView"/>).</summary>
    ControlOutcome SetZeroCopy(int domId, ZeroCopyRequest request);

    /// <summary>The frontends' timeouts (200, <see cref="TimeoutsBody"/>).</summary>
    ControlOutcome GetTimeouts();

    /// <summary>Sets either or both timeouts (200, <see cref="TimeoutsBody"/>).</summary>
    ControlOutcome SetTimeouts(TimeoutsBody request);

    /// <summary>The backend's faults (200, <see cref="FaultsView"/>).</summary>
    ControlOutcome GetFaults();

    /// <summary>Sets the backend's faults; null fields keep theirs (200, <see cref="FaultsView"/>).</summary>
    ControlOutcome SetFaults(FaultsRequest request);

    /// <summary>Fails the next requests of an operation (200, <see cref="FaultsView"/>).</summary>
    ControlOutcome FailNext(FailRequest request);

    /// <summary>Kills the backend (200, <see cref="BackendView"/>; 409 if it is already dead).</summary>
    ControlOutcome KillBackend();

    /// <summary>Starts a new backend, stopping a running one first (200, <see cref="BackendView"/>).</summary>
    ControlOutcome RestartBackend();

    /// <summary>Sends input events to the connector's vkbd device (200, <see cref="InputAcceptedView"/>).</summary>
    ControlOutcome SendInput(int domId, int index, InputRequest request);
}
