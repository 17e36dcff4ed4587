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

    public XenPage AllocatePage() => AllocatePages(1)[0];

    /// <summary>
    /// Allocates <paramref name="count"/> zeroed pages, adjacent in this process (a vmap'd range) but
    /// with scattered frame numbers, as a guest kernel's pages are.
    /// </summary>
    public XenPage[] AllocatePages(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_lock)
        {
            if (_pages.Count + count > MaxPages)
                throw new XenException(XenErrno.ENOMEM, $"domain {DomId} is out of memory ({MaxPages} pages)");
            var block = GC.AllocateArray<byte>(count * XenPage.Size, pinned: true);
            var pages = new XenPage[count];
            for (int i = 0; i < count; i++)
            {
                _nextPfn += (_nextPfn & 7) == 5 ? 3UL : 1UL; // skip frames now and then: not contiguous
                pages[i] = new XenPage(DomId, _nextPfn, block, i * XenPage.Size);
                _pages.Add(pages[i]);
            }
            return pages;
        }
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
