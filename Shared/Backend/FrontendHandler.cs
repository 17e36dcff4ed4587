using Microsoft.Extensions.Logging;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Xen;
using XenDisplayWeb.Shared.XenBus;

namespace XenDisplayWeb.Shared.Backend;

/// <summary>
/// One guest display device as the backend sees it, on the generic XenBus device: connecting reads the
/// displif configuration and serves a <see cref="ConnectorHandler"/> per connector; the device keeps its buffers.
/// </summary>
public sealed class FrontendHandler : XenBusBackendDevice
{
    private readonly DisplayBackend _backend;
    // Replaced whole, never changed in place: ring threads read it without the lock (they may need it while
    // Close or Disconnect holds the lock and waits for them).
    private volatile List<ConnectorHandler> _connectors = [];
    private CommandHandler? _commands;

    internal FrontendHandler(IXenPlatform xen, DisplayBackend backend, int frontDomId, int devId, ILogger logger)
        : base(xen, Displif.Displif.DeviceType, frontDomId, devId, backend.Trace, logger)
    {
        _backend = backend;
    }

    public bool BeAlloc { get; private set; }
    public int ProtocolVersion { get; private set; }
    public BufferStore Buffers { get; private set; } = new();

    public IReadOnlyList<ConnectorState> Connectors => _connectors.Select(c => c.State).ToList();
    internal IReadOnlyList<ConnectorHandler> ConnectorHandlers => _connectors;

    /// <summary>Each served connector's ring, event page and last packets, read now.</summary>
    public IReadOnlyList<ConnectorRingStatus> Rings => ConnectorHandlers.Select(c => c.RingStatus()).OfType<ConnectorRingStatus>().ToList();

    /// <summary>Grants the backend maps for this device: rings, event pages and buffer pages.</summary>
    public int MappedGrants => _connectors.Count * 2 + Buffers.MappedGrants;

    // The trace is displif's own: its notes need no device type.
    protected override string NotePrefix => "";

    protected override void PublishBackendNodes() =>
        Xen.Store.Write($"{BackendPath}/{Displif.Displif.Field.BeVersions}", Displif.Displif.BackendVersions);

    protected override bool Connect()
    {
        List<ConnectorConfig> configs;
        try
        {
            BeAlloc = Xen.Store.Read($"{FrontendPath}/{Displif.Displif.Field.BeAlloc}") == "1";
            ProtocolVersion = FrontendConfig.ReadVersion(Xen.Store, FrontendPath);
            configs = FrontendConfig.ReadConnectors(Xen.Store, FrontendPath);
        }
        catch (FrontendConfigException e)
        {
            Refuse($"configuration refused: {e.Message}");
            return false;
        }
        Buffers = new BufferStore();
        var rate = new GuestRateLimiter(_backend.Time, () => _backend.Options.Limits.MaxRequestsPerSecond);
        _commands = new CommandHandler(Xen, FrontDomId, BeAlloc, ProtocolVersion, Buffers, _backend.Options, rate, Logger, _backend.NewDbufMemory(FrontDomId));
        var handlers = new List<ConnectorHandler>();
        try
        {
            foreach (var c in configs)
            {
                var sink = _backend.Sinks.Create(new ConnectorKey(FrontDomId, DevId, c.Index), c.Width, c.Height);
                handlers.Add(new ConnectorHandler(Xen, this, c, _commands, sink, _backend.Faults, _backend.Trace, _backend.Time,
                    _backend.Options.SpinBeforeBlock, Logger));
            }
        }
        catch
        {
            foreach (var h in handlers) h.Dispose();
            throw;
        }
        _connectors = handlers;
        foreach (var h in handlers) h.Start();
        return true;
    }

    /// <summary>Stops the rings and lets go of every page of this device.</summary>
    protected override void Disconnect()
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
    internal void ConnectorMisbehaves(string reason) => ReportMisbehavingLater(reason);

    /// <summary>Connectors whose scanout used these framebuffers go blank.</summary>
    /// <remarks>
    /// Runs on a ring thread: it must not take the device's lock, which the XenStore thread holds while it joins
    /// that ring thread on Closing (a deadlock when the guest destroys its buffers as it closes). The list
    /// is replaced, never changed, so its current reference is a consistent snapshot.
    /// </remarks>
    internal void ForgetFramebuffers(IReadOnlyCollection<Framebuffer> fbs)
    {
        if (fbs.Count == 0) return;
        foreach (var c in _connectors)
            if (c.State.TryForget(fbs)) c.Sink.Blank();
    }
}
