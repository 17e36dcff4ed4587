using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using XenDisplayWeb.Shared.Backend;
using XenDisplayWeb.Shared.Diagnostics;
using XenDisplayWeb.Shared.Frontend;
using XenDisplayWeb.Shared.Kbdif.Backend;
using XenDisplayWeb.Shared.Workloads.Input;
using XenDisplayWeb.Shared.Workloads;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.Host;

/// <summary>A connector of a demo guest: mode, unique-id, and what its compositor draws.</summary>
public sealed record GuestConnector(int Width, int Height, string UniqueId, string Workload, double FramesPerSecond = 60);

/// <summary>How a guest's frontend carries its displif requests: the Xen request ring, or a GVT-g style CTB page.</summary>
public enum RequestTransport { Ring, Ctb }

/// <summary>A guest to start: its domain, be-alloc, its display's connectors, and how its requests travel.</summary>
public sealed record GuestSpec(int DomId, string Name, bool BeAlloc, IReadOnlyList<GuestConnector> Connectors, RequestTransport Transport = RequestTransport.Ring);

/// <summary>A running guest: its domain, its xen-front driver and its compositor.</summary>
public sealed class Guest(SimDomain domain, GuestSpec spec, XenDrmFront front, IReadOnlyList<WorkloadSettings> settings)
{
    public SimDomain Domain { get; } = domain;
    public GuestSpec Spec { get; internal set; } = spec;
    public XenDrmFront Front { get; } = front;
    public GuestCompositor Compositor { get; internal set; } = null!;
    public IReadOnlyList<WorkloadSettings> Settings { get; internal set; } = settings;
    public int DomId => Domain.DomId;

    internal object InputLock { get; } = new();
    internal List<GuestVkbd> VkbdList { get; } = [];

    /// <summary>The guest's PV input, one vkbd device per connector (by index).</summary>
    public IReadOnlyList<GuestVkbd> Vkbds { get { lock (InputLock) return [.. VkbdList]; } }

    /// <summary>What connector <paramref name="index"/>'s compositor drains: its kbdfront's queue.</summary>
    public IGuestInput? InputFor(int index)
    {
        lock (InputLock) return index >= 0 && index < VkbdList.Count ? VkbdList[index].Queue : null;
    }
}

/// <summary>
/// The embedded simulated host with the display backend in dom0 and guests running xen-front and a
/// compositor: what the dashboard, the tests and the benchmarks run on.
/// </summary>
public sealed partial class SimulatedSystem : IDisposable
{
    private readonly object _lock = new();
    private readonly Dictionary<int, Guest> _guests = [];
    private readonly ILoggerFactory _loggers;
    private DisplayBackend _backend;

    /// <param name="maxDomId">The last domain id the host hands out before ids wrap to 1 (<see cref="SimXenHost.MaxDomId"/>).</param>
    public SimulatedSystem(IDisplaySinkFactory sinks, BackendOptions? backendOptions = null, TimeProvider? time = null, ILoggerFactory? loggers = null,
        int maxDomId = DomId.MaxGuest, KbdOptions? kbdOptions = null)
    {
        Time = time ?? TimeProvider.System;
        _loggers = loggers ?? NullLoggerFactory.Instance;
        Host = new SimXenHost(maxDomId);
        Host.DomainsChanged += OnDomainsChanged;
        Toolstack = new Toolstack(Host);
        VkbdToolstack = new VkbdToolstack(Host);
        Sinks = sinks;
        BackendOptions = backendOptions ?? new BackendOptions();
        Trace = new DisplifTrace(Time);
        _backend = NewBackend();
        _backend.Start();
        KbdOptions = kbdOptions ?? new KbdOptions();
        _kbd = NewKbdBackend();
        _kbd.Start();
    }

    public SimXenHost Host { get; }
    public Toolstack Toolstack { get; }
    public VkbdToolstack VkbdToolstack { get; }
    public IDisplaySinkFactory Sinks { get; }
    public BackendOptions BackendOptions { get; }
    public DisplifTrace Trace { get; }
    public TimeProvider Time { get; }
    public FrontendTimeouts Timeouts { get; } = new();
    public DisplayBackend Backend { get { lock (_lock) return _backend; } }

    public IReadOnlyList<Guest> Guests { get { lock (_lock) return _guests.Values.OrderBy(g => g.DomId).ToList(); } }
    public Guest? Guest(int domId) { lock (_lock) return _guests.GetValueOrDefault(domId); }

    private DisplayBackend NewBackend() => ApplyZeroCopy(new(Host.Dom0, Sinks, BackendOptions, Trace, Time, _loggers));

    /// <summary>
    /// Creates the domain, the toolstack's vdispl device, and boots xen-front with a compositor. A start that
    /// fails half way undoes what it did: no domain, no device in XenStore (so none in the backend), no driver.
    /// </summary>
    public Guest StartGuest(GuestSpec spec)
    {
        CheckStart(spec.Name, spec.Connectors);
        return Boot(Host.CreateDomain(spec.DomId, spec.Name), spec);
    }

