using System.Globalization;
using Microsoft.Extensions.Logging;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.XenBus;

/// <summary>
/// A guest's frontend device, protocol-free: the frontend half of the XenBus state machine. When the
/// backend is InitWait it calls <see cref="SetUp"/> (grant, allocate, publish in one transaction) and goes
/// Initialised; when the backend is Connected it calls <see cref="OnConnected"/> and goes Connected. The
/// backend Closing is answered as xenbus_frontend_closed does (tear down, Closed); a backend that comes back
/// in InitWait (restarted or reset) is set up again. A protocol whose driver reacts otherwise (displif's
/// Reconfiguring) overrides <see cref="OnBackendState"/>, as a Linux driver has its own otherend_changed.
/// </summary>
public abstract class XenBusFrontendDevice : IDisposable
{
    private readonly object _lock = new();
    private readonly List<GrantedPageChannel> _deferred = [];
    private IDisposable? _watch;
    private bool _disposed;

    protected XenBusFrontendDevice(IGuestPlatform guest, string deviceType, int devId, ILogger logger)
    {
        Guest = guest;
        DeviceType = deviceType;
        DevId = devId;
        Logger = logger;
        NodePath = XenBusPaths.FrontendPath(deviceType, guest.DomId, devId);
    }

    protected internal IGuestPlatform Guest { get; }
    protected ILogger Logger { get; }
    public string DeviceType { get; }
    public int DomId => Guest.DomId;
    public int DevId { get; }
    public string NodePath { get; }
    public string BackendPath { get; private set; } = "";
    public int BackendDomId { get; private set; }
    public XenbusState State { get; private set; } = XenbusState.Initialising;
    public XenbusState BackendState { get; private set; } = XenbusState.Unknown;

    /// <summary>Pages the backend still mapped when we let go: ended on a later state change or <see cref="ReclaimDeferred"/>.</summary>
    public virtual int DeferredPages { get { lock (_lock) return _deferred.Sum(c => c.PagesLeft); } }

    public event Action<XenBusFrontendDevice>? StateChanged;

    public void Start()
    {
        var xs = Guest.Store;
        BackendPath = xs.Read($"{NodePath}/{XenBusPaths.Field.Backend}")
            ?? throw new XenException(XenErrno.ENODEV, $"{NodePath} has no backend: the toolstack has not created the device");
        BackendDomId = xs.ReadInt($"{NodePath}/{XenBusPaths.Field.BackendId}") ?? 0;
        lock (_lock) SwitchState(XenbusState.Initialising);
        OnStart();
        _watch = xs.Watch($"{BackendPath}/{XenBusPaths.Field.State}", $"{DeviceType}front-{DomId}-{DevId}", (_, _) => OnBackendChanged());
    }

    /// <summary>What the driver starts beside the backend watch (timers); runs before the watch's first event.</summary>
    protected virtual void OnStart() { }

    /// <summary>What the driver stops once the watch is gone (on <see cref="Dispose"/> and <see cref="Halt"/>).</summary>
    protected virtual void OnStop() { }

    /// <summary>Reads the backend's features, makes the shared pages and publishes them. Throws <see cref="XenException"/> or <see cref="XenStoreException"/> to fail (having undone its work).</summary>
    protected abstract void SetUp();

    /// <summary>The backend is Connected: start consuming.</summary>
    protected abstract void OnConnected();

    /// <summary>Lets go of what <see cref="SetUp"/> made (free pages with <see cref="FreeChannel"/>). May run when nothing is set up.</summary>
    protected abstract void TearDown();

    /// <summary>Runs <paramref name="body"/> under the device's lock.</summary>
    protected void Locked(Action body)
    {
        lock (_lock) body();
    }

    /// <summary>As <see cref="Locked(Action)"/>, with a result.</summary>
    protected T Locked<T>(Func<T> body)
    {
        lock (_lock) return body();
    }

    /// <summary>Grants a page and allocates a port for the backend; publish them with <see cref="Publish"/>.</summary>
    protected GrantedPageChannel NewChannel() => GrantedPageChannel.Create(Guest, BackendDomId);

    /// <summary>Writes nodes under <see cref="NodePath"/> in one XenStore transaction, retried on conflict.</summary>
    protected void Publish(IReadOnlyList<(string Field, string Value)> nodes)
    {
        var xs = Guest.Store;
        bool ok = xs.TryCommitWithRetry(tx =>
        {
            foreach (var (field, value) in nodes) xs.Write($"{NodePath}/{field}", value, tx);
            return true;
        });
        if (!ok) throw new XenException(XenErrno.EAGAIN, "cannot publish: the XenStore transaction kept conflicting");
    }

