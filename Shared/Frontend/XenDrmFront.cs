using XenDisplayWeb.Shared.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Xen;
using XenDisplayWeb.Shared.XenBus;

namespace XenDisplayWeb.Shared.Frontend;

/// <summary>
/// A guest's PV display frontend, modelled on Linux's xen-front DRM driver, on the generic XenBus frontend
/// device: reads its configuration from XenStore, creates a request ring and event page per connector,
/// publishes them in one transaction, follows displback_changed (Reconfiguring and the be-alloc deferral
/// included), and offers a <see cref="DrmDevice"/> while connected.
/// </summary>
public sealed class XenDrmFront : XenBusFrontendDevice
{
    private readonly PendingGrants _pending;
    private readonly HashSet<FrontBuffer> _live = [];
    private List<EvtChannelPair> _channels = [];
    private ITimer? _reclaimTimer;

    public XenDrmFront(IGuestPlatform guest, int devId = 0, FrontendTimeouts? timeouts = null, TimeProvider? time = null,
        ILoggerFactory? loggers = null, bool useEdid = true)
        : base(guest, Displif.Displif.DeviceType, devId, GuestLogger.Create<XenDrmFront>(loggers ?? NullLoggerFactory.Instance, guest.DomId))
    {
        Timeouts = timeouts ?? new FrontendTimeouts();
        Time = time ?? TimeProvider.System;
        UseEdid = useEdid;
        _pending = new PendingGrants(guest);
    }

    /// <summary>
    /// Where this guest notes what only the guest sees (a frame-done timeout), beside the backend's
    /// packets, so a person diagnosing the display finds cause and effect in one trace. Optional.
    /// </summary>
    public DisplifTrace? Trace { get; set; }
    public FrontendTimeouts Timeouts { get; }
    public TimeProvider Time { get; }
    public bool UseEdid { get; set; }

    /// <summary>Carry requests over a GVT-g style CTB page per connector instead of the request ring (read when the channels are made).</summary>
    public bool UseCtb { get; set; }
    public bool BeAlloc { get; private set; }

    /// <summary>The DRM device while connected; null otherwise.</summary>
    public DrmDevice? Device { get; private set; }

    /// <summary>Raised (on the guest's XenStore thread) when a device appears: a compositor starts on it.</summary>
    public event Action<DrmDevice>? DeviceReady;

    /// <summary>Pages (buffers, rings, event pages) whose grant the backend still mapped when freed; retried each second.</summary>
    public override int DeferredPages => base.DeferredPages + Locked(() => _pending.Count);
    public int LiveBuffers => Locked(() => _live.Count);

    /// <summary>Per connector: ring and event page indices as the guest sees them, and skipped responses/events.</summary>
    public IReadOnlyList<FrontChannelInfo> Channels
    {
        get => Locked(() => _channels.Select(c => new FrontChannelInfo(c.Index, c.ReqRingRef, c.ReqPort, c.EvtRingRef, c.EvtPort,
            c.Ring.ReqProdPvt, c.Ring.RspCons, c.Ring.SharedReqEvent, c.Ring.SharedRspEvent, c.EventInCons, c.EventInProd,
            c.StaleResponses, c.SkippedEvents)).ToList());
    }

    /// <summary>A connector's channel pair while the rings exist (the guest console writes through it), else null.</summary>
    internal EvtChannelPair? Channel(int index) => Locked(() => _channels.FirstOrDefault(c => c.Index == index));

