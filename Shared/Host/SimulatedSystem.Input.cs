using XenDisplayWeb.Shared.Kbdif;
using XenDisplayWeb.Shared.Kbdif.Backend;
using XenDisplayWeb.Shared.Kbdif.Frontend;
using XenDisplayWeb.Shared.Workloads.Input;

namespace XenDisplayWeb.Shared.Host;

/// <summary>
/// A guest's PV input for one display connector: the vkbd device with the same index (its unique-id is the
/// connector's, as displ_be pairs them), the guest's kbdfront on it, and the queue its compositor drains.
/// </summary>
public sealed class GuestVkbd(XenKbdFront front, GuestInputQueue queue)
{
    public XenKbdFront Front { get; } = front;
    public GuestInputQueue Queue { get; } = queue;
    public int DevId => Front.DevId;
}

/// <summary>
/// PV input: dom0's vkbd backend (a part of the display backend's process, as in displ_be), one vkbd device
/// per display connector that follows the connector's mode, and the way an operator's events reach a guest.
/// </summary>
public sealed partial class SimulatedSystem : IConnectorModes
{
    private KbdBackend _kbd = null!;

    public KbdOptions KbdOptions { get; }

    /// <summary>dom0's vkbd backend (replaced with the display backend by <see cref="RestartBackend"/>).</summary>
    public KbdBackend Kbd { get { lock (_lock) return _kbd; } }

    private KbdBackend NewKbdBackend() => new(Host.Dom0, this, KbdOptions, Trace, Time, _loggers);

    /// <summary>The mode of the guest's connector with the device's index, as its spec says now.</summary>
    KbdMode? IConnectorModes.ModeOf(int frontDomId, int devId) =>
        Guest(frontDomId)?.Spec.Connectors is { } connectors && devId >= 0 && devId < connectors.Count ? ModeOf(connectors[devId]) : null;

    private static KbdMode ModeOf(GuestConnector c) => new(c.Width, c.Height, c.UniqueId);

    /// <summary>The toolstack's vkbd device for each connector and the guest's kbdfront on it. Undone whole if any step fails.</summary>
    private void AttachInput(Guest guest)
    {
        try
        {
            for (int i = 0; i < guest.Spec.Connectors.Count; i++) AddVkbd(guest, i);
        }
        catch
        {
            DetachInput(guest, halt: false);
            throw;
        }
    }

    private void AddVkbd(Guest guest, int devId)
    {
        var queue = new GuestInputQueue();
        var front = new XenKbdFront(guest.Domain, devId, (seq, e) => queue.TryEnqueue(seq, e), _loggers);
        lock (guest.InputLock) guest.VkbdList.Add(new GuestVkbd(front, queue));
        VkbdToolstack.AddVkbd(guest.DomId, devId);
        front.Start();
    }

    /// <summary>Closes the guest's kbdfronts (or halts them, for a destroyed domain) and removes its vkbd devices.</summary>
    private void DetachInput(Guest guest, bool halt)
    {
        List<GuestVkbd> vkbds;
        lock (guest.InputLock)
        {
            vkbds = [.. guest.VkbdList];
            guest.VkbdList.Clear();
        }
        foreach (var v in vkbds)
        {
            if (halt) v.Front.Halt(); else v.Front.Dispose();
            if (!halt) VkbdToolstack.RemoveVkbd(guest.DomId, v.DevId);
        }
    }

    /// <summary>
    /// After the guest's connectors changed: a vkbd device for each new connector, the last ones removed when
    /// connectors went, and every remaining device given its connector's mode (so a device follows the
    /// connector with its index, as the connectors renumber).
    /// </summary>
    private void FollowConnectors(Guest guest)
    {
        var connectors = guest.Spec.Connectors;
        List<GuestVkbd> surplus;
        int have;
        lock (guest.InputLock)
        {
            surplus = guest.VkbdList.Skip(connectors.Count).ToList();
            guest.VkbdList.RemoveRange(Math.Min(connectors.Count, guest.VkbdList.Count), surplus.Count);
            have = guest.VkbdList.Count;
        }
        foreach (var v in surplus)
        {
            v.Front.Dispose();
            VkbdToolstack.RemoveVkbd(guest.DomId, v.DevId);
        }
        for (int i = 0; i < have; i++)
            if (Kbd.Device(guest.DomId, i) is { } device && device.Mode != ModeOf(connectors[i])) device.Update(ModeOf(connectors[i]));
        for (int i = have; i < connectors.Count; i++) AddVkbd(guest, i);
    }

    /// <summary>
    /// Offers input events for guest <paramref name="domId"/>'s connector <paramref name="index"/> to its vkbd
    /// device, in order. Each accepted one's seq is the number the strip's row 2 shows once the guest's
    /// compositor has consumed it.
    /// </summary>
    public KbdAcceptResult SendInput(int domId, int index, IReadOnlyList<IXenkbdInEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var guest = RequireGuest(domId);
        RequireConnector(guest, index);
        var device = Kbd.Device(domId, index);
        if (device is null || !device.IsConnected)
            throw new ControlException(ControlFailure.Conflict,
                $"connector {domId}/{index}'s vkbd device is not connected ({device?.State.ToString() ?? "not created"}): its guest takes no input yet");
        return device.Accept(events);
    }

    /// <summary>
    /// As <see cref="SendInput(int, int, IReadOnlyList{IXenkbdInEvent})"/>, for events as a person or script names
    /// them: each checked against the connector's mode and the backend's contacts first, and the batch refused
    /// whole (<see cref="InputRejectedException"/>, naming the field) if one is broken.
    /// </summary>
    public KbdAcceptResult SendInput(int domId, int index, IReadOnlyList<InputEventSpec?>? events)
    {
        var guest = RequireGuest(domId);
        RequireConnector(guest, index);
        var mode = Kbd.Device(domId, index)?.Mode ?? ModeOf(guest.Spec.Connectors[index]);
        var converted = InputLimits.Convert(events, mode.Width, mode.Height, KbdOptions.MtNumContacts, out string field, out string rule)
            ?? throw new InputRejectedException(field, rule);
        return SendInput(domId, index, converted);
    }

    /// <summary>Pages of guest <paramref name="domId"/> dom0 maps for its vkbd devices: one each, once connected.</summary>
    public int VkbdPagesMapped(int domId) => Kbd.Devices.Count(d => d.FrontDomId == domId && d.IsConnected);

    /// <summary>The vkbd device of a connector, if the backend has one.</summary>
    public KbdDevice? VkbdDevice(int domId, int index) => Kbd.Device(domId, index);
}

/// <summary>An input batch refused before anything was sent: <see cref="Field"/> (as "events[2].x") breaks <see cref="Rule"/>.</summary>
public sealed class InputRejectedException(string field, string rule) : ArgumentException($"{field}: {rule}")
{
    public string Field { get; } = field;
    public string Rule { get; } = rule;
}
