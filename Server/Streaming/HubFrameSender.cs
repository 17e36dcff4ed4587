using Microsoft.AspNetCore.SignalR;
using XenDisplayWeb.Server.Hubs;

namespace XenDisplayWeb.Server.Streaming;

/// <summary>
/// Sends stream messages to a connection through the hub context without waiting: each connection's
/// sends are chained so they leave in order, and a slow connection delays only its own chain (whose
/// length the in-flight window bounds).
/// </summary>
public sealed class HubFrameSender(IHubContext<DashboardHub> hub, ILogger<HubFrameSender> logger) : IFrameSender
{
    private readonly Dictionary<string, Task> _tails = [];

    public void SendFrame(string connectionId, FrameMessage frame) => Enqueue(connectionId, "Frame", frame);

    public void SendBlank(string connectionId, BlankMessage blank) => Enqueue(connectionId, "Blank", blank);

    private void Enqueue(string connectionId, string method, object message)
    {
        lock (_tails)
        {
            var previous = _tails.GetValueOrDefault(connectionId, Task.CompletedTask);
            var next = SendAfterAsync(previous, connectionId, method, message);
            _tails[connectionId] = next;
            _ = next.ContinueWith(t =>
            {
                lock (_tails) if (_tails.TryGetValue(connectionId, out var tail) && tail == t) _tails.Remove(connectionId);
            }, TaskScheduler.Default);
        }
    }

    private async Task SendAfterAsync(Task previous, string connectionId, string method, object message)
    {
        try { await previous.ConfigureAwait(false); } catch (Exception) { /* logged by its own send */ }
        try { await hub.Clients.Client(connectionId).SendAsync(method, message).ConfigureAwait(false); }
        catch (Exception e) { logger.LogDebug(e, "Sending {Method} to {ConnectionId} failed", method, connectionId); }
    }
}
