using Microsoft.AspNetCore.SignalR;
using XenDisplayWeb.Server.Hubs;

namespace XenDisplayWeb.Server.Streaming;

/// <summary>Once a second, sends <c>Stats</c> for every watched connector to the hub group "stats".</summary>
public sealed class FrameStatsPublisher(FrameStreamRegistry streams, IHubContext<DashboardHub> hub, TimeProvider time,
    ILogger<FrameStatsPublisher> logger) : IHostedService, IDisposable
{
    private ITimer? _timer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = time.CreateTimer(_ => Publish(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        return Task.CompletedTask;
    }

    /// <summary>Collects the last second's figures and sends them (nothing when nobody watches).</summary>
    public IReadOnlyList<ConnectorStats> Publish()
    {
        var list = new List<ConnectorStats>();
        foreach (var s in streams.Streams.OrderBy(s => s.DomId).ThenBy(s => s.Index))
            if (s.TakeStats() is { } stats) list.Add(stats);
        if (list.Count > 0)
        {
            _ = hub.Clients.Group("stats").SendAsync("Stats", list).ContinueWith(
                t => logger.LogDebug(t.Exception, "Sending stats failed"), TaskContinuationOptions.OnlyOnFaulted);
        }
        return list;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        _timer = null;
        return Task.CompletedTask;
    }

    public void Dispose() => _timer?.Dispose();
}
