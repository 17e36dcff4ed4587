using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Xen;
using XenDisplayWeb.Shared.XenBus;

namespace XenDisplayWeb.Shared.Host;

/// <summary>
/// What libxl does for vkbd devices: writes the frontend's and backend's directories (the cross links,
/// backend-id/frontend-id, online, both states Initialising) in one transaction, and removes them.
/// The backend writes its own features and mode.
/// </summary>
public sealed class VkbdToolstack(SimXenHost host)
{
    public SimXenHost Host { get; } = host;

    public void AddVkbd(int domId, int devId, int backendDomId = DomId.Dom0)
    {
        using var xs = Host.Store.Connect(DomId.Dom0);
        string fe = XenBusPaths.FrontendPath(Kbdif.Kbdif.DriverName, domId, devId);
        string be = XenBusPaths.BackendPath(Kbdif.Kbdif.DriverName, backendDomId, domId, devId);
        bool ok = xs.TryCommitWithRetry(tx =>
        {
            xs.Write($"{fe}/{XenBusPaths.Field.Backend}", be, tx);
            xs.WriteInt($"{fe}/{XenBusPaths.Field.BackendId}", backendDomId, tx);
            xs.WriteInt($"{fe}/{XenBusPaths.Field.State}", (int)XenbusState.Initialising, tx);
            xs.Write($"{be}/{XenBusPaths.Field.Frontend}", fe, tx);
            xs.WriteInt($"{be}/{XenBusPaths.Field.FrontendId}", domId, tx);
            xs.WriteInt($"{be}/{XenBusPaths.Field.State}", (int)XenbusState.Initialising, tx);
            xs.Write($"{be}/{XenBusPaths.Field.Online}", "1", tx);
            return true;
        });
        if (!ok) throw new XenException(XenErrno.EAGAIN, "could not write the vkbd device to XenStore");
    }

    /// <summary>Removes the device's directories (xl's device removal), and the backend's domain directory once empty.</summary>
    public void RemoveVkbd(int domId, int devId, int backendDomId = DomId.Dom0)
    {
        using var xs = Host.Store.Connect(DomId.Dom0);
        foreach (var p in new[] { XenBusPaths.BackendPath(Kbdif.Kbdif.DriverName, backendDomId, domId, devId), XenBusPaths.FrontendPath(Kbdif.Kbdif.DriverName, domId, devId) })
            if (xs.Exists(p)) xs.Remove(p);
        string beDom = $"{XenBusPaths.BackendRoot(Kbdif.Kbdif.DriverName, backendDomId)}/{domId}";
        if (xs.Exists(beDom) && xs.Directory(beDom).Count == 0) xs.Remove(beDom);
    }
}
