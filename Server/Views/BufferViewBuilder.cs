using XenDisplayWeb.Client.Models;
using XenDisplayWeb.Shared.Backend;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Host;
using XenDisplayWeb.Shared.Pixels;
using XenDisplayWeb.Shared.Xen.DmaBuf;

namespace XenDisplayWeb.Server.Views;

/// <summary>A guest's dbufs and fbs as the backend holds them, for the buffers page and API.</summary>
public static class BufferViewBuilder
{
    /// <summary>Null when the guest does not exist.</summary>
    public static DomainBuffersView? For(SimulatedSystem? system, int domId)
    {
        var guest = system?.Guest(domId);
        if (guest is null) return null;
        var device = system!.Backend.Device(domId);
        var store = device?.Buffers;
        var fbs = store?.Fbs ?? [];
        var shownOn = (device?.Connectors ?? [])
            .Where(c => c.Config is not null)
            .ToLookup(c => c.Config!.Value.FbCookie, c => c.Index);

        var waits = system.Backend.BufferMemory(domId)?.ReleaseWaits ?? [];
        var dbufs = (store?.Dbufs ?? [])
            .OrderBy(d => d.Cookie)
            .Select(d => new DbufView(PacketDecoder.Hex(d.Cookie), d.Width, d.Height, d.Bpp, d.BufferSz, d.DataOfs,
                d.BackendAllocated ? "backend" : "frontend",
                d.DirectoryGrefs.Length + d.DataGrefs.Length, d.DirectoryGrefs, d.DataGrefs, d.MappedPages,
                fbs.Where(f => f.Dbuf == d).OrderBy(f => f.Cookie).Select(f => PacketDecoder.Hex(f.Cookie)).ToList(),
                ScanoutName(d.LastScanout), d.References,
                waits.LastOrDefault(w => w.Cookie == d.Cookie) is { } w ? w.Waited.TotalMilliseconds : null))
            .ToList();
        var fbViews = fbs
            .OrderBy(f => f.Cookie)
            .Select(f => new FbView(PacketDecoder.Hex(f.Cookie), PacketDecoder.Hex(f.Dbuf.Cookie), f.Width, f.Height,
                PixelFormats.FourCcString((uint)f.Format), PixelFormats.BitsPerPixel(f.Format), f.Stride,
                shownOn[f.Cookie].OrderBy(i => i).ToList()))
            .ToList();
        return new DomainBuffersView(domId, guest.Domain.Name, device?.BeAlloc ?? guest.Spec.BeAlloc,
            (device?.State ?? XenbusState.Unknown).ToString(), dbufs, fbViews, system.IsZeroCopy(domId),
            waits.Select(w => new ReleaseWaitView(PacketDecoder.Hex(w.Cookie), w.Waited.TotalMilliseconds, w.Status)).ToList(),
            LimitsOf(system, device), GrantPoolOf(system, domId));
    }

    private static GrantPoolUse GrantPoolOf(SimulatedSystem system, int domId)
    {
        var pool = system.Backend.GrantPool;
        var s = pool.Snapshot();
        var guest = s.Guests.FirstOrDefault(g => g.DomId == domId) ?? pool.Share(domId);
        return new GrantPoolUse(s.TotalGrants, s.InUse, s.Reserved, s.Lendable, s.GuaranteedPerGuest, s.GuaranteedGuests, s.MaxPerGuest,
            ShareUse(guest), s.Guests.Select(ShareUse).ToList());
    }

    private static GrantShareUse ShareUse(GrantShare g) => new(g.DomId, g.Used, g.Guaranteed, g.Borrowed, g.CanTake);

    private static GuestLimitsUse LimitsOf(SimulatedSystem system, FrontendHandler? device)
    {
        var l = GuestLimitsView.Of(system.Backend.Options.Limits, device?.Buffers);
        return new GuestLimitsUse(l.Dbufs, l.MaxDbufs, l.MappedBytes, l.MaxMappedBytes, l.AllocatedBytes, l.MaxBackendAllocatedBytes, l.MaxRequestsPerSecond);
    }

    private static string ScanoutName(ScanoutMode? mode) => mode switch
    {
        ScanoutMode.ZeroCopy => "zero-copy",
        ScanoutMode.Copy => "copy",
        _ => "–",
    };
}
