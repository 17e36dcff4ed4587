using Microsoft.AspNetCore.Components.Server.Circuits;

namespace XenDisplayWeb.Server.Pages;

/// <summary>Counts the pages' Blazor circuits open now (one per open page), for <c>GET /api/viewers</c>.</summary>
public sealed class CircuitCounter(ILogger<CircuitCounter> logger) : CircuitHandler
{
    private int _open;

    public int Open => Volatile.Read(ref _open);

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        int open = Interlocked.Increment(ref _open);
        logger.LogDebug("Circuit {CircuitId} opened; {Open} open", circuit.Id, open);
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        int open = Interlocked.Decrement(ref _open);
        logger.LogDebug("Circuit {CircuitId} closed; {Open} open", circuit.Id, open);
        return Task.CompletedTask;
    }
}
