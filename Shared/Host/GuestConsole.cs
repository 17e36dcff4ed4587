using System.Diagnostics;
using XenDisplayWeb.Shared.Backend;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Frontend;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.Host;

/// <summary>Why a console call failed; the HTTP layer maps it to a status code.</summary>
public enum GuestConsoleError { Invalid, NotFound, Conflict, Timeout }

/// <summary>A console call that cannot be done: what is wrong, and the request field at fault, if any.</summary>
public sealed class GuestConsoleException(GuestConsoleError error, string message, string? field = null) : Exception(message)
{
    public GuestConsoleError Error { get; } = error;
    public string? Field { get; } = field;
}

/// <summary>What the console's request returned: the response packet as the guest read it, its status, and how long it took.</summary>
public sealed record ConsoleResponse(byte[] Response, int Status, double ElapsedMs);

/// <summary>
/// Raw fields of a connector's shared request ring and event page, as a broken guest might write them.
/// <see cref="Relative"/>: req_prod and in_cons are counted from the driver's req_prod_pvt and the event page's
/// in_prod where they are written (a guest that keeps flipping moves them between a read and a write).
/// </summary>
public sealed record RingWrite(uint? ReqProd = null, uint? ReqEvent = null, uint? RspEvent = null, uint? InCons = null, bool Relative = false);

/// <summary>A dbuf as the backend holds it.</summary>
public sealed record BackendDbufView(ulong Cookie, uint Width, uint Height, uint Bpp, uint BufferSz, uint DataOfs, bool BackendAllocated, int Pages);

/// <summary>A framebuffer as the backend holds it.</summary>
public sealed record BackendFbView(ulong Cookie, ulong DbufCookie, uint Width, uint Height, string PixelFormat);

/// <summary>The guest's limits and what it uses of them.</summary>
public sealed record GuestLimitsView(int Dbufs, int MaxDbufs, long MappedBytes, long MaxMappedBytes, long AllocatedBytes, long MaxBackendAllocatedBytes, int MaxRequestsPerSecond)
{
    /// <summary>What <paramref name="buffers"/> (none: a device not connected) uses of <paramref name="limits"/>.</summary>
    public static GuestLimitsView Of(GuestLimits limits, BufferStore? buffers) =>
        new(buffers?.Dbufs.Count ?? 0, limits.MaxDbufs, buffers?.MappedBytes ?? 0, limits.MaxMappedBytes,
            buffers?.AllocatedBytes ?? 0, limits.MaxBackendAllocatedBytes, limits.MaxRequestsPerSecond);
}

/// <summary>
/// A guest's display device as the backend sees it. <see cref="MappedGrants"/> is counted by the host:
/// every grant of that guest the backend's domain maps right now for its display (rings, event pages, buffer
/// pages; its vkbd devices' pages are left out).
/// </summary>
public sealed record BackendView(string State, int MappedGrants, IReadOnlyList<BackendDbufView> Dbufs, IReadOnlyList<BackendFbView> Framebuffers,
    bool Misbehaving, string? Reason, GuestLimitsView Limits);

/// <summary>
/// Lets a person, a test or a script act as a guest, beside the guest's own driver: grant pages of its
/// memory to the backend, rewrite them, end them, put raw request packets on its rings, write raw ring
/// indices, and create or destroy guests. Everything goes through the paths a guest's kernel uses.
/// </summary>
public sealed class GuestConsole(SimulatedSystem system)
{
    public const int MaxPageData = XenPage.Size;
    private readonly object _lock = new();
    private readonly Dictionary<(int Dom, uint Gref), XenPage> _pages = [];
    private readonly HashSet<int> _destroyed = [];

    public SimulatedSystem System { get; } = system;

    private SimDomain Domain(int domId) =>
        domId != DomId.Dom0 && System.Host.GetDomain(domId) is { IsDying: false } d
            ? d
            : throw new GuestConsoleException(GuestConsoleError.NotFound, $"no guest domain {domId}");

    private Guest Guest(int domId) =>
        System.Guest(domId) ?? throw new GuestConsoleException(GuestConsoleError.NotFound, $"no guest domain {domId}");

    /// <summary>A new page of the guest's memory holding <paramref name="data"/> (zero padded), granted to the backend's domain.</summary>
    public uint GrantPage(int domId, ReadOnlySpan<byte> data, bool readOnly)
    {
        if (data.Length > MaxPageData) throw new GuestConsoleException(GuestConsoleError.Invalid, $"data is {data.Length} bytes, a page holds {MaxPageData}", "data");
        var dom = Domain(domId);
        XenPage page;
        try { page = dom.Memory.AllocatePage(); }
        catch (XenException e) { throw new GuestConsoleException(GuestConsoleError.Conflict, e.Message); }
        data.CopyTo(page.Span);
        uint gref;
        try { gref = dom.Grants.GrantForeignAccess(System.Backend.DomId, page, readOnly); }
        catch (XenException e)
        {
            dom.Memory.FreePage(page);
            throw new GuestConsoleException(GuestConsoleError.Conflict, e.Message);
        }
        lock (_lock) _pages[(domId, gref)] = page;
        return gref;
    }

    /// <summary>Rewrites the page behind one of the guest's live grants (any of them: the guest owns its memory).</summary>
    public void WritePage(int domId, uint gref, ReadOnlySpan<byte> data)
    {
        if (data.Length > MaxPageData) throw new GuestConsoleException(GuestConsoleError.Invalid, $"data is {data.Length} bytes, a page holds {MaxPageData}", "data");
        var page = Domain(domId).Grants.PageOf(gref) ?? throw new GuestConsoleException(GuestConsoleError.NotFound, $"domain {domId} has no grant {gref}");
        var span = page.Span;
        data.CopyTo(span);
        span[data.Length..].Clear();
    }

