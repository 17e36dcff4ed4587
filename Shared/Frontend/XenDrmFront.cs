using XenDisplayWeb.Shared.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.Frontend;

/// <summary>
/// A guest's PV display frontend, modelled on Linux's xen-front DRM driver: reads its configuration
/// from XenStore, creates a request ring and event page per connector, publishes them in one
/// transaction, follows the frontend XenBus state machine (Reconfiguring and the be-alloc deferral
/// included), and offers a <see cref="DrmDevice"/> while connected.
/// </summary>
public sealed class XenDrmFront : IDisposable
{
    private readonly object _lock = new();
    private readonly ILogger _logger;
    private readonly PendingGrants _pending;
    private readonly HashSet<FrontBuffer> _live = [];
    private List<EvtChannelPair> _channels = [];
    private IDisposable? _watch;
    private ITimer? _reclaimTimer;

    public XenDrmFront(IGuestPlatform guest, int devId = 0, FrontendTimeouts? timeouts = null, TimeProvider? time = null,
        ILoggerFactory? loggers = null, bool useEdid = true)
    {
        Guest = guest;
        DevId = devId;
        Timeouts = timeouts ?? new FrontendTimeouts();
        Time = time ?? TimeProvider.System;
        UseEdid = useEdid;
        _logger = GuestLogger.Create<XenDrmFront>(loggers ?? NullLoggerFactory.Instance, guest.DomId);
        NodePath = Displif.Displif.FrontendPath(guest.DomId, devId);
        _pending = new PendingGrants(guest);
    }

    internal IGuestPlatform Guest { get; }
    public int DomId => Guest.DomId;
    public int DevId { get; }

    /// <summary>
    /// Where this guest notes what only the guest sees (a frame-done timeout), beside the backend's
    /// packets, so a person diagnosing the display finds cause and effect in one trace. Optional.
    /// </summary>
    public DisplifTrace? Trace { get; set; }
    public string NodePath { get; }
    public FrontendTimeouts Timeouts { get; }
    public TimeProvider Time { get; }
    public bool UseEdid { get; set; }

    /// <summary>Carry requests over a GVT-g style CTB page per connector instead of the request ring (read when the channels are made).</summary>
    public bool UseCtb { get; set; }
    public int BackendDomId { get; private set; }
    public string BackendPath { get; private set; } = "";
    public bool BeAlloc { get; private set; }
    public XenbusState State { get; private set; } = XenbusState.Initialising;
    public XenbusState BackendState { get; private set; } = XenbusState.Unknown;

    /// <summary>The DRM device while connected; null otherwise.</summary>
    public DrmDevice? Device { get; private set; }

    /// <summary>Raised (on the guest's XenStore thread) when a device appears: a compositor starts on it.</summary>
    public event Action<DrmDevice>? DeviceReady;

    /// <summary>Raised when the frontend's or the backend's state changes.</summary>
    public event Action<XenDrmFront>? StateChanged;

    /// <summary>Pages (buffers, rings, event pages) whose grant the backend still mapped when freed; retried each second.</summary>
    public int DeferredPages { get { lock (_lock) return _pending.Count; } }
    public int LiveBuffers { get { lock (_lock) return _live.Count; } }

    /// <summary>Per connector: ring and event page indices as the guest sees them, and skipped responses/events.</summary>
    public IReadOnlyList<FrontChannelInfo> Channels
    {
        get
        {
            lock (_lock)
                return _channels.Select(c => new FrontChannelInfo(c.Index, c.ReqRingRef, c.ReqPort, c.EvtRingRef, c.EvtPort,
                    c.Ring.ReqProdPvt, c.Ring.RspCons, c.Ring.SharedReqEvent, c.Ring.SharedRspEvent, c.EventInCons, c.EventInProd,
                    c.StaleResponses, c.SkippedEvents)).ToList();
        }
    }

    /// <summary>A connector's channel pair while the rings exist (the guest console writes through it), else null.</summary>
    internal EvtChannelPair? Channel(int index)
    {
        lock (_lock) return _channels.FirstOrDefault(c => c.Index == index);
    }

