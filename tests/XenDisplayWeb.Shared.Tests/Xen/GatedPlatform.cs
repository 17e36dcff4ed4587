using System.Collections.Concurrent;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.Tests.Xen;

/// <summary>
/// A domain's platform as its driver sees it, with a gate before each grant map and a count of unmaps:
/// a test holds ring threads at the map until it has the interleaving it wants.
/// </summary>
public sealed class GatedPlatform(IXenPlatform inner) : IXenPlatform
{
    private readonly GatedMapper _mapper = new(inner.Gnttab);

    public int DomId => inner.DomId;
    public IXenStore Store => inner.Store;
    public IGrantMapper Gnttab => _mapper;
    public IGrantSharer Gntshr => inner.Gntshr;
    public IEventChannels Evtchn => inner.Evtchn;

    /// <summary>Holds each thread at its first grant map once armed, until <see cref="MapGate.Open"/>.</summary>
    public MapGate Gate => _mapper.Gate;

    /// <summary>How often a grant of <paramref name="domId"/> was unmapped through this platform.</summary>
    public int Unmaps(int domId, uint gref) => _mapper.Unmaps.GetValueOrDefault((domId, gref));

    private sealed class GatedMapper(IGrantMapper inner) : IGrantMapper
    {
        public MapGate Gate { get; } = new();
        public ConcurrentDictionary<(int, uint), int> Unmaps { get; } = new();
        public int ActiveMappings => inner.ActiveMappings;

        public GrantMapping Map(int domId, uint gref, bool readOnly)
        {
            Gate.Pass();
            return inner.Map(domId, gref, readOnly);
        }

        public void Unmap(GrantMapping mapping)
        {
            if (mapping.IsMapped) Unmaps.AddOrUpdate((mapping.DomId, mapping.Gref), 1, (_, n) => n + 1);
            inner.Unmap(mapping);
        }
    }
}

/// <summary>Once armed, stops each thread the first time it passes, until opened.</summary>
public sealed class MapGate
{
    private readonly object _lock = new();
    private readonly HashSet<int> _seen = [];
    private readonly ManualResetEventSlim _open = new(true);
    private int _waiting;

    /// <summary>Threads held at the gate now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    public void Arm()
    {
        lock (_lock) _seen.Clear();
        _open.Reset();
    }

    public void Open() => _open.Set();

    internal void Pass()
    {
        if (_open.IsSet) return;
        lock (_lock)
            if (!_seen.Add(Environment.CurrentManagedThreadId)) return;
        Interlocked.Increment(ref _waiting);
        try
        {
            if (!_open.Wait(TimeSpan.FromSeconds(30))) throw new TimeoutException("the map gate was never opened");
        }
        finally { Interlocked.Decrement(ref _waiting); }
    }
}
