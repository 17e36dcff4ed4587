using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using XenDisplayWeb.Shared.Diagnostics;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.Backend;

/// <summary>
/// The PV display backend (displif, like displ_be on libxenbe): watches XenStore for vdispl devices
/// the toolstack creates for it, and serves each with a <see cref="FrontendHandler"/>.
/// </summary>
public sealed partial class DisplayBackend : IDisposable
{
    private readonly object _lock = new();
    private readonly IXenPlatform _xen;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly Dictionary<(int Dom, int Dev), FrontendHandler> _devices = [];
    private IDisposable? _watch;
    private ITimer? _reclaimTimer;

    public DisplayBackend(IXenPlatform xen, IDisplaySinkFactory sinks, BackendOptions? options = null,
        DisplifTrace? trace = null, TimeProvider? time = null, ILoggerFactory? loggers = null)
    {
        _xen = xen;
        Sinks = sinks;
        Options = options ?? new BackendOptions();
        Time = time ?? TimeProvider.System;
        Trace = trace ?? new DisplifTrace(Time);
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger<DisplayBackend>();
        DmaBuf = new(xen, Time, Options.GrantPool.NewPool(Options.Limits));
    }

    public IDisplaySinkFactory Sinks { get; }
    public BackendOptions Options { get; }
    public TimeProvider Time { get; }
    public DisplifTrace Trace { get; }
    public BackendFaults Faults { get; } = new();
    public int DomId => _xen.DomId;
    public bool IsRunning { get { lock (_lock) return _watch is not null; } }

    /// <summary>Raised when a device changes state (on the backend's XenStore thread).</summary>
    public event Action<FrontendHandler>? DeviceChanged;

    public IReadOnlyList<FrontendHandler> Devices
    {
        get { lock (_lock) return _devices.Values.OrderBy(d => d.FrontDomId).ThenBy(d => d.DevId).ToList(); }
    }

    public FrontendHandler? Device(int domId, int devId = 0)
    {
        lock (_lock) return _devices.GetValueOrDefault((domId, devId));
    }

    /// <summary>Grants this backend maps right now, over all devices.</summary>
    public int MappedGrants => _xen.Gnttab.ActiveMappings;

    public void Start()
    {
        lock (_lock)
        {
            if (_watch is not null) return;
            string root = Displif.Displif.BackendRoot(_xen.DomId);
            _watch = _xen.Store.Watch(root, "displback", (_, _) => Rescan());
            _reclaimTimer = Time.CreateTimer(_ => ReclaimShared(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
            _logger.LogInformation("Display backend started in domain {Dom}, watching {Root}", _xen.DomId, root);
            var pool = DmaBuf.Pool!;
            _logger.LogInformation("Grant pool for be-alloc buffers: {Total} grants, {Guaranteed} guaranteed to each of {Guests} guests, at most {Max} to one",
                pool.TotalGrants, pool.GuaranteedPerGuest, pool.GuaranteedGuests, pool.MaxPerGuest);
        }
    }

    /// <summary>Stops serving: every device goes Closing then Closed (or straight to Closed when <paramref name="crash"/>).</summary>
    public void Stop(bool crash = false)
    {
        List<FrontendHandler> devices;
        IDisposable? watch;
        lock (_lock)
        {
            watch = _watch;
            _watch = null;
            devices = [.. _devices.Values];
            _devices.Clear();
        }
        // Outside the lock: disposing waits for a running Rescan, which takes the lock (and now finds _watch null).
        watch?.Dispose();
        foreach (var d in devices) d.Close(crash);
        ReclaimShared(); // as the kernel does for a dead process: pages still mapped by guests are freed when they let go
        _logger.LogInformation("Display backend {How}", crash ? "killed" : "stopped");
    }

    /// <summary>Finds devices the toolstack added or removed under our backend directory.</summary>
    private void Rescan()
    {
        string root = Displif.Displif.BackendRoot(_xen.DomId);
        var present = new HashSet<(int, int)>();
        var xs = _xen.Store;
        try
        {
            if (xs.Exists(root))
                foreach (var dom in xs.Directory(root))
                    if (int.TryParse(dom, NumberStyles.None, CultureInfo.InvariantCulture, out int domId) && xs.Exists($"{root}/{dom}"))
                        foreach (var dev in SafeDirectory(xs, $"{root}/{dom}"))
                            if (int.TryParse(dev, NumberStyles.None, CultureInfo.InvariantCulture, out int devId)
                                && xs.Read($"{root}/{dom}/{dev}/{Displif.Displif.Field.FrontendId}") is not null)
                                present.Add((domId, devId));
        }
        catch (XenStoreException e)
        {
            _logger.LogDebug("Rescan raced with a change: {Reason}", e.Message);
        }

        List<FrontendHandler> gone;
        lock (_lock)
        {
            if (_watch is null) return;
            gone = _devices.Where(kv => !present.Contains(kv.Key)).Select(kv => kv.Value).ToList();
            foreach (var g in gone) _devices.Remove((g.FrontDomId, g.DevId));
            foreach (var key in present.Where(k => !_devices.ContainsKey(k)))
            {
                _logger.LogInformation("New display device dom{Dom} vdispl{Dev}", key.Item1, key.Item2);
                try
                {
                    _devices[key] = new FrontendHandler(_xen, this, key.Item1, key.Item2, _loggers.CreateLogger<FrontendHandler>());
                }
                catch (XenStoreException e)
                {
                    _logger.LogWarning("dom{Dom} vdispl{Dev} vanished while it was set up: {Reason}", key.Item1, key.Item2, e.Message);
                }
            }
        }
        foreach (var g in gone)
        {
            _logger.LogInformation("Display device dom{Dom} vdispl{Dev} removed", g.FrontDomId, g.DevId);
            g.Close(crash: false, deviceRemoved: true);
            DeviceChanged?.Invoke(g);
        }
    }

    private static IReadOnlyList<string> SafeDirectory(IXenStore xs, string path)
    {
        try { return xs.Directory(path); }
        catch (XenStoreException) { return []; }
    }

    /// <summary>Pages of be-alloc buffers the guest still mapped when we let go of them: freed once it unmaps.</summary>
    public int DeferredSharedPages => DmaBuf.StillMappedPages;

    /// <summary>Frees the deferred pages the guest no longer maps, giving their grants back to the pool (runs every second).</summary>
    public void ReclaimShared()
    {
        int left = DmaBuf.EndStillMapped();
        lock (_lock)
            if (_watch is null && left == 0) { _reclaimTimer?.Dispose(); _reclaimTimer = null; }
    }

    internal void RaiseChanged(FrontendHandler device)
    {
        try { DeviceChanged?.Invoke(device); }
        catch (Exception e) { _logger.LogWarning(e, "A DeviceChanged observer failed"); }
    }

    public void Dispose() => Stop();
}
