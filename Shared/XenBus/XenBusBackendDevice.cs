using Microsoft.Extensions.Logging;
using XenDisplayWeb.Shared.Diagnostics;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.XenBus;

/// <summary>
/// One device as its backend sees it (libxenbe's frontend handler), protocol-free: the backend half of the
/// XenBus state machine. It publishes its nodes and goes InitWait; when the frontend is Initialised or
/// Connected it calls <see cref="Connect"/> and goes Connected; the frontend closing or restarting calls
/// <see cref="Disconnect"/>. A device caught misbehaving goes Closing then Closed and stays so until the
/// toolstack removes it. Each transition is a note in the trace.
/// </summary>
public abstract class XenBusBackendDevice : IDisposable
{
    private readonly object _lock = new();
    private IDisposable? _watch;
    private bool _disposed;

    protected XenBusBackendDevice(IXenPlatform xen, string deviceType, int frontDomId, int devId, DisplifTrace trace, ILogger logger)
    {
        Xen = xen;
        DeviceType = deviceType;
        FrontDomId = frontDomId;
        DevId = devId;
        Trace = trace;
        Logger = logger;
        BackendPath = XenBusPaths.BackendPath(deviceType, xen.DomId, frontDomId, devId);
        FrontendPath = xen.Store.Read($"{BackendPath}/{XenBusPaths.Field.Frontend}") ?? XenBusPaths.FrontendPath(deviceType, frontDomId, devId);
    }

    protected IXenPlatform Xen { get; }
    protected ILogger Logger { get; }
    protected DisplifTrace Trace { get; }
    public string DeviceType { get; }
    public int FrontDomId { get; }
    public int DevId { get; }
    public string BackendPath { get; }
    public string FrontendPath { get; }
    public XenbusState State { get; private set; } = XenbusState.Initialising;
    public XenbusState FrontendState { get; private set; } = XenbusState.Unknown;
    public string? MisbehavingReason { get; private set; }
    public bool Misbehaving => MisbehavingReason is not null;

    /// <summary>Raised (outside no lock of ours) after each state change of this device.</summary>
    internal Action<XenBusBackendDevice>? Changed { get; set; }

    /// <summary>Publishes the backend's nodes, goes InitWait and starts following the frontend.</summary>
    internal void Start()
    {
        lock (_lock)
        {
            PublishBackendNodes();
            SetState(XenbusState.InitWait);
        }
        _watch = Xen.Store.Watch($"{FrontendPath}/{XenBusPaths.Field.State}", $"{DeviceType}back-{FrontDomId}-{DevId}", (_, _) => OnFrontendStateChanged());
    }

    /// <summary>Writes what the backend advertises (features, parameters) before InitWait.</summary>
    protected virtual void PublishBackendNodes() { }

    /// <summary>
    /// Reads the frontend's nodes and sets up the shared pages. Throws <see cref="XenException"/>,
    /// <see cref="XenStoreException"/> or <see cref="FormatException"/> to refuse; returns false to stay in
    /// InitWait (the nodes it read were stale: see <see cref="FrontendPublished"/>).
    /// </summary>
    protected abstract bool Connect();

    /// <summary>
    /// Whether the frontend says now that its nodes are published (Initialised or Connected). A page that
    /// cannot be mapped while this holds is the frontend's fault; otherwise we read nodes it was retiring.
    /// </summary>
    protected bool FrontendPublished() =>
        (XenbusState)(Xen.Store.ReadInt($"{FrontendPath}/{XenBusPaths.Field.State}") ?? 0) is XenbusState.Initialised or XenbusState.Connected;

    /// <summary>Lets go of everything <see cref="Connect"/> set up. Called with the device's lock held; may run when nothing is connected.</summary>
    protected abstract void Disconnect();

    /// <summary>Runs <paramref name="body"/> under the device's state lock (a protocol part that must not race a state change).</summary>
    protected void Locked(Action body)
    {
        lock (_lock) body();
    }

    private void OnFrontendStateChanged()
    {
        lock (_lock)
        {
            if (_disposed) return;
            XenbusState fs;
            try { fs = (XenbusState)(Xen.Store.ReadInt($"{FrontendPath}/{XenBusPaths.Field.State}") ?? 0); }
            catch (XenStoreException) { return; }
            if (fs == FrontendState) return;
            FrontendState = fs;
            Logger.LogInformation("dom{Dom} {Type}{Dev}: frontend {State}", FrontDomId, DeviceType, DevId, fs);
            Note($"frontend state {fs}");
            if (Misbehaving) return;
            switch (fs)
            {
                case XenbusState.Initialised:
                case XenbusState.Connected:
                    if (State == XenbusState.InitWait && fs == XenbusState.Connected)
                    {
                        // Connected to a backend before us (one that was killed): its nodes name pages it set up for that
                        // one. It starts over once it sees us InitWait; connecting now would serve it on stale state.
                        Note("frontend still Connected to a backend before this one: waiting for it to set up again");
                    }
                    else if (State == XenbusState.InitWait) TryConnect();
                    else if (fs == XenbusState.Initialised && State == XenbusState.Connected)
                    {
                        // The frontend set up afresh (it saw us restart) and we connected to what it had before: take the new pages.
                        Disconnect();
                        TryConnect();
                    }
                    break;
                case XenbusState.Initialising:
                    if (State != XenbusState.InitWait)
                    {
                        Disconnect();
                        SetState(XenbusState.InitWait);
                    }
                    break;
                case XenbusState.Reconfiguring:
                    Disconnect();
                    break;
                case XenbusState.Closing:
                    Disconnect();
                    SetState(XenbusState.Closing);
                    break;
                case XenbusState.Closed:
                case XenbusState.Unknown:
                    Disconnect();
                    if (State != XenbusState.Closed) SetState(XenbusState.Closed);
                    break;
            }
        }
    }

