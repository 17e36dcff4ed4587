namespace XenDisplayWeb.Shared.Xen;

/// <summary>
/// The embedded simulated Xen host: domains with their memory and grant tables, one XenStore,
/// and the event channels between them. Thread-safe. Everything is observable for the dashboard.
/// </summary>
public sealed class SimXenHost : IDisposable
{
    private readonly object _lock = new();
    private readonly Dictionary<int, SimDomain> _domains = [];

    public SimXenHost()
    {
        Store = new XenStore();
        Evtchn = new EventChannelHub();
        CreateDomain(DomId.Dom0, "Domain-0");
    }

    public XenStore Store { get; }
    public EventChannelHub Evtchn { get; }

    public SimDomain Dom0 => GetDomain(DomId.Dom0)!;

    public IReadOnlyList<SimDomain> Domains
    {
        get { lock (_lock) return _domains.Values.OrderBy(d => d.DomId).ToList(); }
    }

    /// <summary>Raised after a domain is created or destroyed.</summary>
    public event Action<SimDomain, bool>? DomainsChanged;

    public SimDomain? GetDomain(int domId)
    {
        lock (_lock) return _domains.GetValueOrDefault(domId);
    }

    public SimDomain CreateDomain(int domId, string name, int maxPages = 1 << 20)
    {
        SimDomain dom;
        lock (_lock)
        {
            if (_domains.ContainsKey(domId)) throw new XenException(XenErrno.EEXIST, $"domain {domId} exists");
            dom = new SimDomain(this, domId, name, maxPages);
            _domains[domId] = dom;
        }
        var xs = Store.Connect(DomId.Dom0);
        xs.Write($"/local/domain/{domId}/name", name);
        xs.Write($"/local/domain/{domId}/domid", domId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        xs.Dispose();
        DomainsChanged?.Invoke(dom, true);
        return dom;
    }

    /// <summary>
    /// Destroys a domain abruptly: its grants and channels vanish, its XenStore subtree goes.
    /// Pages other domains still map stay readable to them until they unmap (as Xen keeps them).
    /// </summary>
    public void DestroyDomain(int domId)
    {
        SimDomain? dom;
        lock (_lock)
        {
            if (domId == DomId.Dom0 || !_domains.Remove(domId, out dom)) return;
        }
        dom.Kill();
        Evtchn.CloseAll(domId);
        using (var xs = Store.Connect(DomId.Dom0))
        {
            if (xs.Exists($"/local/domain/{domId}")) xs.Remove($"/local/domain/{domId}");
        }
        DomainsChanged?.Invoke(dom, false);
    }

    /// <summary>All grants of all domains with their mapping counts.</summary>
    public IReadOnlyList<GrantInfo> Grants() => Domains.SelectMany(d => d.Grants.Snapshot()).ToList();

    /// <summary>Grant mappings alive on the host: a leak shows as a number that does not return to zero.</summary>
    public int TotalMappings => Domains.Sum(d => d.MapperHandle.ActiveMappings);

    public void Dispose()
    {
        foreach (var d in Domains) d.Dispose();
        Store.Dispose();
    }
}
