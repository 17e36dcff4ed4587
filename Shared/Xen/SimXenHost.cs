namespace XenDisplayWeb.Shared.Xen;

/// <summary>
/// The embedded simulated Xen host: domains with their memory and grant tables, one XenStore,
/// and the event channels between them. Thread-safe. Everything is observable for the dashboard.
/// </summary>
public sealed class SimXenHost : IDisposable
{
    private readonly object _lock = new();
    private readonly Dictionary<int, SimDomain> _domains = [];
    // The id CreateDomain(name) handed out last: the search for the next free one starts after it.
    private int _rover;

    /// <param name="maxDomId">The last id <see cref="CreateDomain(string, int)"/> hands out before it wraps to 1: Xen's
    /// <see cref="DomId.MaxGuest"/>, or less to see ids come back sooner.</param>
    public SimXenHost(int maxDomId = DomId.MaxGuest)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDomId, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxDomId, DomId.MaxGuest);
        MaxDomId = maxDomId;
        Store = new XenStore();
        Evtchn = new EventChannelHub();
        CreateDomain(DomId.Dom0, "Domain-0");
    }

    public XenStore Store { get; }
    public EventChannelHub Evtchn { get; }
    public int MaxDomId { get; }

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

    /// <summary>Creates a domain with the id asked for (the toolstack chose it); EEXIST if it is taken.</summary>
    public SimDomain CreateDomain(int domId, string name, int maxPages = 1 << 20)
    {
        if (domId is < 0 or > DomId.MaxGuest) throw new XenException(XenErrno.EINVAL, $"domain id {domId} is outside 0..{DomId.MaxGuest}");
        SimDomain dom;
        lock (_lock)
        {
            if (_domains.ContainsKey(domId)) throw new XenException(XenErrno.EEXIST, $"domain {domId} exists");
            dom = Add(domId, name, maxPages);
        }
        return Introduce(dom);
    }

    /// <summary>
    /// Creates a domain with the first free id after the one handed out last, wrapping from <see cref="MaxDomId"/>
    /// to 1, as XEN_DOMCTL_createdomain picks one: a freed id comes back only after the ids wrap, by which time
    /// nothing that knew its old domain is likely to be left. ENOMEM when every id is taken.
    /// </summary>
    public SimDomain CreateDomain(string name, int maxPages = 1 << 20)
    {
        SimDomain dom;
        lock (_lock) dom = Add(NextFreeDomId(), name, maxPages);
        return Introduce(dom);
    }

    /// <summary>Under the lock: the first free id after the rover, which moves to it.</summary>
    private int NextFreeDomId()
    {
        int domId = _rover;
        for (int tried = 0; tried < MaxDomId; tried++)
        {
            domId = domId >= MaxDomId ? 1 : domId + 1;
            if (!_domains.ContainsKey(domId)) return _rover = domId;
        }
        throw new XenException(XenErrno.ENOMEM, $"every domain id 1..{MaxDomId} is taken");
    }

    /// <summary>Under the lock: the domain exists from now on, its id taken.</summary>
    private SimDomain Add(int domId, string name, int maxPages)
    {
        var dom = new SimDomain(this, domId, name, maxPages);
        _domains[domId] = dom;
        return dom;
    }

    /// <summary>Writes the domain's name and id in XenStore, as the toolstack does; a domain whose writes fail is undone.</summary>
    private SimDomain Introduce(SimDomain dom)
    {
        string path = $"/local/domain/{dom.DomId}";
        try
        {
            using var xs = Store.Connect(DomId.Dom0);
            xs.Write($"{path}/name", dom.Name);
            xs.Write($"{path}/domid", dom.DomId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch
        {
            lock (_lock) _domains.Remove(dom.DomId);
            dom.Kill();
            using (var xs = Store.Connect(DomId.Dom0))
                if (xs.Exists(path)) xs.Remove(path);
            throw;
        }
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
