using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using XenDisplayWeb.Shared.Diagnostics;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.XenBus;

/// <summary>
/// A backend for one XenBus device type (libxenbe's backend), protocol-free: watches
/// /local/domain/&lt;be&gt;/backend/&lt;type&gt;/ for devices the toolstack adds or removes, makes a device
/// for each through <see cref="CreateDevice"/> and closes those that go.
/// </summary>
public abstract class XenBusBackend<TDevice> : IDisposable where TDevice : XenBusBackendDevice
{
    private readonly object _lock = new();
    private readonly Dictionary<(int Dom, int Dev), TDevice> _devices = [];
    private readonly ILogger _logger;
    private IDisposable? _watch;

    protected XenBusBackend(IXenPlatform xen, string deviceType, DisplifTrace? trace, TimeProvider? time, ILoggerFactory? loggers)
    {
        Xen = xen;
        DeviceType = deviceType;
        Time = time ?? TimeProvider.System;
        Trace = trace ?? new DisplifTrace(Time);
        Loggers = loggers ?? NullLoggerFactory.Instance;
        _logger = Loggers.CreateLogger(GetType());
    }

    protected IXenPlatform Xen { get; }
    protected ILoggerFactory Loggers { get; }
    public string DeviceType { get; }
    public TimeProvider Time { get; }
    public DisplifTrace Trace { get; }
    public int DomId => Xen.DomId;
    public string Root => XenBusPaths.BackendRoot(DeviceType, Xen.DomId);
    public bool IsRunning { get { lock (_lock) return _watch is not null; } }

    /// <summary>Raised when a device changes state, appears or is removed.</summary>
    public event Action<TDevice>? DeviceChanged;

    public IReadOnlyList<TDevice> Devices
    {
        get { lock (_lock) return _devices.Values.OrderBy(d => d.FrontDomId).ThenBy(d => d.DevId).ToList(); }
    }

    public TDevice? Device(int domId, int devId = 0)
    {
        lock (_lock) return _devices.GetValueOrDefault((domId, devId));
    }

    /// <summary>The protocol's device for a new backend directory; not yet started.</summary>
    protected abstract TDevice CreateDevice(int frontDomId, int devId);

    public void Start()
    {
        lock (_lock)
        {
            if (_watch is not null) return;
            _watch = Xen.Store.Watch(Root, $"{DeviceType}back", (_, _) => Rescan());
            _logger.LogInformation("{Type} backend started in domain {Dom}, watching {Root}", DeviceType, Xen.DomId, Root);
            OnStarted();
        }
    }

    /// <summary>What the protocol starts beside the device watch (timers, pools); runs under the backend's lock.</summary>
    protected virtual void OnStarted() { }

    /// <summary>What the protocol does once every device is closed (reclaiming what guests still map).</summary>
    protected virtual void OnStopped(bool crash) { }

    /// <summary>Runs <paramref name="body"/> under the backend's lock, where <see cref="Start"/> and <see cref="Stop"/> cannot come in between.</summary>
    protected void Locked(Action body)
    {
        lock (_lock) body();
    }

    /// <summary>Stops serving: every device goes Closing then Closed (or straight to Closed when <paramref name="crash"/>).</summary>
    public void Stop(bool crash = false)
    {
        List<TDevice> devices;
        IDisposable? watch;
        lock (_lock)
        {
            watch = _watch;
            _watch = null;
            devices = [.. _devices.Values];
            _devices.Clear();
        }
        watch?.Dispose(); // outside the lock: it waits for a running Rescan, which takes the lock
        foreach (var d in devices) d.Close(crash);
        OnStopped(crash);
        _logger.LogInformation("{Type} backend {How}", DeviceType, crash ? "killed" : "stopped");
    }

    /// <summary>Finds the devices the toolstack added or removed under our backend directory.</summary>
    private void Rescan()
    {
        var present = new HashSet<(int, int)>();
        var xs = Xen.Store;
        try
        {
            if (xs.Exists(Root))
                foreach (var dom in xs.Directory(Root))
                    if (int.TryParse(dom, NumberStyles.None, CultureInfo.InvariantCulture, out int domId))
                        foreach (var dev in SafeDirectory(xs, $"{Root}/{dom}"))
                            if (int.TryParse(dev, NumberStyles.None, CultureInfo.InvariantCulture, out int devId)
                                && xs.Read($"{Root}/{dom}/{dev}/{XenBusPaths.Field.FrontendId}") is not null)
                                present.Add((domId, devId));
        }
        catch (XenStoreException e)
        {
            _logger.LogDebug("Rescan raced with a change: {Reason}", e.Message);
        }

        List<TDevice> gone, added = [];
        lock (_lock)
        {
            if (_watch is null) return;
            gone = _devices.Where(kv => !present.Contains(kv.Key)).Select(kv => kv.Value).ToList();
            foreach (var g in gone) _devices.Remove((g.FrontDomId, g.DevId));
            foreach (var key in present.Where(k => !_devices.ContainsKey(k)))
            {
                _logger.LogInformation("New {Type} device dom{Dom} dev {Dev}", DeviceType, key.Item1, key.Item2);
                try
                {
                    var device = CreateDevice(key.Item1, key.Item2);
                    device.Changed = d => RaiseChanged((TDevice)d);
                    device.Start();
                    _devices[key] = device;
                    added.Add(device);
                }
                catch (XenStoreException e)
                {
                    _logger.LogWarning("dom{Dom} {Type}{Dev} vanished while it was set up: {Reason}", key.Item1, DeviceType, key.Item2, e.Message);
                }
            }
        }
        foreach (var g in gone)
        {
            _logger.LogInformation("{Type} device dom{Dom} dev {Dev} removed", DeviceType, g.FrontDomId, g.DevId);
            g.Close(crash: false, deviceRemoved: true);
            RaiseChanged(g);
        }
    }

    private static IReadOnlyList<string> SafeDirectory(IXenStore xs, string path)
    {
        try { return xs.Directory(path); }
        catch (XenStoreException) { return []; }
    }

    private void RaiseChanged(TDevice device)
    {
        try { DeviceChanged?.Invoke(device); }
        catch (Exception e) { _logger.LogWarning(e, "A DeviceChanged observer failed"); }
    }

    public void Dispose()
    {
        Stop();
        GC.SuppressFinalize(this);
    }
}
