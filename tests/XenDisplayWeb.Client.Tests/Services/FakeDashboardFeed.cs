using XenDisplayWeb.Client.Models;
using XenDisplayWeb.Client.Services;

namespace XenDisplayWeb.Client.Tests.Services;

/// <summary>
/// A feed the test sets views on and raises <see cref="Changed"/> from, as the server's feed does when the core's
/// events say something changed. Nothing changes until the test says so.
/// </summary>
internal sealed class FakeDashboardFeed : IDashboardFeed
{
    public event Action<DashboardChange>? Changed;

    public string BackendState { get; set; } = "running";

    public List<DomainView> DomainList { get; set; } = [];

    public Dictionary<int, DomainBuffersView> BuffersByDomain { get; } = [];

    public RingsView RingsNow { get; set; } = new([], []);

    /// <summary>The trace, oldest first.</summary>
    public List<TraceEntryView> Entries { get; } = [];

    public IReadOnlyList<string> TraceOperations { get; set; } = ["DBUF_CREATE", "PG_FLIP"];

    public Dictionary<string, XenStoreView> Store { get; } = new(StringComparer.Ordinal);

    public ControlsView ControlsNow { get; set; } = new(3000, 3100, 0, 0, 0, false, ["testpattern", "desktop", "motion"], ["DBUF_CREATE", "DBUF_DESTROY", "PG_FLIP"]);

    public Dictionary<(int DomId, int Index), string> StreamModes { get; } = [];

    public InputMap Input { get; set; } = new(new Dictionary<string, int> { ["KeyA"] = 30 }, [0x110, 0x112, 0x111], 10, 4096);

    /// <summary>What pages told the feed (<see cref="Notify"/>).</summary>
    public List<DashboardChange> Notified { get; } = [];

    /// <summary>How many pages listen now.</summary>
    public int Listeners => Changed?.GetInvocationList().Length ?? 0;

    /// <summary>Says <paramref name="change"/> happened, as the server's feed does after coalescing the core's events.</summary>
    public void Raise(DashboardChange change) => Changed?.Invoke(change);

    public IReadOnlyList<DomainView> Domains() => DomainList.ToList();

    public DomainBuffersView? Buffers(int domId) => BuffersByDomain.GetValueOrDefault(domId);

    public RingsView Rings() => RingsNow;

    public IReadOnlyList<TraceEntryView> Trace(long after, int limit) =>
        Entries.Where(e => e.Seq > after).TakeLast(limit).ToList();

    public XenStoreView? XenStore(string path) => Store.GetValueOrDefault(path);

    public ControlsView Controls() => ControlsNow;

    public string StreamMode(int domId, int index) => StreamModes.GetValueOrDefault((domId, index), "auto");

    public InputMap InputMap() => Input;

    public void Notify(DashboardChange change) => Notified.Add(change);
}
