namespace XenDisplayWeb.Client.Contract;

/// <summary><c>PUT .../stream</c>: "auto", "tiles" or "video".</summary>
public sealed record StreamModeRequest(string? Mode);

/// <summary>A connector's stream: the mode asked for and the path it is on now ("tiles" or "video").</summary>
public sealed record StreamModeView(int DomId, int Index, string Mode, string Path);
