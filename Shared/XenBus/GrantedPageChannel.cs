using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.XenBus;

/// <summary>
/// The guest's end of a channel: zeroed pages granted to the backend (usually one: a ring or an event page; a
/// ring may carry more, as displif's CTB page) and an unbound event channel the backend may bind to. Made whole
/// or not at all. <see cref="Free"/> closes the port and ends the grants, or keeps each page the backend still
/// maps until it has unmapped it (as Linux defers gnttab_end_foreign_access).
/// </summary>
public sealed class GrantedPageChannel
{
    private readonly IGuestPlatform _guest;
    private readonly SharedPage[] _pages;
    private readonly List<SharedPage> _left;

    private GrantedPageChannel(IGuestPlatform guest, SharedPage[] pages, EventChannel evtchn)
    {
        _guest = guest;
        _pages = pages;
        _left = [.. pages];
        Evtchn = evtchn;
    }

    public uint Gref => _pages[0].Gref;
    public IReadOnlyList<uint> Grefs => [.. _pages.Select(p => p.Gref)];
    /// <summary>The page's frame number in the guest (what obsolete "page-ref" nodes carry).</summary>
    public ulong Pfn => _pages[0].Page.Pfn;
    public int Port => Evtchn.Port;
    public EventChannel Evtchn { get; }
    public byte[] Array => _pages[0].Array;
    public int Offset => _pages[0].Offset;
    public Span<byte> Span => _pages[0].Span;

    /// <summary>The channel's page number <paramref name="index"/> (0 is the first).</summary>
    public SharedPage Page(int index) => _pages[index];

    /// <summary>Pages not yet given back: all of them until <see cref="Free"/>, then those the backend still maps.</summary>
    public int PagesLeft { get { lock (_left) return _left.Count; } }

    /// <summary>Grants fresh pages (read-write) to <paramref name="backendDomId"/> and allocates a port for them.</summary>
    public static GrantedPageChannel Create(IGuestPlatform guest, int backendDomId, int pages = 1)
    {
        var shared = guest.Gntshr.Share(backendDomId, pages, readOnly: false);
        try
        {
            return new GrantedPageChannel(guest, shared, guest.Evtchn.AllocUnbound(backendDomId));
        }
        catch
        {
            foreach (var page in shared) guest.Gntshr.Unshare(page);
            throw;
        }
    }

    /// <summary>Closes the port and ends the grants. False when the backend still maps a page: retry later with <see cref="TryEnd"/>.</summary>
    public bool Free()
    {
        Evtchn.Interrupt = null;
        Evtchn.Dispose();
        return TryEnd();
    }

    /// <summary>Ends the grants and frees the pages the backend no longer maps; true once none is left.</summary>
    public bool TryEnd()
    {
        lock (_left)
        {
            _left.RemoveAll(TryEnd);
            return _left.Count == 0;
        }
    }

    private bool TryEnd(SharedPage page)
    {
        if (_guest.Gntshr.IsInUse(page)) return false;
        try { _guest.Gntshr.Unshare(page); }
        catch (XenException e) when (e.Errno == XenErrno.ENOENT) { _guest.Memory.FreePage(page.Page); } // the grant went with the domain's table
        return true;
    }
}
