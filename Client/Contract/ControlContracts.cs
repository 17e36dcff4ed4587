namespace XenDisplayWeb.Client.Contract;

/// <summary><c>POST /api/domains/{domId}/connectors</c>: a new connector's mode, and optionally its unique-id and workload.</summary>
public sealed record AddConnectorRequest(int? Width, int? Height, string? UniqueId = null, string? Workload = null, double? FramesPerSecond = null);

/// <summary><c>PUT .../resolution</c>.</summary>
public sealed record ResolutionRequest(int? Width, int? Height);

/// <summary><c>PUT .../link</c>: plug (true) or unplug (false) the connector's monitor.</summary>
public sealed record LinkRequest(bool? Up);

/// <summary><c>PUT .../workload</c>: what the guest's compositor draws and how fast (0: as fast as frame-done allows).</summary>
public sealed record WorkloadRequest(string? Workload = null, double? FramesPerSecond = null);

/// <summary>A connector as configured by the toolstack and the guest, after a control.</summary>
public sealed record ConnectorSettingsView(int DomId, int Index, int Width, int Height, string UniqueId, string Workload, double FramesPerSecond);

/// <summary>A connector removed; the ones after it moved down an index.</summary>
public sealed record ConnectorRemovedView(int DomId, int Index, int Connectors);

public sealed record LinkView(int DomId, int Index, bool Up);

/// <summary><c>GET|PUT /api/timeouts</c>: the frontends' request and frame-done timeouts (PUT: null keeps a value).</summary>
public sealed record TimeoutsBody(int? RequestMs, int? FrameDoneMs);

/// <summary><c>PUT /api/faults</c> (null keeps a value).</summary>
public sealed record FaultsRequest(int? ResponseDelayMs = null, int? DropResponses = null, int? DropFrameDone = null, bool? Paused = null);

/// <summary>The backend's faults: delayed, withheld responses, dropped frame-done events (-1: all), paused, and failures pending.</summary>
public sealed record FaultsView(int ResponseDelayMs, int DropResponses, int DropFrameDone, bool Paused, IReadOnlyList<PendingFailureView> FailNext);

public sealed record PendingFailureView(string Operation, int Count, int Status);

/// <summary><c>POST /api/faults/fail</c>: fail the next <c>count</c> requests of <c>operation</c> with <c>status</c> (negative errno; 0 count clears).</summary>
public sealed record FailRequest(string? Operation, int? Count, int? Status);

public sealed record BackendView(bool Running);

/// <summary><c>PUT /api/domains/{domId}/zero-copy</c>: show a guest's frames from its pages in place, or from the backend's copy.</summary>
public sealed record ZeroCopyRequest(bool? Enabled);

/// <summary>A guest's zero-copy switch after the control.</summary>
public sealed record ZeroCopyView(int DomId, bool Enabled);

/// <summary><c>POST .../input</c>: events for the connector's vkbd device, in order (see <see cref="Shared.Kbdif.InputEventSpec"/>).</summary>
public sealed record InputRequest(IReadOnlyList<Shared.Kbdif.InputEventSpec?>? Events);

/// <summary><c>GET /api/viewers</c>: the pages' Blazor circuits open now (one per open page) and the hub's connections (one per page).</summary>
public sealed record ViewersView(int Circuits, int HubConnections);
