using System.Globalization;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.Host;

/// <summary>A connector as the toolstack configures it: resolution and unique-id in XenStore.</summary>
public sealed record ConnectorSpec(int Width, int Height, string UniqueId);

/// <summary>
/// What libxl does for vdispl devices: writes the frontend and backend directories (be-alloc,
/// resolution, unique-id, the cross links, Initialising), removes them, and changes a resolution.
/// </summary>
public sealed class Toolstack(SimXenHost host)
{
    public SimXenHost Host { get; } = host;

    public void AddDisplay(int domId, int devId, bool beAlloc, IReadOnlyList<ConnectorSpec> connectors, int backendDomId = DomId.Dom0)
    {
        if (connectors.Count is 0 or > Displif.Displif.MaxConnectors)
            throw new ArgumentException($"a display has 1 to {Displif.Displif.MaxConnectors} connectors", nameof(connectors));
        var xs = Host.Store.Connect(DomId.Dom0);
        try
        {
            string fe = Displif.Displif.FrontendPath(domId, devId), be = Displif.Displif.BackendPath(backendDomId, domId, devId);
            bool ok = xs.TryCommitWithRetry(tx =>
            {
                xs.Write($"{fe}/{Displif.Displif.Field.Backend}", be, tx);
                xs.WriteInt($"{fe}/{Displif.Displif.Field.BackendId}", backendDomId, tx);
                xs.WriteInt($"{fe}/{Displif.Displif.Field.State}", (int)XenbusState.Initialising, tx);
                if (beAlloc) xs.Write($"{fe}/{Displif.Displif.Field.BeAlloc}", "1", tx);
                for (int i = 0; i < connectors.Count; i++)
                {
                    xs.Write($"{fe}/{i}/{Displif.Displif.Field.Resolution}", Displif.Displif.FormatResolution(connectors[i].Width, connectors[i].Height), tx);
                    xs.Write($"{fe}/{i}/{Displif.Displif.Field.UniqueId}", connectors[i].UniqueId, tx);
                }
                xs.Write($"{be}/{Displif.Displif.Field.Frontend}", fe, tx);
                xs.WriteInt($"{be}/{Displif.Displif.Field.FrontendId}", domId, tx);
                xs.WriteInt($"{be}/{Displif.Displif.Field.State}", (int)XenbusState.Initialising, tx);
                xs.Write($"{be}/online", "1", tx);
                return true;
            });
            if (!ok) throw new XenException(XenErrno.EAGAIN, "could not write the device to XenStore");
        }
        finally { xs.Dispose(); }
    }

    /// <summary>Removes the device's directories (as xl's device removal does).</summary>
    public void RemoveDisplay(int domId, int devId, int backendDomId = DomId.Dom0)
    {
        using var xs = Host.Store.Connect(DomId.Dom0);
        foreach (var p in new[] { Displif.Displif.BackendPath(backendDomId, domId, devId), Displif.Displif.FrontendPath(domId, devId) })
            if (xs.Exists(p)) xs.Remove(p);
        string beDom = $"{Displif.Displif.BackendRoot(backendDomId)}/{domId}";
        if (xs.Exists(beDom) && xs.Directory(beDom).Count == 0) xs.Remove(beDom);
    }

    /// <summary>Rewrites the connectors' resolutions and unique-ids (the toolstack way to change a mode).</summary>
    public void SetConnectors(int domId, int devId, IReadOnlyList<ConnectorSpec> connectors)
    {
        using var xs = Host.Store.Connect(DomId.Dom0);
        string fe = Displif.Displif.FrontendPath(domId, devId);
        xs.TryCommitWithRetry(tx =>
        {
            foreach (var name in xs.Directory(fe, tx))
                if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int i) && i >= connectors.Count)
                    xs.Remove($"{fe}/{name}", tx);
            for (int i = 0; i < connectors.Count; i++)
            {
                xs.Write($"{fe}/{i}/{Displif.Displif.Field.Resolution}", Displif.Displif.FormatResolution(connectors[i].Width, connectors[i].Height), tx);
                xs.Write($"{fe}/{i}/{Displif.Displif.Field.UniqueId}", connectors[i].UniqueId, tx);
            }
            return true;
        });
    }

    /// <summary>Destroys a guest abruptly and removes its devices' backend directories, as libxl does after a crash.</summary>
    public void DestroyDomain(int domId, int backendDomId = DomId.Dom0)
    {
        Host.DestroyDomain(domId);
        using var xs = Host.Store.Connect(DomId.Dom0);
        foreach (string root in new[] { Displif.Displif.BackendRoot(backendDomId), XenBus.XenBusPaths.BackendRoot(Kbdif.Kbdif.DriverName, backendDomId) })
        {
            string beDom = $"{root}/{domId}";
            if (xs.Exists(beDom)) xs.Remove(beDom);
        }
    }
}
