using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Server.Hubs;
using XenDisplayWeb.Server.Views;
using XenDisplayWeb.Shared.Diagnostics;

namespace XenDisplayWeb.Server.Events;

/// <summary>
/// Pushes the hub's live events: <c>Topology</c> to "topology" when the topology's signature changes
/// (checked every 250 ms, nothing per frame), <c>Trace</c> batches to "trace" and <c>Buffers</c> to
/// "buffers" at most 10 times a second. Timers come from the <see cref="TimeProvider"/>.
/// </summary>
public sealed class DashboardEventsService(SimulatedHostService host, HubOutbox hub, TimeProvider time,
    ILogger<DashboardEventsService> logger) : BackgroundService
{
    public static readonly TimeSpan TopologyPeriod = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan TracePeriod = TimeSpan.FromMilliseconds(100);

    private readonly TraceBatcher _batcher = new();
    private readonly BufferEventTracker _buffers = new();
    private string? _topology;
    private DisplifTrace? _trace;
    private long _after;

    protected override Task ExecuteAsync(CancellationToken stop) =>
        Task.WhenAll(RunAsync(TopologyPeriod, PushTopologyAsync, stop), RunAsync(TracePeriod, PushTraceAsync, stop));

    private async Task RunAsync(TimeSpan period, Func<CancellationToken, Task> tick, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try { await tick(stop); }
                catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning(e, "A live event push failed"); }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
    }

    /// <summary>Sends the topology if it changed since the last push.</summary>
    internal async Task PushTopologyAsync(CancellationToken ct)
    {
        var domains = DashboardViews.Domains(host.System);
        string signature = TopologySignature.Of(domains);
        if (signature == _topology) return;
        bool first = _topology is null;
        _topology = signature;
        if (!first) hub.Publish("topology", c => c.Topology(domains));
    }

    /// <summary>Sends the trace entries since the last batch, and the buffer events among them.</summary>
    internal async Task PushTraceAsync(CancellationToken ct)
    {
        var trace = host.System?.Trace;
        if (trace is null) return;
        if (!ReferenceEquals(trace, _trace))
        {
            _trace = trace; // a new system: start from now (GET /api/trace has the history)
            _after = trace.Appended - 1;
            return;
        }
        var fresh = trace.Snapshot(_after);
        if (fresh.Count == 0) return;
        var events = new List<BufferEvent>();
        foreach (var e in fresh)
            if (_buffers.Observe(e) is { } b) events.Add(b);
        var batch = _batcher.Cut(fresh, _after, time.GetUtcNow());
        _after = fresh[^1].Sequence;
        hub.Publish("trace", c => c.Trace(batch));
        foreach (var b in events) hub.Publish("buffers", c => c.Buffers(b));
    }
}