    protected static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Frees a channel, keeping its page for later if the backend still maps it.</summary>
    protected void FreeChannel(GrantedPageChannel channel)
    {
        if (!channel.Free()) _deferred.Add(channel);
    }

    /// <summary>Retries ending the grants the backend still mapped.</summary>
    public virtual void ReclaimDeferred()
    {
        lock (_lock) _deferred.RemoveAll(c => c.TryEnd());
    }

    protected string? ReadBackend(string field) => Guest.Store.Read($"{BackendPath}/{field}");

    /// <summary>A backend feature node: set when it is a non-zero number.</summary>
    protected bool BackendFeature(string field) => Guest.Store.ReadInt($"{BackendPath}/{field}") is { } v && v != 0;

    private void OnBackendChanged()
    {
        lock (_lock)
        {
            if (_disposed) return;
            XenbusState be;
            try { be = (XenbusState)(Guest.Store.ReadInt($"{BackendPath}/{XenBusPaths.Field.State}") ?? 0); }
            catch (XenStoreException) { return; } // our own connection is gone: the domain is being destroyed
            _deferred.RemoveAll(c => c.TryEnd());
            if (be == BackendState) return;
            BackendState = be;
            Logger.LogInformation("{Type}{Dev}: backend {State}", DeviceType, DevId, be);
            OnBackendState(be);
        }
    }

    /// <summary>The frontend's reaction to a new backend state (kbdfront's), under the device's lock.</summary>
    protected virtual void OnBackendState(XenbusState be)
    {
        switch (be)
        {
            case XenbusState.InitWait:
                // A backend that restarted: say Initialising before the pages go, so it never maps a page we retire.
                if (State != XenbusState.Initialising) SwitchState(XenbusState.Initialising);
                TearDown();
                TrySetUp();
                break;
            case XenbusState.Connected:
                // The backend may go through InitWait before we see it: set up now (kbdfront's workaround).
                if (State == XenbusState.Initialising) TrySetUp();
                if (State != XenbusState.Initialised) break;
                OnConnected();
                SwitchState(XenbusState.Connected);
                break;
            case XenbusState.Closing:
                TearDown();
                if (State != XenbusState.Closed) SwitchState(XenbusState.Closed); // xenbus_frontend_closed
                break;
            case XenbusState.Closed:
            case XenbusState.Unknown:
                // The backend let go (or went away): nothing of ours may stay shared; wait for it again.
                if (State != XenbusState.Initialising) SwitchState(XenbusState.Initialising);
                TearDown();
                break;
        }
    }

    /// <summary>Sets up and goes Initialised, or, failing, tears down and goes Closing (xenbus_dev_fatal).</summary>
    protected void TrySetUp()
    {
        try
        {
            SetUp();
            SwitchState(XenbusState.Initialised);
        }
        catch (Exception e) when (e is XenException or XenStoreException)
        {
            Logger.LogError("{Type}{Dev}: cannot initialise: {Reason}", DeviceType, DevId, e.Message);
            TearDown();
            SwitchState(XenbusState.Closing); // xenbus_dev_fatal
        }
    }

    /// <summary>Publishes our state and tells the observers.</summary>
    protected void SwitchState(XenbusState state)
    {
        State = state;
        try { Guest.Store.WriteInt($"{NodePath}/{XenBusPaths.Field.State}", (int)state); }
        catch (XenStoreException e) { Logger.LogDebug("State not written: {Reason}", e.Message); }
        RaiseStateChanged();
    }

    /// <summary>Tells the observers; a driver may also do so when only the backend's state changed.</summary>
    protected void RaiseStateChanged() => StateChanged?.Invoke(this);

    /// <summary>
    /// The domain was destroyed under the driver: no kernel runs it any more. Its watch (and timers) stop and it
    /// lets go of what it held, without a word to the backend: its grants, ports and memory went with the domain.
    /// </summary>
    public void Halt()
    {
        _watch?.Dispose();
        OnStop();
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            State = XenbusState.Closed;
            TearDown();
            ReclaimDeferred(); // every grant is gone: only the pages are left to forget
        }
    }

    /// <summary>The guest driver unloads: Closing, everything freed, Closed.</summary>
    public void Dispose()
    {
        _watch?.Dispose();
        OnStop();
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            SwitchState(XenbusState.Closing);
            TearDown();
            SwitchState(XenbusState.Closed);
        }
        GC.SuppressFinalize(this);
    }
}
