namespace XenDisplayWeb.Shared.Xen;

/// <summary>A domain's memory, handed out one page at a time (as the balloon/page allocator would).</summary>
public sealed class GuestMemory(int domId, int maxPages)
{
    private readonly object _lock = new();
    private readonly HashSet<XenPage> _pages = [];
    private ulong _nextPfn = 0x1000;

    public int DomId { get; } = domId;
    public int MaxPages { get; } = maxPages;

    public int PageCount { get { lock (_lock) return _pages.Count; } }

    public XenPage AllocatePage()
    {
        lock (_lock)
        {
            if (_pages.Count >= MaxPages)
                throw new XenException(XenErrno.ENOMEM, $"domain {DomId} is out of memory ({MaxPages} pages)");
            // Skip a frame now and then so a buffer's frames are visibly not contiguous.
            _nextPfn += (_nextPfn & 7) == 5 ? 2UL : 1UL;
            var page = new XenPage(DomId, _nextPfn);
            _pages.Add(page);
            return page;
        }
    }

    public XenPage[] AllocatePages(int count)
    {
        var pages = new XenPage[count];
        for (int i = 0; i < count; i++) pages[i] = AllocatePage();
        return pages;
    }

    public void FreePage(XenPage page)
    {
        lock (_lock) _pages.Remove(page);
    }

    internal void FreeAll()
    {
        lock (_lock) _pages.Clear();
    }
}