    public void Start()
    {
        var xs = Guest.Store;
        BackendPath = xs.Read($"{NodePath}/{Displif.Displif.Field.Backend}")
            ?? throw new XenException(XenErrno.ENODEV, $"{NodePath} has no backend: the toolstack has not created the device");
        BackendDomId = xs.ReadInt($"{NodePath}/{Displif.Displif.Field.BackendId}") ?? DomId0;
        SwitchState(XenbusState.Initialising);
        _reclaimTimer = Time.CreateTimer(_ => ReclaimDeferred(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        _watch = xs.Watch($"{BackendPath}/{Displif.Displif.Field.State}", $"xen-front-{DomId}-{DevId}", (_, _) => OnBackendChanged());
    }

    private const int DomId0 = 0;

    /// <summary>displback_changed: the frontend's reaction to each backend state.</summary>
    private void OnBackendChanged()
    {
        lock (_lock)
        {
            XenbusState be;
            try { be = (XenbusState)(Guest.Store.ReadInt($"{BackendPath}/{Displif.Displif.Field.State}") ?? 0); }
            catch (XenStoreException) { return; } // our own connection is gone: the domain is being destroyed
            if (be == BackendState) return;
            BackendState = be;
            _logger.LogInformation("Backend state {State}", be);
            switch (be)
            {
                case XenbusState.Reconfiguring:
                case XenbusState.Reconfigured:
                case XenbusState.Initialised:
                    break;
                case XenbusState.Initialising:
                    if (State != XenbusState.Reconfiguring) Disconnect();
                    break;
                case XenbusState.InitWait:
                    if (State == XenbusState.Reconfiguring) break;
                    Disconnect(); // recovering after an unexpected backend closure
                    if (State != XenbusState.Initialising) break;
                    InitWait();
                    break;
                case XenbusState.Connected:
                    if (State != XenbusState.Initialised) break;
                    Connect();
                    break;
                case XenbusState.Closing:
                    break; // the backend frees its resources; act when it is Closed
                case XenbusState.Unknown:
                case XenbusState.Closed:
                    if (State == XenbusState.Closed) break;
                    Disconnect();
                    break;
            }
            StateChanged?.Invoke(this);
        }
    }

    /// <summary>displback_initwait: read the configuration, make the channels, publish them, Initialised.</summary>
    private void InitWait()
    {
        var xs = Guest.Store;
        try
        {
            BeAlloc = xs.Read($"{NodePath}/{Displif.Displif.Field.BeAlloc}") == "1";
            var indices = xs.Directory(NodePath)
                .Select(n => int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? i : -1)
                .Where(i => i >= 0).Order().Take(Displif.Displif.MaxConnectors).ToList();
            if (indices.Count == 0) throw new XenException(XenErrno.ENODEV, "no connectors configured");
            var channels = indices.Select(i => new EvtChannelPair(Guest, BackendDomId, i, cookie => OnFrameDone(i, cookie), UseCtb)).ToList();
            bool ok = xs.TryCommitWithRetry(tx =>
            {
                xs.WriteInt($"{NodePath}/{Displif.Displif.Field.FeVersion}", Displif.Displif.ProtocolVersion, tx);
                foreach (var c in channels)
                {
                    string p = $"{NodePath}/{c.Index}";
                    xs.Write($"{p}/{Displif.Displif.Field.ReqRingRef}", c.ReqRingRef.ToString(CultureInfo.InvariantCulture), tx);
                    xs.WriteInt($"{p}/{Displif.Displif.Field.ReqChannel}", c.ReqPort, tx);
                    xs.Write($"{p}/{Displif.Displif.Field.EvtRingRef}", c.EvtRingRef.ToString(CultureInfo.InvariantCulture), tx);
                    xs.WriteInt($"{p}/{Displif.Displif.Field.EvtChannel}", c.EvtPort, tx);
                    if (c.UsesCtb) xs.Write($"{p}/{Transports.Ctb.CtbDisplif.CtbRefField}", c.CtbRef.ToString(CultureInfo.InvariantCulture), tx);
                }
                return true;
            });
            if (!ok)
            {
                foreach (var c in channels) c.Free(_pending);
                throw new XenException(XenErrno.EAGAIN, "cannot publish the rings: XenStore transaction kept conflicting");
            }
            _channels = channels;
            SwitchState(XenbusState.Initialised);
        }
        catch (Exception e) when (e is XenException or XenStoreException)
        {
            _logger.LogError("Cannot initialise: {Reason}", e.Message);
            SwitchState(XenbusState.Closing); // xenbus_dev_fatal
        }
    }

    /// <summary>displback_connect: channels live, the DRM device (with EDID modes on version 2), Connected.</summary>
    private void Connect()
    {
        foreach (var c in _channels) c.Connected = true;
        var xs = Guest.Store;
        bool v2 = (xs.Read($"{BackendPath}/{Displif.Displif.Field.BeVersions}") ?? "")
            .Split(Displif.Displif.ListSeparator).Contains(Displif.Displif.ProtocolVersion.ToString(CultureInfo.InvariantCulture));
        var connectors = new List<DrmConnector>();
        var device = new DrmDevice(this, _channels, connectors, _logger);
        foreach (var c in _channels)
        {
            string p = $"{NodePath}/{c.Index}";
            Displif.Displif.TryParseResolution(xs.Read($"{p}/{Displif.Displif.Field.Resolution}"), out int w, out int h);
            string uid = xs.Read($"{p}/{Displif.Displif.Field.UniqueId}") ?? "";
            bool fromEdid = false;
            if (v2 && UseEdid)
            {
                var edidBuffer = FrontBuffer.AllocateFrontend(Guest, BackendDomId, 0, Displif.Displif.EdidMaxSize);
                var (status, edid) = device.GetEdidAsync(c.Index, edidBuffer).GetAwaiter().GetResult();
                edidBuffer.Release(_pending);
                if (status == 0 && Edid.ParsePreferredMode(edid) is { } mode)
                {
                    (w, h, fromEdid) = (mode.Width, mode.Height, true);
                }
                else
                {
                    _logger.LogInformation("Connector {Index}: no EDID ({Status}), using the XenStore resolution", c.Index, XenErrno.Describe(status));
                }
            }
            var connector = new DrmConnector(c.Index, w, h, uid, fromEdid, Time, Timeouts, _logger);
            connector.FrameDoneTimedOut += NoteFrameDoneTimeout;
            connectors.Add(connector);
        }
        Device = device;
        SwitchState(XenbusState.Connected);
        DeviceReady?.Invoke(device);
    }

    /// <summary>
    /// displback_disconnect: Reconfiguring, waiters fail with -EIO, the device is unplugged, channels and
    /// buffers freed; then Initialising at once, or with be-alloc once the last client has closed.
    /// </summary>
    private void Disconnect()
    {
        var device = Device;
        if (device is null)
        {
            // Nothing was connected, but channels may have been published: start over cleanly.
            FreeChannels();
            _channels = [];
            if (State != XenbusState.Initialising) SwitchState(XenbusState.Initialising);
            return;
        }
        SwitchState(XenbusState.Reconfiguring);
        foreach (var c in _channels) c.Connected = false;
        Device = null;
        device.Unplug();
        FreeChannels();
        _channels = [];
        ReleaseLiveBuffers();
        if (!BeAlloc || device.Clients == 0) SwitchState(XenbusState.Initialising);
    }

    /// <summary>xen_drm_drv_release with be-alloc: the last client closed, so the device may reconnect.</summary>
    internal void OnLastClientClosed(DrmDevice device)
    {
        lock (_lock)
        {
            if (BeAlloc && State == XenbusState.Reconfiguring && Device is null)
            {
                SwitchState(XenbusState.Initialising);
                // The backend may already wait for us.
                if (BackendState == XenbusState.InitWait) InitWait();
                StateChanged?.Invoke(this);
            }
        }
    }

    private void OnFrameDone(int connector, ulong fbCookie)
    {
        var device = Device;
        if (device is null) return;
        foreach (var c in device.Connectors)
            if (c.Index == connector) { c.OnFrameDone(fbCookie); return; }
    }

    internal void Track(FrontBuffer b) { lock (_lock) _live.Add(b); }

    /// <summary>A buffer the guest is done with: its grants end now, or once the backend has unmapped them.</summary>
    internal void FreeLater(FrontBuffer b)
    {
        lock (_lock)
        {
            _live.Remove(b);
            b.Release(_pending);
        }
    }

    private void ReleaseLiveBuffers()
    {
        foreach (var b in _live) b.Release(_pending);
        _live.Clear();
    }

    private void FreeChannels()
    {
        foreach (var c in _channels) c.Free(_pending);
        _channels = [];
    }

    /// <summary>Retries ending the grants the backend still mapped.</summary>
    public void ReclaimDeferred()
    {
        lock (_lock) _pending.Retry();
    }

    private void SwitchState(XenbusState state)
    {
        State = state;
        try { Guest.Store.WriteInt($"{NodePath}/{Displif.Displif.Field.State}", (int)state); }
        catch (XenStoreException e) { _logger.LogDebug("State not written: {Reason}", e.Message); }
        StateChanged?.Invoke(this);
    }

    /// <summary>The guest driver unloads: Closing, everything freed, Closed.</summary>
    public void Dispose()
    {
        _watch?.Dispose();
        _reclaimTimer?.Dispose();
        lock (_lock)
        {
            if (State == XenbusState.Closed) return;
            SwitchState(XenbusState.Closing);
            var device = Device;
            Device = null;
            device?.Unplug();
            FreeChannels();
            _channels = [];
            ReleaseLiveBuffers();
            SwitchState(XenbusState.Closed);
        }
    }

    /// <summary>
    /// The domain was destroyed under the driver: no kernel runs it any more. Its timers and watch stop and it
    /// lets go of what it held, without a word to the backend: its grants, ports and memory went with the domain.
    /// </summary>
    public void Halt()
    {
        _watch?.Dispose();
        _reclaimTimer?.Dispose();
        lock (_lock)
        {
            if (State == XenbusState.Closed) return;
            State = XenbusState.Closed;
            var device = Device;
            Device = null;
            device?.Unplug();
            FreeChannels();
            ReleaseLiveBuffers();
            _pending.Retry(); // every grant is gone: only the pages are left to forget
        }
    }

    private void NoteFrameDoneTimeout(DrmConnector connector, TimeSpan after) =>
        Trace?.Append(DomId, DevId, connector.Index, TraceKind.Note, 0, "EVT_PG_FLIP", 0,
            $"guest: frame-done timeout, no PG_FLIP event within {after.TotalMilliseconds:0} ms; the flip completed by the timer");
}

/// <summary>A connector's channels as the guest sees them.</summary>
public sealed record FrontChannelInfo(int Index, uint ReqRingRef, int ReqPort, uint EvtRingRef, int EvtPort,
    uint ReqProdPvt, uint RspCons, uint ReqEvent, uint RspEvent, uint EvtInCons, uint EvtInProd, long StaleResponses, long SkippedEvents);
