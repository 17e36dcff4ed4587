using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.XenBus;

/// <summary>
/// The backend's end of a one-page channel: the page a frontend granted (by gref) mapped, and the
/// interdomain event channel bound to the port it allocated. Opened whole or not at all; Dispose unbinds
/// and unmaps. Every touch of the page goes through <see cref="TryUse"/> under one lock, so a status read
/// or a producer never touches a page that has been unmapped.
/// </summary>
public sealed class SharedPageChannel : IDisposable
{
    private readonly object _lock = new();
    private readonly IGrantMapper _gnttab;
    private GrantMapping? _mapping;
    private EventChannel? _evtchn;

    private SharedPageChannel(IGrantMapper gnttab, GrantMapping mapping, EventChannel evtchn, int remotePort)
    {
        _gnttab = gnttab;
        _mapping = mapping;
        _evtchn = evtchn;
        Gref = mapping.Gref;
        RemotePort = remotePort;
        LocalPort = evtchn.Port;
    }

    public uint Gref { get; }
    public int RemotePort { get; }
    public int LocalPort { get; }

    /// <summary>Maps <paramref name="gref"/> of <paramref name="frontDomId"/> and binds to its <paramref name="remotePort"/>; throws <see cref="XenException"/> having undone what it did.</summary>
    public static SharedPageChannel Open(IXenPlatform xen, int frontDomId, uint gref, int remotePort, bool readOnly = false)
    {
        var mapping = xen.Gnttab.Map(frontDomId, gref, readOnly);
        try
        {
            var evtchn = xen.Evtchn.BindInterdomain(frontDomId, remotePort);
            return new SharedPageChannel(xen.Gnttab, mapping, evtchn, remotePort);
        }
        catch
        {
            xen.Gnttab.Unmap(mapping);
            throw;
        }
    }

    /// <summary>Runs when the frontend notifies us, on its thread: short, must not throw.</summary>
    public Action? Interrupt
    {
        set { lock (_lock) if (_evtchn is { } ch) ch.Interrupt = value; }
    }

    /// <summary>Whether the page is still ours to touch: not disposed and still mapped.</summary>
    public bool IsOpen { get { lock (_lock) return _mapping is { IsMapped: true }; } }

    /// <summary>
    /// Runs <paramref name="use"/> on the page (array and offset of its first byte) under the channel's lock.
    /// False, without running it, once the channel is disposed or the page has been unmapped under us.
    /// </summary>
    public bool TryUse(Action<byte[], int> use)
    {
        lock (_lock)
        {
            if (_mapping is not { IsMapped: true } m) return false;
            use(m.Array, m.Offset);
            return true;
        }
    }

    /// <summary>As <see cref="TryUse(Action{byte[], int})"/>, with a result; <paramref name="gone"/> when the page is not ours.</summary>
    public T Use<T>(Func<byte[], int, T> use, T gone)
    {
        lock (_lock) return _mapping is { IsMapped: true } m ? use(m.Array, m.Offset) : gone;
    }

    /// <summary>Tells the frontend (EVTCHNOP_send). Call it outside any lock the frontend's handler may need.</summary>
    public void Notify()
    {
        EventChannel? ch;
        lock (_lock) ch = _evtchn;
        ch?.Notify();
    }

    public void Dispose()
    {
        GrantMapping? mapping;
        EventChannel? evtchn;
        lock (_lock)
        {
            mapping = _mapping;
            evtchn = _evtchn;
            _mapping = null;
            _evtchn = null;
        }
        if (evtchn is not null)
        {
            evtchn.Interrupt = null;
            evtchn.Dispose();
        }
        if (mapping is not null) _gnttab.Unmap(mapping);
    }
}
