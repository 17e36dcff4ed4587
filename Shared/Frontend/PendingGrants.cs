using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.Frontend;

/// <summary>
/// Grants the guest is done with. Each is ended and its page freed at once, unless the backend still
/// maps it: then it waits here and is retried later, as Linux defers gnttab_end_foreign_access.
/// Not thread-safe: the frontend uses it under its state lock.
/// </summary>
internal sealed class PendingGrants(IGuestPlatform guest)
{
    private readonly List<(uint Gref, XenPage Page)> _pending = [];

    public int Count => _pending.Count;

    public void EndOrDefer(uint gref, XenPage page)
    {
        if (!TryEnd(gref, page)) _pending.Add((gref, page));
    }

    public void Retry() => _pending.RemoveAll(p => TryEnd(p.Gref, p.Page));

    private bool TryEnd(uint gref, XenPage page)
    {
        // A grant that is no longer live went with its domain's grant table: only the page is left to free.
        if (!guest.Grants.TryEndForeignAccess(gref) && guest.Grants.PageOf(gref) is not null) return false;
        guest.Memory.FreePage(page);
        return true;
    }
}
