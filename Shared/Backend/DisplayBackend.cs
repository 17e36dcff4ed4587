using Microsoft.Extensions.Logging;
using XenDisplayWeb.Shared.Diagnostics;
using XenDisplayWeb.Shared.Xen;
using XenDisplayWeb.Shared.XenBus;

namespace XenDisplayWeb.Shared.Backend;

/// <summary>
/// The PV display backend (displif, like displ_be on libxenbe) on the generic XenBus layer: serves each
/// vdispl device the toolstack creates for it with a <see cref="FrontendHandler"/>.
/// </summary>
public sealed partial class DisplayBackend : XenBusBackend<FrontendHandler>
{
    private readonly ILogger _logger;
    private ITimer? _reclaimTimer;

    public DisplayBackend(IXenPlatform xen, IDisplaySinkFactory sinks, BackendOptions? options = null,
        DisplifTrace? trace = null, TimeProvider? time = null, ILoggerFactory? loggers = null)
        : base(xen, Displif.Displif.DeviceType, trace, time, loggers)
    {
        Sinks = sinks;
        Options = options ?? new BackendOptions();
        _logger = Loggers.CreateLogger<DisplayBackend>();
        DmaBuf = new(xen, Time, Options.GrantPool.NewPool(Options.Limits));
    }

    public IDisplaySinkFactory Sinks { get; }
    public BackendOptions Options { get; }
    public BackendFaults Faults { get; } = new();

    /// <summary>Grants this backend maps right now, over all devices.</summary>
    public int MappedGrants => Xen.Gnttab.ActiveMappings;

    protected override FrontendHandler CreateDevice(int frontDomId, int devId) =>
        new(Xen, this, frontDomId, devId, Loggers.CreateLogger<FrontendHandler>());

    protected override void OnStarted()
    {
        _reclaimTimer = Time.CreateTimer(_ => ReclaimShared(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        var pool = DmaBuf.Pool!;
        _logger.LogInformation("Grant pool for be-alloc buffers: {Total} grants, {Guaranteed} guaranteed to each of {Guests} guests, at most {Max} to one",
            pool.TotalGrants, pool.GuaranteedPerGuest, pool.GuaranteedGuests, pool.MaxPerGuest);
    }

    // As the kernel does for a dead process: pages still mapped by guests are freed when they let go.
    protected override void OnStopped(bool crash) => ReclaimShared();

    /// <summary>Pages of be-alloc buffers the guest still mapped when we let go of them: freed once it unmaps.</summary>
    public int DeferredSharedPages => DmaBuf.StillMappedPages;

    /// <summary>Frees the deferred pages the guest no longer maps, giving their grants back to the pool (runs every second).</summary>
    public void ReclaimShared()
    {
        int left = DmaBuf.EndStillMapped();
        Locked(() =>
        {
            if (!IsRunning && left == 0) { _reclaimTimer?.Dispose(); _reclaimTimer = null; }
        });
    }
}
