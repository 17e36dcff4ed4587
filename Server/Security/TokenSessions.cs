using XenDisplayWeb.Server.Hubs;

namespace XenDisplayWeb.Server.Security;

/// <summary>
/// What lives on after its request under a role's token: the pages' circuits (<see cref="TokenCircuitHandler"/>)
/// and the dashboard hub's connections. When a token is rotated, those made under the old one end.
/// </summary>
public sealed class TokenSessions : IDisposable
{
    private readonly DashboardTokens _tokens;
    private readonly HubConnections _hub;
    private readonly ILogger _logger;
    private readonly HashSet<TokenCircuitHandler> _circuits = [];

    public TokenSessions(DashboardTokens tokens, HubConnections hub, ILogger<TokenSessions> logger)
    {
        _tokens = tokens;
        _hub = hub;
        _logger = logger;
        tokens.Rotated += OnRotated;
    }

    /// <summary>The pages' circuits open now (one per open page).</summary>
    public int CircuitCount
    {
        get { lock (_circuits) return _circuits.Count; }
    }

    internal void Add(TokenCircuitHandler circuit)
    {
        lock (_circuits) _circuits.Add(circuit);
    }

    internal void Remove(TokenCircuitHandler circuit)
    {
        lock (_circuits) _circuits.Remove(circuit);
    }

    private void OnRotated(IReadOnlyList<string> roles)
    {
        List<TokenCircuitHandler> stale;
        lock (_circuits) stale = [.. _circuits.Where(c => !c.IsCurrent)];
        foreach (var circuit in stale) circuit.End();
        int connections = _hub.AbortWhere(_tokens.IsCurrent);
        _logger.LogInformation("Token rotated for {Roles}: {Circuits} circuits and {Connections} hub connections under the old one ended",
            roles, stale.Count, connections);
    }

    public void Dispose() => _tokens.Rotated -= OnRotated;
}