    private void TryConnect()
    {
        try
        {
            if (Connect() && !Misbehaving) SetState(XenbusState.Connected);
            else if (!Misbehaving) Note("frontend nodes were stale: waiting for it to publish again");
        }
        catch (Exception e) when (e is XenException or XenStoreException or FormatException)
        {
            Disconnect();
            Logger.LogWarning("dom{Dom} {Type}{Dev}: cannot connect: {Reason}", FrontDomId, DeviceType, DevId, e.Message);
            Note($"cannot connect: {e.Message}");
            SetState(XenbusState.Closing);
        }
    }

    /// <summary>
    /// The frontend broke the protocol: stop serving the device, Closing then Closed, for good. Call it
    /// holding no lock of the protocol part that <see cref="Disconnect"/> takes (or from inside <see cref="Connect"/>).
    /// </summary>
    protected void ReportMisbehaving(string reason)
    {
        lock (_lock)
        {
            if (_disposed || Misbehaving) return;
            Logger.LogWarning("dom{Dom} {Type}{Dev} misbehaves: {Reason}", FrontDomId, DeviceType, DevId, reason);
            Note($"misbehaving: {reason}");
            StopServing(reason);
        }
    }

    /// <summary>
    /// As <see cref="ReportMisbehaving"/>, from a thread that <see cref="Disconnect"/> waits for (a ring's):
    /// said at once, the device let go of on the thread pool.
    /// </summary>
    protected void ReportMisbehavingLater(string reason)
    {
        Logger.LogWarning("dom{Dom} {Type}{Dev} misbehaves: {Reason}", FrontDomId, DeviceType, DevId, reason);
        Note($"misbehaving: {reason}");
        ThreadPool.QueueUserWorkItem(_ =>
        {
            lock (_lock)
                if (!_disposed && !Misbehaving) StopServing(reason);
        });
    }

    private void StopServing(string reason)
    {
        MisbehavingReason = reason;
        Disconnect();
        SetState(XenbusState.Closing);
        SetState(XenbusState.Closed);
    }

    /// <summary>
    /// From inside <see cref="Connect"/> (then return false): the frontend's configuration breaks the protocol's
    /// rules. The device is refused, Closing, and not served again until the toolstack removes it.
    /// </summary>
    protected void Refuse(string reason)
    {
        lock (_lock)
        {
            Logger.LogWarning("dom{Dom} {Type}{Dev}: {Reason}", FrontDomId, DeviceType, DevId, reason);
            Note(reason);
            MisbehavingReason = reason;
            SetState(XenbusState.Closing);
        }
    }

    private void SetState(XenbusState state)
    {
        State = state;
        Note($"backend state {state}");
        try { WriteState(state); }
        catch (Exception e) when (e is XenStoreException or ObjectDisposedException)
        {
            Logger.LogDebug("dom{Dom} {Type}{Dev}: state not written: {Reason}", FrontDomId, DeviceType, DevId, e.Message);
        }
        try { Changed?.Invoke(this); }
        catch (Exception e) { Logger.LogWarning(e, "A DeviceChanged observer failed"); }
    }

    /// <summary>
    /// Publishes the state, unless the toolstack has removed the device's directory (the guest is gone, and we
    /// hear of its frontend only now): the write would make that directory again, and nothing would remove it.
    /// Checked and written in one transaction, so a removal cannot come in between.
    /// </summary>
    private void WriteState(XenbusState state)
    {
        var xs = Xen.Store;
        xs.TryCommitWithRetry(tx =>
        {
            if (!xs.Exists(BackendPath, tx)) return false;
            xs.WriteInt($"{BackendPath}/{XenBusPaths.Field.State}", (int)state, tx);
            return true;
        });
    }

    /// <summary>What each of the device's trace notes starts with: its device type, unless the trace is the protocol's own.</summary>
    protected virtual string NotePrefix => $"{DeviceType}: ";

    protected void Note(string text) => Trace.Append(FrontDomId, DevId, -1, TraceKind.Note, 0, "XENBUS", 0, NotePrefix + text);

    /// <summary>Ends the device: as a killed backend (<paramref name="crash"/>), removed by the toolstack, or Closing then Closed.</summary>
    internal void Close(bool crash, bool deviceRemoved = false)
    {
        _watch?.Dispose();
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            Disconnect();
            if (deviceRemoved) { State = XenbusState.Closed; return; }
            if (!crash) SetState(XenbusState.Closing);
            SetState(XenbusState.Closed);
        }
    }

    public void Dispose()
    {
        Close(crash: false);
        GC.SuppressFinalize(this);
    }
}
