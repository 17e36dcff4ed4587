using Microsoft.Extensions.Logging;
using XenDisplayWeb.Shared.Diagnostics;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.Backend;

/// <summary>
/// One guest display device as the backend sees it (libxenbe's frontend handler): the backend side of
/// the XenBus state machine, the connectors once connected, and the device's buffers.
/// </summary>
public sealed class FrontendHandler : IDisposable
{
    private readonly object _lock = new();
    private readonly IXenPlatform _xen;
    private readonly DisplayBackend _backend;
    private readonly ILogger _logger;
    private readonly IDisposable _watch;
    // Replaced whole, never changed in place: ring threads read it without the lock (they may need it while
    // Close or Disconnect holds the lock and waits for them).
    private volatile List<ConnectorHandler> _connectors = [];
    private CommandHandler? _commands;
    private bool _disposed;

    internal FrontendHandler(IXenPlatform xen, DisplayBackend backend, int frontDomId, int devId, ILogger logger)
    {
        _xen = xen;
        _backend = backend;
        _logger = logger;
        FrontDomId = frontDomId;
        DevId = devId;
        BackendPath = Displif.Displif.BackendPath(xen.DomId, frontDomId, devId);
        FrontendPath = xen.Store.Read($"{BackendPath}/{Displif.Displif.Field.Frontend}") ?? Displif.Displif.FrontendPath(frontDomId, devId);

        xen.Store.Write($"{BackendPath}/{Displif.Displif.Field.BeVersions}", Displif.Displif.BackendVersions);
        SetState(XenbusState.InitWait);
        _watch = xen.Store.Watch($"{FrontendPath}/{Displif.Displif.Field.State}", $"displback-{frontDomId}-{devId}", (_, _) => OnFrontendStateChanged());
    }

    public int FrontDomId { get; }
    public int DevId { get; }
    public string BackendPath { get; }
    public string FrontendPath { get; }
    public XenbusState State { get; private set; } = XenbusState.Initialising;
    public XenbusState FrontendState { get; private set; } = XenbusState.Unknown;
    public bool BeAlloc { get; private set; }
    public int ProtocolVersion { get; private set; }
    public BufferStore Buffers { get; private set; } = new();
    public string? MisbehavingReason { get; private set; }
    public bool Misbehaving => MisbehavingReason is not null;

    public IReadOnlyList<ConnectorState> Connectors => _connectors.Select(c => c.State).ToList();
    internal IReadOnlyList<ConnectorHandler> ConnectorHandlers => _connectors;

    /// <summary>Each served connector's ring, event page and last packets, read now.</summary>
    public IReadOnlyList<ConnectorRingStatus> Rings => ConnectorHandlers.Select(c => c.RingStatus()).OfType<ConnectorRingStatus>().ToList();

    /// <summary>Grants the backend maps for this device: rings, event pages and buffer pages.</summary>
    public int MappedGrants => _connectors.Count * 2 + Buffers.MappedGrants;

