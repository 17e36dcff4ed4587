using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.XenBus;

/// <summary>
/// The guest's end of a one-page channel: a zeroed page granted to the backend and an unbound event channel
/// the backend may bind to. Made whole or not at all. <see cref="Free"/> closes the port and ends the grant,
/// or keeps the page until the backend has unmapped it (as Linux defers gnttab_end_foreign_access).
/// </summary>
public sealed class GrantedPageChannel
{
    private readonly IGuestPlatform _guest;
    private readonly SharedPage _page;

    private GrantedPageChannel(IGuestPlatform guest, SharedPage page, EventChannel evtchn)
    {
        _guest = guest;
        _page = page;
        Evtchn = evtchn;
    }

    public uint Gref => _page.Gref;
    /// <summary>The page's frame number in the guest (what obsolete "page-ref" nodes carry).</summary>
    public ulong Pfn => _page.Page.Pfn;
    public int Port => Evtchn.Port;
    public EventChannel Evtchn { get; }
    public byte[] Array => _page.Array;
    public int Offset => _page.Offset;
    public Span<byte> Span => _page.Span;

    /// <summary>Grants a fresh page (read-write) to <paramref name="backendDomId"/> and allocates a port for it.</summary>
    public static GrantedPageChannel Create(IGuestPlatform guest, int backendDomId)
    {
        var page = guest.Gntshr.Share(backendDomId, 1, readOnly: false)[0];
        try
        {
            return new GrantedPageChannel(guest, page, guest.Evtchn.AllocUnbound(backendDomId));
        }
        catch
        {
            guest.Gntshr.Unshare(page);
            throw;
        }
    }

    /// <summary>Closes the port and ends the grant. False when the backend still maps the page: retry later with <see cref="TryEnd"/>.</summary>
    public bool Free()
    {
        Evtchn.Interrupt = null;
        Evtchn.Dispose();
        return TryEnd();
    }

    /// <summary>Ends the grant and frees the page unless the backend still maps it.</summary>
    public bool TryEnd()
    {
        if (_guest.Gntshr.IsInUse(_page)) return false;
        try { _guest.Gntshr.Unshare(_page); }
        catch (XenException e) when (e.Errno == XenErrno.ENOENT) { } // the grant went with the domain's table
        return true;
    }
}
