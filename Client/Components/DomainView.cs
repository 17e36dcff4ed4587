namespace XenDisplayWeb.Client.Components;

/// <summary>What the overview shows of a connector.</summary>
public sealed record ConnectorView(int Index, int Width, int Height, string UniqueId, string Workload, string State, bool Connected, long FramesShown);

/// <summary>What the overview shows of a guest domain.</summary>
public sealed record DomainView(int DomId, string Name, string State, bool BeAlloc, IReadOnlyList<ConnectorView> Connectors);
