using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Server.Streaming;

namespace XenDisplayWeb.Server.Hubs;

/// <summary>
/// Everything the server pushes to pages goes through here, one queue per connection, never awaited by the
/// pusher: a connection that reads slowly delays only its own queue. Frames are offered only while a
/// connection's queue is short (<see cref="StreamingOptions.MaxQueuedFrames"/>); a connection whose queue still
/// grows past <see cref="StreamingOptions.MaxQueuedMessages"/> is closed (its page reconnects and starts over),
/// so no connection holds more than a bounded number of messages in server memory.
/// </summary>
public sealed class HubOutbox(IHubContext<DashboardHub, IDashboardClient> hub, HubConnections connections,
    IOptions<StreamingOptions> options, ILogger<HubOutbox> logger) : IFrameSender
{
    private readonly Dictionary<string, Queue> _queues = [];
    private readonly int _maxFrames = options.Value.MaxQueuedFrames, _maxMessages = options.Value.MaxQueuedMessages;

    /// <summary>A connection's queue went short again: streams may send it frames.</summary>
    public event Action<string>? Drained;

    public void SendFrame(string connectionId, FrameMessage frame) => Enqueue(connectionId, c => c.Frame(frame));

    public void SendBlank(string connectionId, BlankMessage blank) => Enqueue(connectionId, c => c.Blank(blank));

    public bool CanSend(string connectionId)
    {
        lock (_queues) return !_queues.TryGetValue(connectionId, out var q) || q.Pending < _maxFrames;
    }

    /// <summary>Sends to every connection subscribed to <paramref name="topic"/>, each on its own queue.</summary>
    public void Publish(string topic, Func<IDashboardClient, Task> send)
    {
        foreach (var id in connections.Subscribers(topic)) Enqueue(id, send);
    }

    /// <summary>Messages queued for a connection and not yet taken by its socket (tests, diagnostics).</summary>
    public int Pending(string connectionId)
    {
        lock (_queues) return _queues.TryGetValue(connectionId, out var q) ? q.Pending : 0;
    }

    /// <summary>The longest queue of any connection now.</summary>
    public int MostPending
    {
        get { lock (_queues) return _queues.Count == 0 ? 0 : _queues.Values.Max(q => q.Pending); }
    }

    private void Enqueue(string connectionId, Func<IDashboardClient, Task> send)
    {
        lock (_queues)
        {
            if (!_queues.TryGetValue(connectionId, out var q)) _queues[connectionId] = q = new Queue();
            if (q.Closed) return;
            if (q.Pending >= _maxMessages)
            {
                q.Closed = true;
                logger.LogWarning("Connection {ConnectionId} has not taken {Pending} messages: closing it", connectionId, q.Pending);
                connections.Abort(connectionId);
                return;
            }
            q.Pending++;
            q.Tail = SendAfterAsync(q, q.Tail, connectionId, send);
        }
    }

    private async Task SendAfterAsync(Queue q, Task previous, string connectionId, Func<IDashboardClient, Task> send)
    {
        await previous.ConfigureAwait(false); // never faults: failures are caught below
        try
        {
            if (!q.Closed) await send(hub.Clients.Client(connectionId)).ConfigureAwait(false);
        }
        catch (Exception e) { logger.LogDebug(e, "Sending to {ConnectionId} failed", connectionId); }
        bool drained;
        lock (_queues)
        {
            q.Pending--;
            drained = q.Pending == _maxFrames - 1;
            if (q.Pending == 0 && _queues.TryGetValue(connectionId, out var current) && current == q) _queues.Remove(connectionId);
        }
        if (drained) Drained?.Invoke(connectionId);
    }

    private sealed class Queue
    {
        public int Pending;
        public bool Closed;
        public Task Tail = Task.CompletedTask;
    }
}