    /// <summary>As <see cref="StartGuest(GuestSpec)"/>, in a domain with the next free id (<see cref="SimXenHost.CreateDomain(string, int)"/>).</summary>
    public Guest StartGuest(string name, bool beAlloc, IReadOnlyList<GuestConnector> connectors, RequestTransport transport = RequestTransport.Ring)
    {
        CheckStart(name, connectors);
        var dom = Host.CreateDomain(name);
        return Boot(dom, new GuestSpec(dom.DomId, name, beAlloc, connectors, transport));
    }

    /// <summary>What can be refused before a domain exists: the name, and a workload that cannot run here (a missing font).</summary>
    private static void CheckStart(string name, IReadOnlyList<GuestConnector> connectors)
    {
        if (GuestSpecLimits.NameProblem(name) is { } rule) throw new ArgumentException($"the name {rule}", nameof(name));
        foreach (var c in connectors) WorkloadRenderers.CheckAvailable(c.Workload);
    }

    private Guest Boot(SimDomain dom, GuestSpec spec)
    {
        Guest? guest = null;
        XenDrmFront? front = null;
        try
        {
            Toolstack.AddDisplay(spec.DomId, 0, spec.BeAlloc, spec.Connectors.Select(c => new ConnectorSpec(c.Width, c.Height, c.UniqueId)).ToList());
            var settings = spec.Connectors.Select(c => new WorkloadSettings(c.Workload, c.FramesPerSecond)).ToList();
            front = new XenDrmFront(dom, 0, Timeouts, Time, _loggers) { Trace = Trace, UseCtb = spec.Transport == RequestTransport.Ctb };
            var started = new Guest(dom, spec, front, settings);
            started.Compositor = new GuestCompositor(front, i => SettingsFor(started, i), Time, _loggers, started.InputFor);
            guest = started;
            lock (_lock) _guests[spec.DomId] = guest;
            AttachInput(guest);
            front.Start();
            return guest;
        }
        catch
        {
            if (guest is not null)
            {
                lock (_lock) _guests.Remove(spec.DomId);
                guest.Compositor.Dispose();
                DetachInput(guest, halt: false);
            }
            front?.Dispose();
            Toolstack.RemoveDisplay(spec.DomId, 0);
            Host.DestroyDomain(spec.DomId);
            throw;
        }
    }

    private WorkloadSettings SettingsFor(Guest guest, int index)
    {
        var list = guest.Settings;
        return index < list.Count ? list[index] : list[^1];
    }

    /// <summary>Shuts a guest down cleanly: its compositor stops, its driver closes, then the domain goes.</summary>
    public void StopGuest(int domId)
    {
        Guest? g;
        lock (_lock) _guests.Remove(domId, out g);
        if (g is null) return;
        g.Compositor.Dispose();
        DetachInput(g, halt: false);
        g.Front.Dispose();
        Toolstack.RemoveDisplay(domId, 0);
        Host.DestroyDomain(domId);
    }

    /// <summary>Destroys a guest abruptly, as a crash: its grants vanish under the backend's feet, its driver stops where it was.</summary>
    public void DestroyGuest(int domId)
    {
        Guest? g;
        lock (_lock) _guests.Remove(domId, out g);
        if (g is null) return;
        g.Compositor.Dispose();
        Toolstack.DestroyDomain(domId);
        g.Front.Halt();
        DetachInput(g, halt: true);
    }

    /// <summary>A domain was destroyed (by any path): what was kept for it by id goes, so a later domain with its id starts afresh.</summary>
    private void OnDomainsChanged(SimDomain dom, bool created)
    {
        if (created) return;
        _zeroCopy.TryRemove(dom.DomId, out _);
        Backend.GuestGone(dom.DomId);
    }

    /// <summary>Kills the backend (no last word), as a crashed displ_be: display and input both; the frontends see it Closed.</summary>
    public void KillBackend()
    {
        Backend.Stop(crash: true);
        Kbd.Stop(crash: true);
    }

    /// <summary>Starts a new backend process on the same host.</summary>
    public void RestartBackend()
    {
        DisplayBackend old;
        KbdBackend oldKbd;
        lock (_lock)
        {
            old = _backend;
            _backend = NewBackend();
            oldKbd = _kbd;
            _kbd = NewKbdBackend();
        }
        if (old.IsRunning) old.Stop();
        if (oldKbd.IsRunning) oldKbd.Stop();
        _backend.Start();
        _kbd.Start();
    }

    public void Dispose()
    {
        foreach (var g in Guests) StopGuest(g.DomId);
        Backend.Stop();
        Kbd.Stop();
        Host.Dispose();
    }
}
