namespace XenDisplayWeb.Shared.Xen;

public enum EventChannelState { Unbound, Interdomain, Closed }

/// <summary>
/// One local end of an event channel. A notification from the remote end raises <see cref="Signal"/>
/// and then runs <see cref="Interrupt"/>, if set, on the notifier's thread (like an interrupt handler).
/// </summary>
public sealed class EventChannel : IDisposable
{
    private readonly EventChannelHub _hub;

    internal EventChannel(EventChannelHub hub, int domId, int port, int remoteDomId)
    {
        _hub = hub;
        DomId = domId;
        Port = port;
        RemoteDomId = remoteDomId;
    }

    public int DomId { get; }
    public int Port { get; }
    public int RemoteDomId { get; }
    public int RemotePort { get; internal set; } = -1;
    public EventChannelState State { get; internal set; } = EventChannelState.Unbound;
    internal EventChannel? Peer { get; set; }

    public EventSignal Signal { get; } = new();

    /// <summary>Runs on the notifier's thread after each notification; must be short and must not throw.</summary>
    public Action? Interrupt { get; set; }

    public long NotificationsSent => Interlocked.Read(ref _sent);
    public long NotificationsReceived => Interlocked.Read(ref _received);
    private long _sent, _received;

    /// <summary>EVTCHNOP_send: a no-op while the channel is unbound or closed, as in Xen.</summary>
    public void Notify()
    {
        var peer = Peer;
        if (State != EventChannelState.Interdomain || peer is null || peer.State != EventChannelState.Interdomain) return;
        Interlocked.Increment(ref _sent);
        Interlocked.Increment(ref peer._received);
        peer.Signal.Raise();
        peer.Interrupt?.Invoke();
    }

    /// <summary>EVTCHNOP_close. The remote end, if any, reverts to unbound.</summary>
    public void Dispose() => _hub.Close(this);

    internal void Deliver() => Signal.Raise();
}

/// <summary>What the backend and frontends need of event channels (the xenevtchn interface).</summary>
public interface IEventChannels
{
    /// <summary>EVTCHNOP_alloc_unbound: a port that <paramref name="remoteDomId"/> may bind to.</summary>
    EventChannel AllocUnbound(int remoteDomId);

    /// <summary>EVTCHNOP_bind_interdomain: connects to an unbound port the remote domain allocated for us.</summary>
    EventChannel BindInterdomain(int remoteDomId, int remotePort);
}

/// <summary>Every event channel of the simulated host.</summary>
public sealed class EventChannelHub
{
    private readonly object _lock = new();
    private readonly Dictionary<(int Dom, int Port), EventChannel> _ports = [];
    private readonly Dictionary<int, int> _nextPort = [];

    internal EventChannel AllocUnbound(int domId, int remoteDomId)
    {
        lock (_lock)
        {
            int port = NextPort(domId);
            var ch = new EventChannel(this, domId, port, remoteDomId);
            _ports[(domId, port)] = ch;
            return ch;
        }
    }

    internal EventChannel BindInterdomain(int domId, int remoteDomId, int remotePort)
    {
        lock (_lock)
        {
            if (!_ports.TryGetValue((remoteDomId, remotePort), out var remote) || remote.State == EventChannelState.Closed)
                throw new XenException(XenErrno.EINVAL, $"domain {remoteDomId} has no port {remotePort}");
            if (remote.State != EventChannelState.Unbound || remote.RemoteDomId != domId)
                throw new XenException(XenErrno.EINVAL, $"port {remotePort} of domain {remoteDomId} is not open for domain {domId}");
            int port = NextPort(domId);
            var local = new EventChannel(this, domId, port, remoteDomId) { RemotePort = remotePort, State = EventChannelState.Interdomain, Peer = remote };
            remote.RemotePort = port;
            remote.Peer = local;
            remote.State = EventChannelState.Interdomain;
            _ports[(domId, port)] = local;
            return local;
        }
    }

    internal void Close(EventChannel ch)
    {
        lock (_lock)
        {
            if (ch.State == EventChannelState.Closed) return;
            ch.State = EventChannelState.Closed;
            _ports.Remove((ch.DomId, ch.Port));
            if (ch.Peer is { } peer && peer.State == EventChannelState.Interdomain)
            {
                peer.State = EventChannelState.Unbound;
                peer.Peer = null;
                peer.RemotePort = -1;
            }
            ch.Peer = null;
        }
        ch.Deliver(); // wake anyone still waiting on it, so they see it closed
    }

    /// <summary>The domain is gone: its ports close, and a domain given its id later numbers its ports from 1 again.</summary>
    internal void CloseAll(int domId)
    {
        List<EventChannel> mine;
        lock (_lock) mine = _ports.Values.Where(p => p.DomId == domId).ToList();
        foreach (var ch in mine) Close(ch);
        lock (_lock) _nextPort.Remove(domId);
    }

    public IReadOnlyList<EventChannelInfo> Snapshot()
    {
        lock (_lock)
            return _ports.Values.OrderBy(p => p.DomId).ThenBy(p => p.Port)
                .Select(p => new EventChannelInfo(p.DomId, p.Port, p.State, p.RemoteDomId, p.RemotePort, p.NotificationsSent, p.NotificationsReceived))
                .ToList();
    }

    public int OpenPorts(int domId)
    {
        lock (_lock) return _ports.Keys.Count(k => k.Dom == domId);
    }

    private int NextPort(int domId)
    {
        int port = _nextPort.TryGetValue(domId, out var p) ? p : 1; // port 0 is never used
        _nextPort[domId] = port + 1;
        return port;
    }
}

public sealed record EventChannelInfo(int DomId, int Port, EventChannelState State, int RemoteDomId, int RemotePort, long Sent, long Received);
