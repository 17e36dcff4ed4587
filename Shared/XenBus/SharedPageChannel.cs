using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.XenBus;

/// <summary>
/// The backend's end of a channel: the pages a frontend granted (by gref) mapped, and the interdomain event
/// channel bound to the port it allocated. Usually one page (a ring, an event page); a ring may carry more
/// (displif's CTB page beside its request ring). Opened whole or not at all; Dispose unbinds and unmaps.
/// Every touch of a page from outside its owner's thread goes through <see cref="TryUse(Action{byte[], int})"/>
/// under one lock, so a status read or a producer never touches a page that has been unmapped.
/// </summary>
public sealed class SharedPageChannel : IDisposable
{
    private readonly object _lock = new();
    private readonly IGrantMapper _gnttab;
    private GrantMapping[]? _mappings;
    private EventChannel? _evtchn;

    private SharedPageChannel(IGrantMapper gnttab, GrantMapping[] mappings, EventChannel evtchn, int remotePort)
    {
        _gnttab = gnttab;
        _mappings = mappings;
        _evtchn = evtchn;
        Grefs = [.. mappings.Select(m => m.Gref)];
        RemotePort = remotePort;
        LocalPort = evtchn.Port;
        Signal = evtchn.Signal;
    }

    /// <summary>The first page's gref (the ring's, the event page's).</summary>
    public uint Gref => Grefs[0];
    public IReadOnlyList<uint> Grefs { get; }
    public int RemotePort { get; }
    public int LocalPort { get; }

    /// <summary>Raised on each notification from the frontend: what a ring thread waits on.</summary>
    public EventSignal Signal { get; }

    /// <summary>Maps <paramref name="gref"/> of <paramref name="frontDomId"/> and binds to its <paramref name="remotePort"/>; throws <see cref="XenException"/> having undone what it did.</summary>
    public static SharedPageChannel Open(IXenPlatform xen, int frontDomId, uint gref, int remotePort, bool readOnly = false) =>
        Open(xen, frontDomId, [gref], remotePort, readOnly);

    /// <summary>Maps every one of <paramref name="grefs"/>, in order, and binds to <paramref name="remotePort"/>; throws <see cref="XenException"/> having undone what it did.</summary>
    public static SharedPageChannel Open(IXenPlatform xen, int frontDomId, IReadOnlyList<uint> grefs, int remotePort, bool readOnly = false)
    {
        ArgumentOutOfRangeException.ThrowIfZero(grefs.Count);
        var mappings = new List<GrantMapping>(grefs.Count);
        try
        {
            foreach (uint gref in grefs) mappings.Add(xen.Gnttab.Map(frontDomId, gref, readOnly));
            var evtchn = xen.Evtchn.BindInterdomain(frontDomId, remotePort);
            return new SharedPageChannel(xen.Gnttab, [.. mappings], evtchn, remotePort);
        }
        catch
        {
            foreach (var m in mappings) xen.Gnttab.Unmap(m);
            throw;
        }
    }

    /// <summary>Runs when the frontend notifies us, on its thread: short, must not throw.</summary>
    public Action? Interrupt
    {
        set { lock (_lock) if (_evtchn is { } ch) ch.Interrupt = value; }
    }

    /// <summary>Whether the pages are still ours to touch: not disposed and still mapped.</summary>
    public bool IsOpen { get { lock (_lock) return Mapped(0) is not null; } }

    /// <summary>
    /// Runs <paramref name="use"/> on the first page (array and offset of its first byte) under the channel's lock.
    /// False, without running it, once the channel is disposed or the page has been unmapped under us.
    /// </summary>
    public bool TryUse(Action<byte[], int> use) => TryUse(0, use);

    /// <summary>As <see cref="TryUse(Action{byte[], int})"/>, on the channel's page number <paramref name="page"/>.</summary>
    public bool TryUse(int page, Action<byte[], int> use)
    {
        lock (_lock)
        {
            if (Mapped(page) is not { } m) return false;
            use(m.Array, m.Offset);
            return true;
        }
    }

    /// <summary>As <see cref="TryUse(Action{byte[], int})"/>, with a result; <paramref name="gone"/> when the page is not ours.</summary>
    public T Use<T>(Func<byte[], int, T> use, T gone) => Use(0, use, gone);

    /// <summary>As <see cref="Use{T}(Func{byte[], int, T}, T)"/>, on the channel's page number <paramref name="page"/>.</summary>
    public T Use<T>(int page, Func<byte[], int, T> use, T gone)
    {
        lock (_lock) return Mapped(page) is { } m ? use(m.Array, m.Offset) : gone;
    }

    private GrantMapping? Mapped(int page) => _mappings is { } all && all[page] is { IsMapped: true } m ? m : null;

    /// <summary>Tells the frontend (EVTCHNOP_send). Call it outside any lock the frontend's handler may need.</summary>
    public void Notify()
    {
        EventChannel? ch;
        lock (_lock) ch = _evtchn;
        ch?.Notify();
    }

    public void Dispose()
    {
        GrantMapping[]? mappings;
        EventChannel? evtchn;
        lock (_lock)
        {
            mappings = _mappings;
            evtchn = _evtchn;
            _mappings = null;
            _evtchn = null;
        }
        if (evtchn is not null)
        {
            evtchn.Interrupt = null;
            evtchn.Dispose();
        }
        foreach (var m in mappings ?? []) _gnttab.Unmap(m);
    }
}