    /// <summary>Ends the guest's grant; refused (Conflict) while the backend still maps it.</summary>
    public void EndGrant(int domId, uint gref)
    {
        var dom = Domain(domId);
        try { dom.Grants.EndForeignAccess(gref); }
        catch (XenException e) when (e.Errno == XenErrno.ENOENT) { throw new GuestConsoleException(GuestConsoleError.NotFound, e.Message); }
        catch (XenException e) when (e.Errno == XenErrno.EBUSY) { throw new GuestConsoleException(GuestConsoleError.Conflict, e.Message); }
        XenPage? page;
        lock (_lock) _pages.Remove((domId, gref), out page);
        if (page is not null) dom.Memory.FreePage(page);
    }

    /// <summary>Grants the console made for a guest and has not ended.</summary>
    public IReadOnlyList<uint> ConsoleGrants(int domId)
    {
        lock (_lock) return _pages.Keys.Where(k => k.Dom == domId).Select(k => k.Gref).Order().ToList();
    }

    private EvtChannelPair Channel(int domId, int index)
    {
        var guest = Guest(domId);
        return guest.Front.Channel(index)
            ?? throw new GuestConsoleException(GuestConsoleError.NotFound, $"guest {domId} has no connector {index} with rings now (state {guest.Front.State})");
    }

    /// <summary>
    /// Puts a raw 64-byte packet on the connector's request ring as the guest's next request (after the
    /// driver's request in flight), notifies the backend, and waits for the response up to the request timeout.
    /// </summary>
    public async Task<ConsoleResponse> SendRequestAsync(int domId, int index, byte[] packet, CancellationToken ct = default)
    {
        if (packet.Length != Displif.Displif.PacketSize)
            throw new GuestConsoleException(GuestConsoleError.Invalid, $"packet is {packet.Length} bytes, not {Displif.Displif.PacketSize}", "packet");
        var channel = Channel(domId, index);
        var timeout = System.Timeouts.Request;
        long start = Stopwatch.GetTimestamp();
        var x = await channel.SendPacketAsync(packet, timeout, System.Time, ct).ConfigureAwait(false);
        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (x.TimedOut) throw new GuestConsoleException(GuestConsoleError.Timeout, $"no response within {timeout.TotalMilliseconds} ms");
        if (x.NotConnected) throw new GuestConsoleException(GuestConsoleError.Conflict, $"guest {domId} connector {index} is not connected");
        return new ConsoleResponse(x.Raw, x.Response.Status, ms);
    }

    /// <summary>Writes raw ring or event page fields of a connector, then notifies the backend.</summary>
    public Task WriteRingAsync(int domId, int index, RingWrite write, CancellationToken ct = default) =>
        Channel(domId, index).WriteRawAsync(write.ReqProd, write.ReqEvent, write.RspEvent, write.InCons, write.Relative, ct);

    /// <summary>The guest's device as the backend sees it (also after the guest was destroyed by the console).</summary>
    public BackendView Backend(int domId)
    {
        var backend = System.Backend;
        var device = backend.Device(domId);
        bool known = domId != DomId.Dom0 && (System.Host.GetDomain(domId) is not null || device is not null);
        lock (_lock) known |= _destroyed.Contains(domId);
        if (!known) throw new GuestConsoleException(GuestConsoleError.NotFound, $"no guest domain {domId}");
        var buffers = device?.Buffers;
        var dbufs = buffers?.Dbufs.OrderBy(d => d.Cookie)
            .Select(d => new BackendDbufView(d.Cookie, d.Width, d.Height, d.Bpp, d.BufferSz, d.DataOfs, d.BackendAllocated, d.Pages.Length)).ToList() ?? [];
        var fbs = buffers?.Fbs.OrderBy(f => f.Cookie)
            .Select(f => new BackendFbView(f.Cookie, f.Dbuf.Cookie, f.Width, f.Height, PacketDecoder.FourCc((uint)f.Format))).ToList() ?? [];
        return new BackendView(
            device?.State.ToString() ?? XenbusState.Closed.ToString(),
            System.Host.Dom0.MappingsOf(domId) - System.VkbdPagesMapped(domId),
            dbufs, fbs,
            device?.Misbehaving ?? false, device?.MisbehavingReason,
            GuestLimitsView.Of(backend.Options.Limits, buffers));
    }

    /// <summary>
    /// Creates a guest with the next free domain id (handed out as Xen does: round robin, so a destroyed guest's id
    /// comes back only after the ids wrap), its vdispl device, its driver and compositor; every field is checked
    /// first (<see cref="GuestSpecLimits"/>), and a creation that fails half way leaves nothing behind.
    /// </summary>
    public Guest CreateGuest(string name, bool beAlloc, IReadOnlyList<GuestConnector> connectors)
    {
        if (GuestSpecLimits.Check(name, connectors) is var (field, rule))
            throw new GuestConsoleException(GuestConsoleError.Invalid, $"{field} {rule}", field);
        Guest guest;
        try { guest = System.StartGuest(name, beAlloc, connectors); }
        catch (XenException e) when (e.Errno == XenErrno.ENOMEM) { throw new GuestConsoleException(GuestConsoleError.Conflict, e.Message); }
        lock (_lock) _destroyed.Remove(guest.DomId);
        return guest;
    }

    /// <summary>Destroys a guest abruptly, as a crash: its grants vanish under the backend's feet.</summary>
    public void DestroyGuest(int domId)
    {
        Guest(domId);
        System.DestroyGuest(domId);
        lock (_lock)
        {
            _destroyed.Add(domId);
            foreach (var k in _pages.Keys.Where(k => k.Dom == domId).ToList()) _pages.Remove(k);
        }
    }
}