    protected override void OnStart() =>
        _reclaimTimer = Time.CreateTimer(_ => ReclaimDeferred(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

    protected override void OnStop() => _reclaimTimer?.Dispose();

    /// <summary>displback_changed: the frontend's reaction to each backend state.</summary>
    protected override void OnBackendState(XenbusState be)
    {
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
                TrySetUp();
                break;
            case XenbusState.Connected:
                if (State != XenbusState.Initialised) break;
                OnConnected();
                SwitchState(XenbusState.Connected);
                DeviceReady?.Invoke(Device!);
                break;
            case XenbusState.Closing:
                break; // the backend frees its resources; act when it is Closed
            case XenbusState.Unknown:
            case XenbusState.Closed:
                if (State == XenbusState.Closed) break;
                Disconnect();
                break;
        }
        RaiseStateChanged();
    }

    /// <summary>displback_initwait: read the configuration, make the channels and publish them.</summary>
    protected override void SetUp()
    {
        var xs = Guest.Store;
        BeAlloc = xs.Read($"{NodePath}/{Displif.Displif.Field.BeAlloc}") == "1";
        var indices = xs.Directory(NodePath)
            .Select(n => int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? i : -1)
            .Where(i => i >= 0).Order().Take(Displif.Displif.MaxConnectors).ToList();
        if (indices.Count == 0) throw new XenException(XenErrno.ENODEV, "no connectors configured");
        var channels = indices.Select(i => new EvtChannelPair(Guest, BackendDomId, i, cookie => OnFrameDone(i, cookie), UseCtb)).ToList();
        var nodes = new List<(string, string)> { (Displif.Displif.Field.FeVersion, Num(Displif.Displif.ProtocolVersion)) };
        foreach (var c in channels)
        {
            string p = Num(c.Index);
            nodes.Add(($"{p}/{Displif.Displif.Field.ReqRingRef}", Num(c.ReqRingRef)));
            nodes.Add(($"{p}/{Displif.Displif.Field.ReqChannel}", Num(c.ReqPort)));
            nodes.Add(($"{p}/{Displif.Displif.Field.EvtRingRef}", Num(c.EvtRingRef)));
            nodes.Add(($"{p}/{Displif.Displif.Field.EvtChannel}", Num(c.EvtPort)));
            if (c.UsesCtb) nodes.Add(($"{p}/{Transports.Ctb.CtbDisplif.CtbRefField}", Num(c.CtbRef)));
        }
        try { Publish(nodes); }
        catch
        {
            foreach (var c in channels) c.Free(FreeChannel);
            throw;
        }
        _channels = channels;
    }

    /// <summary>displback_connect: channels live, the DRM device (with EDID modes on version 2).</summary>
    protected override void OnConnected()
    {
        foreach (var c in _channels) c.Connected = true;
        var xs = Guest.Store;
        bool v2 = (xs.Read($"{BackendPath}/{Displif.Displif.Field.BeVersions}") ?? "")
            .Split(Displif.Displif.ListSeparator).Contains(Displif.Displif.ProtocolVersion.ToString(CultureInfo.InvariantCulture));
        var connectors = new List<DrmConnector>();
        var device = new DrmDevice(this, _channels, connectors, Logger);
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
                    Logger.LogInformation("Connector {Index}: no EDID ({Status}), using the XenStore resolution", c.Index, XenErrno.Describe(status));
                }
            }
            var connector = new DrmConnector(c.Index, w, h, uid, fromEdid, Time, Timeouts, Logger);
            connector.FrameDoneTimedOut += NoteFrameDoneTimeout;
            connectors.Add(connector);
        }
        Device = device;
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
    internal void OnLastClientClosed(DrmDevice device) => Locked(() =>
    {
        if (BeAlloc && State == XenbusState.Reconfiguring && Device is null)
        {
            SwitchState(XenbusState.Initialising);
            // The backend may already wait for us.
            if (BackendState == XenbusState.InitWait) TrySetUp();
            RaiseStateChanged();
        }
    });

    private void OnFrameDone(int connector, ulong fbCookie)
    {
        var device = Device;
        if (device is null) return;
        foreach (var c in device.Connectors)
            if (c.Index == connector) { c.OnFrameDone(fbCookie); return; }
    }

    internal void Track(FrontBuffer b) => Locked(() => _live.Add(b));

    /// <summary>A buffer the guest is done with: its grants end now, or once the backend has unmapped them.</summary>
    internal void FreeLater(FrontBuffer b) => Locked(() =>
    {
        _live.Remove(b);
        b.Release(_pending);
    });

    private void ReleaseLiveBuffers()
    {
        foreach (var b in _live) b.Release(_pending);
        _live.Clear();
    }

    private void FreeChannels()
    {
        foreach (var c in _channels) c.Free(FreeChannel);
        _channels = [];
    }

    /// <summary>Retries ending the grants the backend still mapped.</summary>
    public override void ReclaimDeferred()
    {
        base.ReclaimDeferred();
        Locked(_pending.Retry);
    }

    /// <summary>The driver unloads or the domain is gone: the device is unplugged, channels and buffers freed.</summary>
    protected override void TearDown()
    {
        var device = Device;
        Device = null;
        device?.Unplug();
        FreeChannels();
        ReleaseLiveBuffers();
    }

    private void NoteFrameDoneTimeout(DrmConnector connector, TimeSpan after) =>
        Trace?.Append(DomId, DevId, connector.Index, TraceKind.Note, 0, "EVT_PG_FLIP", 0,
            $"guest: frame-done timeout, no PG_FLIP event within {after.TotalMilliseconds:0} ms; the flip completed by the timer");
}

/// <summary>A connector's channels as the guest sees them.</summary>
public sealed record FrontChannelInfo(int Index, uint ReqRingRef, int ReqPort, uint EvtRingRef, int EvtPort,
    uint ReqProdPvt, uint RspCons, uint ReqEvent, uint RspEvent, uint EvtInCons, uint EvtInProd, long StaleResponses, long SkippedEvents);