    private void OnFrontendStateChanged()
    {
        lock (_lock)
        {
            if (_disposed) return;
            var fs = (XenbusState)(_xen.Store.ReadInt($"{FrontendPath}/{Displif.Displif.Field.State}") ?? 0);
            if (fs == FrontendState) return;
            FrontendState = fs;
            _logger.LogInformation("dom{Dom} vdispl{Dev}: frontend {State}", FrontDomId, DevId, fs);
            Note($"frontend state {fs}");
            // A device caught misbehaving stays Closed: it is not served again until the toolstack
            // removes it (the guest is destroyed or rebooted), whatever its frontend does next.
            if (Misbehaving) return;
            switch (fs)
            {
                case XenbusState.Initialised:
                case XenbusState.Connected:
                    if (State == XenbusState.InitWait) Connect();
                    break;
                case XenbusState.Initialising:
                    // The frontend (re)starts: drop what we had and wait for it again.
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

    private void Connect()
    {
        try
        {
            var xs = _xen.Store;
            BeAlloc = xs.Read($"{FrontendPath}/{Displif.Displif.Field.BeAlloc}") == "1";
            ProtocolVersion = FrontendConfig.ReadVersion(xs, FrontendPath);
            var configs = ReadConnectors();
            Buffers = new BufferStore();
            var rate = new GuestRateLimiter(_backend.Time, () => _backend.Options.Limits.MaxRequestsPerSecond);
            _commands = new CommandHandler(_xen, FrontDomId, BeAlloc, ProtocolVersion, Buffers, _backend.Options, rate, _logger, _backend.NewDbufMemory(FrontDomId));
            var handlers = new List<ConnectorHandler>();
            try
            {
                foreach (var c in configs)
                {
                    var sink = _backend.Sinks.Create(new ConnectorKey(FrontDomId, DevId, c.Index), c.Width, c.Height);
                    handlers.Add(new ConnectorHandler(_xen, this, c, _commands, sink, _backend.Faults, _backend.Trace, _backend.Time,
                        _backend.Options.SpinBeforeBlock, _logger));
                }
            }
            catch
            {
                foreach (var h in handlers) h.Dispose();
                throw;
            }
            _connectors = handlers;
            foreach (var h in handlers) h.Start();
            SetState(XenbusState.Connected);
        }
        catch (FrontendConfigException e)
        {
            // The guest wrote a configuration displif does not allow: refused, as a misbehaving frontend is,
            // until the toolstack removes the device.
            _logger.LogWarning("dom{Dom} vdispl{Dev}: configuration refused: {Reason}", FrontDomId, DevId, e.Message);
            Note($"configuration refused: {e.Message}");
            MisbehavingReason = $"configuration refused: {e.Message}";
            SetState(XenbusState.Closing);
        }
        catch (Exception e) when (e is XenException or XenStoreException or FormatException)
        {
            _logger.LogWarning("dom{Dom} vdispl{Dev}: cannot connect: {Reason}", FrontDomId, DevId, e.Message);
            Note($"cannot connect: {e.Message}");
            SetState(XenbusState.Closing);
        }
    }

    /// <summary>The connectors the frontend configured, each field checked against displif's limits.</summary>
    private List<ConnectorConfig> ReadConnectors() => FrontendConfig.ReadConnectors(_xen.Store, FrontendPath);

    /// <summary>Stops the rings and lets go of every page of this device.</summary>
    private void Disconnect()
    {
        // Out of the list first: a reader that comes now finds no connector whose pages are about to go.
        var connectors = _connectors;
        _connectors = [];
        foreach (var c in connectors) c.Dispose();
        var commands = _commands;
        _commands = null;
        foreach (var dbuf in Buffers.Clear()) commands?.Release(dbuf);
    }

    /// <summary>A ring thread saw a broken or hostile frontend: stop serving the device, Closing then Closed.</summary>
    internal void ReportMisbehaving(string reason)
    {
        _logger.LogWarning("dom{Dom} vdispl{Dev} misbehaves: {Reason}", FrontDomId, DevId, reason);
        Note($"misbehaving: {reason}");
        ThreadPool.QueueUserWorkItem(_ =>
        {
            lock (_lock)
            {
                if (_disposed || Misbehaving) return;
                MisbehavingReason = reason;
                Disconnect();
                SetState(XenbusState.Closing);
                SetState(XenbusState.Closed);
            }
        });
    }

    /// <summary>Connectors whose scanout used these framebuffers go blank.</summary>
    /// <remarks>
    /// Runs on a ring thread: it must not take <c>_lock</c>, which the XenStore thread holds while it joins
    /// that ring thread on Closing (a deadlock when the guest destroys its buffers as it closes). The list
    /// is replaced, never changed, so its current reference is a consistent snapshot.
    /// </remarks>
    internal void ForgetFramebuffers(IReadOnlyCollection<Framebuffer> fbs)
    {
        if (fbs.Count == 0) return;
        foreach (var c in _connectors)
            if (c.State.TryForget(fbs)) c.Sink.Blank();
    }

    private void SetState(XenbusState state)
    {
        State = state;
        try { WriteState(state); }
        catch (Exception e) when (e is XenStoreException or ObjectDisposedException)
        {
            // The store is gone (the host shuts down under us) or refused: the state is ours all the same.
            _logger.LogDebug("dom{Dom} vdispl{Dev}: state not written: {Reason}", FrontDomId, DevId, e.Message);
        }
        _backend.RaiseChanged(this);
    }

    /// <summary>
    /// Publishes the state, unless the toolstack has removed the device's directory (the guest is gone, and the
    /// backend may hear of its frontend only now): the write would make that directory again, and nothing would
    /// remove it. Checked and written in one transaction, so a removal cannot come in between.
    /// </summary>
    private void WriteState(XenbusState state)
    {
        var xs = _xen.Store;
        xs.TryCommitWithRetry(tx =>
        {
            if (!xs.Exists(BackendPath, tx)) return false;
            xs.WriteInt($"{BackendPath}/{Displif.Displif.Field.State}", (int)state, tx);
            return true;
        });
    }

    private void Note(string text) => _backend.Trace.Append(FrontDomId, DevId, -1, TraceKind.Note, 0, "XENBUS", 0, text);

    /// <summary>
    /// Ends the device. <paramref name="crash"/>: as a killed backend, without a last word; otherwise
    /// Closing then Closed, as a backend that shuts down.
    /// </summary>
    internal void Close(bool crash, bool deviceRemoved = false)
    {
        _watch.Dispose();
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

    public void Dispose() => Close(crash: false);
}
