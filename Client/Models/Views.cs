namespace XenDisplayWeb.Client.Models;

/// <summary>A connector as the pages, the API (<c>GET /api/domains</c>) and the hub's <c>Topology</c> show it.</summary>
/// <param name="State">The backend device's XenBus state.</param>
/// <param name="Connected">The guest's DRM connector reports its link connected.</param>
/// <param name="Input">The connector's vkbd device and what the guest's compositor took from it.</param>
public sealed record ConnectorView(int Index, int Width, int Height, string UniqueId, string Workload, string State,
    bool Connected, long FramesShown, double FramesPerSecond = 0, InputView? Input = null);

/// <summary>A connector's PV input: its vkbd device's XenBus state, the events the guest's compositor consumed, and the seq of the last (-1 before any; its low 32 bits are the strip's row 2).</summary>
public sealed record InputView(string State, long Events, long LastSeq);

/// <summary>A guest domain with its display device.</summary>
/// <param name="State">The frontend's XenBus state.</param>
/// <param name="BackendState">The backend device's XenBus state.</param>
public sealed record DomainView(int DomId, string Name, string State, bool BeAlloc, IReadOnlyList<ConnectorView> Connectors,
    string BackendState = "Unknown", string? Misbehaving = null);

/// <summary>One request, response, event or note of the protocol trace.</summary>
public sealed record TraceEntryView(long Seq, DateTimeOffset Time, int DomId, int DevId, int Connector, string Kind, int Id,
    string Operation, int Status, double? ElapsedUs, string Text);
