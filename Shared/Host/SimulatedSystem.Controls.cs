using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Frontend;
using XenDisplayWeb.Shared.Workloads;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.Host;

/// <summary>Why an operator's control could not be applied.</summary>
public enum ControlFailure
{
    /// <summary>No guest with that domain id.</summary>
    UnknownDomain,
    /// <summary>The guest's display has no connector with that index.</summary>
    UnknownConnector,
    /// <summary>The current state forbids it (e.g. the last connector, or the display not connected).</summary>
    Conflict,
}

/// <summary>An operator's control refused by the simulated system; the message says why in a sentence.</summary>
public sealed class ControlException(ControlFailure failure, string message) : InvalidOperationException(message)
{
    public ControlFailure Failure { get; } = failure;
}

/// <summary>
/// What an operator can change on a running guest's display, done the toolstack way: the connectors are
/// rewritten in XenStore and the backend half of the device is detached and attached again, so the
/// frontend goes through Reconfiguring and reconnects with the new connectors, as it would on Xen.
/// </summary>
public sealed partial class SimulatedSystem
{
    /// <summary>How long a reconfiguration waits for the backend and the frontend to let go of the old device.</summary>
    public static readonly TimeSpan DetachTimeout = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _reconfiguring = new(1, 1);

    /// <summary>Adds a connector at the end of the guest's display; returns its index.</summary>
    public async Task<int> AddConnectorAsync(int domId, GuestConnector connector, CancellationToken ct = default)
    {
        ValidateMode(connector.Width, connector.Height);
        var settings = new WorkloadSettings(connector.Workload, connector.FramesPerSecond);
        await _reconfiguring.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var guest = RequireGuest(domId);
            var connectors = guest.Spec.Connectors.ToList();
            if (connectors.Count >= Displif.Displif.MaxConnectors)
                throw new ControlException(ControlFailure.Conflict, $"domain {domId} already has {connectors.Count} connectors, the most a display can have");
            if (connectors.Any(c => c.UniqueId == connector.UniqueId))
                throw new ControlException(ControlFailure.Conflict, $"domain {domId} already has a connector with unique-id '{connector.UniqueId}'");
            connectors.Add(connector);
            await ReconnectAsync(guest, connectors, [.. guest.Settings, settings], ct).ConfigureAwait(false);
            return connectors.Count - 1;
        }
        finally { _reconfiguring.Release(); }
    }

    /// <summary>Removes a connector; the ones after it move down an index (XenStore numbers them from 0).</summary>
    public async Task RemoveConnectorAsync(int domId, int index, CancellationToken ct = default)
    {
        await _reconfiguring.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var guest = RequireGuest(domId);
            RequireConnector(guest, index);
            if (guest.Spec.Connectors.Count == 1)
                throw new ControlException(ControlFailure.Conflict, $"connector {domId}/{index} is the display's last: a display has at least one connector");
            var connectors = guest.Spec.Connectors.Where((_, i) => i != index).ToList();
            var settings = guest.Settings.Where((_, i) => i != index).ToList();
            await ReconnectAsync(guest, connectors, settings, ct).ConfigureAwait(false);
        }
        finally { _reconfiguring.Release(); }
    }

    /// <summary>Changes a connector's mode (its XenStore resolution); the guest reconnects and reads it, and the EDID, again.</summary>
    public async Task SetResolutionAsync(int domId, int index, int width, int height, CancellationToken ct = default)
    {
        ValidateMode(width, height);
        await _reconfiguring.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var guest = RequireGuest(domId);
            RequireConnector(guest, index);
            var connectors = guest.Spec.Connectors.ToList();
            connectors[index] = connectors[index] with { Width = width, Height = height };
            await ReconnectAsync(guest, connectors, guest.Settings.ToList(), ct).ConfigureAwait(false);
        }
        finally { _reconfiguring.Release(); }
    }

    /// <summary>
    /// Unplugs (or plugs back) the monitor on a connector: the guest's DRM connector reports its link
    /// disconnected and the compositor stops flipping on it; up again, it sets the mode and flips again.
    /// A reconnect of the display brings every link up, as a fresh device does.
    /// </summary>
    public void SetLink(int domId, int index, bool up)
    {
        var guest = RequireGuest(domId);
        RequireConnector(guest, index);
        var device = guest.Front.Device
            ?? throw new ControlException(ControlFailure.Conflict, $"domain {domId}'s display is not connected (frontend {guest.Front.State})");
        var connector = device.Connectors.FirstOrDefault(c => c.Index == index)
            ?? throw new ControlException(ControlFailure.Conflict, $"connector {domId}/{index} is not on the connected device yet");
        connector.SetLink(up);
    }

    /// <summary>Changes what a connector's compositor draws, and how fast, from its next frame.</summary>
    public WorkloadSettings SetWorkload(int domId, int index, string? workload, double? framesPerSecond)
    {
        var guest = RequireGuest(domId);
        RequireConnector(guest, index);
        if (GuestSpecLimits.FramesPerSecondProblem(framesPerSecond) is { } rule)
            throw new ArgumentOutOfRangeException(nameof(framesPerSecond), framesPerSecond, $"framesPerSecond {rule}");
        var settings = guest.Settings[index];
        if (workload is not null) settings.Workload = workload;
        if (framesPerSecond is { } fps) settings.FramesPerSecond = fps;
        return settings;
    }

    private Guest RequireGuest(int domId) =>
        Guest(domId) ?? throw new ControlException(ControlFailure.UnknownDomain, $"no guest domain {domId}");

    /// <summary>Throws a <see cref="ControlException"/> (unknown domain or connector) unless guest <paramref name="domId"/> has connector <paramref name="index"/>.</summary>
    public void RequireConnector(int domId, int index) => RequireConnector(RequireGuest(domId), index);

    private static void RequireConnector(Guest guest, int index)
    {
        if (index < 0 || index >= guest.Spec.Connectors.Count)
            throw new ControlException(ControlFailure.UnknownConnector, $"no connector {guest.DomId}/{index}: the display has {guest.Spec.Connectors.Count}");
    }

    private static void ValidateMode(int width, int height)
    {
        if (Displif.Displif.ModeProblem(width, height) is var (side, rule)) throw new ArgumentOutOfRangeException(side, $"{side} {rule}");
    }

    /// <summary>Rewrites the connectors in XenStore, then cycles the device's backend half so both ends read them again.</summary>
    private async Task ReconnectAsync(Guest guest, List<GuestConnector> connectors, List<WorkloadSettings> settings, CancellationToken ct)
    {
        Toolstack.SetConnectors(guest.DomId, guest.Front.DevId, connectors.Select(c => new ConnectorSpec(c.Width, c.Height, c.UniqueId)).ToList());
        guest.Settings = settings;
        guest.Spec = guest.Spec with { Connectors = connectors };
        FollowConnectors(guest);
        await CycleBackendAsync(guest, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Detaches the backend half of the guest's device (its XenStore directory goes, the backend drops the
    /// device, the frontend sees the backend gone and goes Reconfiguring), waits until both have let go,
    /// then attaches it again (Initialising): the backend goes InitWait and the frontend connects afresh.
    /// </summary>
    private async Task CycleBackendAsync(Guest guest, CancellationToken ct)
    {
        var front = guest.Front;
        var backend = Backend;
        string backendPath = front.BackendPath;
        var letGo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (backend.Device(guest.DomId, front.DevId) is null && front.BackendState == XenbusState.Unknown) letGo.TrySetResult();
        }
        void OnFront(XenBus.XenBusFrontendDevice _) => Check();
        void OnBackend(Backend.FrontendHandler _) => Check();
        front.StateChanged += OnFront;
        backend.DeviceChanged += OnBackend;
        try
        {
            using (var xs = Host.Store.Connect(DomId.Dom0))
                if (xs.Exists(backendPath)) xs.Remove(backendPath);
            Check();
            try
            {
                await letGo.Task.WaitAsync(DetachTimeout, Time, ct).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new ControlException(ControlFailure.Conflict,
                    $"domain {guest.DomId}'s display did not let go of its backend within {DetachTimeout.TotalSeconds} s (frontend {front.State})");
            }
        }
        finally
        {
            front.StateChanged -= OnFront;
            backend.DeviceChanged -= OnBackend;
            AttachBackend(guest.DomId, front.DevId, front.NodePath, backendPath);
        }
    }

    /// <summary>Writes the backend directory as the toolstack does when it adds a device (state Initialising).</summary>
    private void AttachBackend(int domId, int devId, string frontendPath, string backendPath)
    {
        using var xs = Host.Store.Connect(DomId.Dom0);
        bool ok = xs.TryCommitWithRetry(tx =>
        {
            xs.Write($"{backendPath}/{Displif.Displif.Field.Frontend}", frontendPath, tx);
            xs.WriteInt($"{backendPath}/{Displif.Displif.Field.FrontendId}", domId, tx);
            xs.WriteInt($"{backendPath}/{Displif.Displif.Field.State}", (int)XenbusState.Initialising, tx);
            xs.Write($"{backendPath}/online", "1", tx);
            return true;
        });
        if (!ok) throw new XenException(XenErrno.EAGAIN, $"could not attach dom{domId} vdispl{devId}'s backend in XenStore");
    }
}
