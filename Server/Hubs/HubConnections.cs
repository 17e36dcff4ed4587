using System.Security.Claims;
using Microsoft.AspNetCore.SignalR;

namespace XenDisplayWeb.Server.Hubs;

/// <summary>
/// The hub's live connections and the topics each joined: pushes go to each subscriber's own queue
/// (<see cref="HubOutbox"/>) instead of a SignalR group, whose send waits for its slowest member. Tells
/// the services that keep per-connection state (viewers) when a connection goes away.
/// </summary>
public sealed class HubConnections
{
    private readonly Dictionary<string, Connection> _connections = [];

    public event Action<string>? Left;

    /// <summary>Connections open now.</summary>
    public int Count
    {
        get { lock (_connections) return _connections.Count; }
    }

    internal void OnConnected(HubCallerContext context)
    {
        lock (_connections) _connections[context.ConnectionId] = new Connection(context);
    }

    internal void OnLeft(string connectionId)
    {
        lock (_connections) _connections.Remove(connectionId);
        Left?.Invoke(connectionId);
    }

    /// <summary>Joins a topic (idempotent); false when the connection is gone.</summary>
    internal bool Subscribe(string connectionId, string topic)
    {
        lock (_connections)
        {
            if (!_connections.TryGetValue(connectionId, out var c)) return false;
            c.Topics.Add(topic);
            return true;
        }
    }

    public IReadOnlyList<string> Subscribers(string topic)
    {
        lock (_connections) return [.. _connections.Values.Where(c => c.Topics.Contains(topic)).Select(c => c.Context.ConnectionId)];
    }

    /// <summary>Closes a connection from the server side (its page reconnects).</summary>
    internal void Abort(string connectionId)
    {
        HubCallerContext? context;
        lock (_connections) context = _connections.GetValueOrDefault(connectionId)?.Context;
        context?.Abort();
    }

    /// <summary>Closes from the server side every connection whose user fails <paramref name="keep"/>; how many.</summary>
    internal int AbortWhere(Func<ClaimsPrincipal?, bool> keep)
    {
        List<HubCallerContext> gone;
        lock (_connections) gone = [.. _connections.Values.Select(c => c.Context).Where(c => !keep(c.User))];
        foreach (var context in gone) context.Abort();
        return gone.Count;
    }

    private sealed record Connection(HubCallerContext Context)
    {
        public HashSet<string> Topics { get; } = [];
    }
}
