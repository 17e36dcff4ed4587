namespace XenDisplayWeb.Server.Console;

/// <summary>POST /api/domains/{domId}/grants.</summary>
public sealed record GrantPageRequest(string? Data, bool ReadOnly = false);

/// <summary>PUT /api/domains/{domId}/grants/{gref}.</summary>
public sealed record WritePageRequest(string? Data);

/// <summary>POST /api/domains/{domId}/connectors/{index}/requests.</summary>
public sealed record InjectRequest(string? Packet);

/// <summary>POST /api/domains/{domId}/connectors/{index}/ring: only the fields given are written.</summary>
public sealed record RingWriteRequest(uint? ReqProd, uint? ReqEvent, uint? RspEvent, uint? InCons);

/// <summary>A connector of a guest created by POST /api/domains.</summary>
public sealed record CreateConnectorRequest(int Width, int Height, string? UniqueId, string? Workload, double? FramesPerSecond);

/// <summary>POST /api/domains: <c>workloads</c>, if given, names each connector's workload by position.</summary>
public sealed record CreateGuestRequest(string? Name, bool BeAlloc, List<CreateConnectorRequest>? Connectors, List<string>? Workloads);

public sealed record GrantCreated(uint Gref);

public sealed record RequestAnswered(string Response, int Status, double ElapsedMs);

public sealed record GuestCreated(int DomId, string Name);
