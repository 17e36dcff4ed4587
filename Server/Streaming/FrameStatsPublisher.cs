using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Server.Hubs;

namespace XenDisplayWeb.Server.Streaming;

/// <summary>Once a second, sends <c>Stats</c> for every watched connector to the connections subscribed to "stats".</summary>
public sealed class FrameStatsPublisher(FrameStreamRegistry streams, HubOutbox hub, TimeProvider time)
    : IHostedService, IDisposable
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
        if (list.Count > 0) hub.Publish("stats", c => c.Stats(list));
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
