using XenDisplayWeb.Client.Models;
using XenDisplayWeb.Client.Services;
using XenDisplayWeb.Server.Pages;
using XenDisplayWeb.Server.Streaming;
using XenDisplayWeb.Server.Streaming.Video;
using XenDisplayWeb.Shared.Diagnostics;
using XenDisplayWeb.Shared.Host;
using XenDisplayWeb.Shared.Workloads;

namespace XenDisplayWeb.Server.Views;

/// <summary>
/// The interactive pages' <see cref="IDashboardFeed"/>: listens to the core's events (XenStore writes, trace
/// entries, domains coming and going) and, once per <see cref="IDashboardFeed.CoalescePeriod"/> at most, tells the
/// pages what changed. The core's threads only set a flag; the word goes out from this service's timer.
/// </summary>
public sealed class DashboardFeed(SimulatedHostService host, FrameStreamRegistry streams, TimeProvider time, ILogger<DashboardFeed> logger)
    : BackgroundService, IDashboardFeed
{
    private int _pending;
    private SimulatedSystem? _system;

    public event Action<DashboardChange>? Changed;

    public string BackendState => host.System?.Backend.IsRunning == true ? "running" : "stopped";

    public IReadOnlyList<DomainView> Domains() => DashboardViews.Domains(host.System);

    public DomainBuffersView? Buffers(int domId) => BufferViewBuilder.For(host.System, domId);

    public RingsView Rings() => RingViewBuilder.All(host.System);

    public IReadOnlyList<TraceEntryView> Trace(long after, int limit) =>
        new TraceQuery(after, null, null, null, null, limit).Run(host.System);

    public IReadOnlyList<string> TraceOperations => DashboardPages.TraceOperations;

    public XenStoreView? XenStore(string path) => XenStoreViewBuilder.At(host.System, path);

    public ControlsView Controls()
    {
        var system = host.System;
        var faults = system?.Backend.Faults;
        return new ControlsView(
            (int)(system?.Timeouts.Request.TotalMilliseconds ?? 0), (int)(system?.Timeouts.FrameDone.TotalMilliseconds ?? 0),
            (int)(faults?.ResponseDelay.TotalMilliseconds ?? 0), faults?.DropResponses ?? 0, faults?.DropFrameDone ?? 0, faults?.Paused ?? false,
            WorkloadRenderers.Names, DashboardPages.Operations);
    }

    public string StreamMode(int domId, int index) => streams.ModeOf(domId, index).Mode.Name();

    public InputMap InputMap() => DashboardPages.InputMapOf(host.System);

    public void Notify(DashboardChange change) => Interlocked.Or(ref _pending, (int)change);

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(IDashboardFeed.CoalescePeriod, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                Follow(host.System);
                var change = (DashboardChange)Interlocked.Exchange(ref _pending, 0);
                if (change == DashboardChange.None) continue;
                try { Changed?.Invoke(change); }
                catch (Exception e) { logger.LogWarning(e, "A page failed to take the dashboard's {Change}", change); }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
        finally { Follow(null); }
    }

    /// <summary>Listens to <paramref name="system"/>'s events (and no longer to the one before).</summary>
    private void Follow(SimulatedSystem? system)
    {
        if (ReferenceEquals(system, _system)) return;
        if (_system is { } old)
        {
            old.Host.Store.Changed -= OnXenStoreChanged;
            old.Trace.EntryAppended -= OnTraceEntry;
            old.Host.DomainsChanged -= OnDomainsChanged;
        }
        _system = system;
        if (system is null) return;
        system.Host.Store.Changed += OnXenStoreChanged;
        system.Trace.EntryAppended += OnTraceEntry;
        system.Host.DomainsChanged += OnDomainsChanged;
        Notify(DashboardChange.All);
    }

    // Topology follows XenStore: connectors, modes, XenBus states and links are all written there.
    private void OnXenStoreChanged(string path) => Notify(DashboardChange.XenStore | DashboardChange.Topology);

    private void OnDomainsChanged(Shared.Xen.SimDomain domain, bool added) => Notify(DashboardChange.Topology | DashboardChange.Buffers);

    private void OnTraceEntry(TraceEntry entry) => Notify(entry.Operation is "DBUF_CREATE" or "DBUF_DESTROY" or "FB_ATTACH" or "FB_DETACH" or "SET_CONFIG"
        ? DashboardChange.Trace | DashboardChange.Buffers
        : DashboardChange.Trace);
}
