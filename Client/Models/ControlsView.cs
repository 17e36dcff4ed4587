namespace XenDisplayWeb.Client.Models;

/// <summary>What the controls page starts its forms with: the current timeouts and faults, and the choices.</summary>
/// <param name="DropFrameDone">Frame-done events still to drop; -1 drops every one until set to 0.</param>
/// <param name="Operations">The request operations a fault can fail ("DBUF_CREATE", ...).</param>
public sealed record ControlsView(int RequestMs, int FrameDoneMs, int ResponseDelayMs, int DropResponses, int DropFrameDone, bool Paused,
    IReadOnlyList<string> Workloads, IReadOnlyList<string> Operations);
