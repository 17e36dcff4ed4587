using XenDisplayWeb.Client.Models;

namespace XenDisplayWeb.Client.Services;

/// <summary>What changed since the feed last said so; a page refreshes only the views that show it.</summary>
[Flags]
public enum DashboardChange
{
    None = 0,
    /// <summary>Domains, connectors, modes, XenBus states, links, workloads, the backend's life.</summary>
    Topology = 1,
    /// <summary>New protocol trace entries.</summary>
    Trace = 2,
    /// <summary>A dbuf or fb came or went.</summary>
    Buffers = 4,
    /// <summary>A XenStore node was written or removed.</summary>
    XenStore = 8,
    All = Topology | Trace | Buffers | XenStore,
}

/// <summary>
/// The dashboard's state as the interactive pages show it, read from the simulated host when asked, and word
/// (<see cref="Changed"/>) when the core's events say it changed: XenStore writes, trace entries, guests and
/// devices coming and going. The word is coalesced (at most one per <see cref="CoalescePeriod"/>) and raised off
/// the core's threads; a page marshals it with <c>InvokeAsync</c>.
/// </summary>
public interface IDashboardFeed
{
    /// <summary>How long the feed gathers the core's events into one <see cref="Changed"/>.</summary>
    static readonly TimeSpan CoalescePeriod = TimeSpan.FromMilliseconds(100);

    event Action<DashboardChange>? Changed;

    /// <summary>"running" or "stopped".</summary>
    string BackendState { get; }

    /// <summary>Every guest with a display device.</summary>
    IReadOnlyList<DomainView> Domains();

    /// <summary>A guest's dbufs, fbs and limits; null when there is no such guest.</summary>
    DomainBuffersView? Buffers(int domId);

    RingsView Rings();

    /// <summary>The newest <paramref name="limit"/> trace entries after <paramref name="after"/>, oldest first.</summary>
    IReadOnlyList<TraceEntryView> Trace(long after, int limit);

    /// <summary>The trace's op filter: displif requests and event, XenBus notes, kbdif events and backlog notes.</summary>
    IReadOnlyList<string> TraceOperations { get; }

    /// <summary>The subtree at <paramref name="path"/>; null when it does not exist. Throws <see cref="ArgumentException"/> for a malformed path.</summary>
    XenStoreView? XenStore(string path);

    /// <summary>The frontends' timeouts, the backend's faults, and what the controls offer.</summary>
    ControlsView Controls();

    /// <summary>The stream mode an operator set on a connector: auto, tiles or video.</summary>
    string StreamMode(int domId, int index);

    /// <summary>What an operator's page captures input with.</summary>
    InputMap InputMap();

    /// <summary>Tells every page that something the feed cannot see changed (a control set a workload).</summary>
    void Notify(DashboardChange change);
}
