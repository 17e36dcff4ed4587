using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.Frontend;

/// <summary>
/// A shared buffer on the guest's side (xen_front_pgdir_shbuf): the page directory and, when the
/// frontend allocates, the data pages granted to the backend; with be-alloc, the backend's pages mapped.
/// </summary>
internal sealed class FrontBuffer
{
    private readonly IGuestPlatform _guest;
    private readonly int _backendDomId;
    private XenPage[] _dirPages;
    private XenPage[]? _dataPages;
    private GrantMapping[]? _mapped;
    private readonly List<(uint Gref, XenPage Page)> _grants = [];

    private FrontBuffer(IGuestPlatform guest, int backendDomId, ulong cookie, uint size, bool beAlloc, XenPage[] dirPages)
    {
        _guest = guest;
        _backendDomId = backendDomId;
        Cookie = cookie;
        Size = size;
        BeAlloc = beAlloc;
        _dirPages = dirPages;
        DataPageCount = PageDirectory.DataPageCount(size);
    }

    public ulong Cookie { get; }
    public uint Size { get; }
    public bool BeAlloc { get; }
    public int DataPageCount { get; }
    public uint[] DirGrefs { get; private set; } = [];
    public uint[] DataGrefs { get; private set; } = [];
    public uint GrefDirectory => DirGrefs[0];
    public int LiveGrants => _grants.Count;

    /// <summary>The buffer's bytes, contiguous as the guest kernel's vmap shows them.</summary>
    public Memory<byte> Memory { get; private set; }

    /// <summary>Frontend-allocated: data pages and directory, all granted to the backend read-write (as Linux does).</summary>
    public static FrontBuffer AllocateFrontend(IGuestPlatform guest, int backendDomId, ulong cookie, uint size)
    {
        int data = PageDirectory.DataPageCount(size);
        var buf = new FrontBuffer(guest, backendDomId, cookie, size, false, guest.Memory.AllocatePages(PageDirectory.DirectoryPageCount(data)));
        buf._dataPages = guest.Memory.AllocatePages(data);
        buf.DataGrefs = buf._dataPages.Select(buf.Grant).ToArray();
        buf.Memory = buf._dataPages[0].Array.AsMemory(buf._dataPages[0].Offset, data * XenPage.Size);
        buf.FillDirectory(buf.DataGrefs);
        return buf;
    }

    /// <summary>Backend-allocated: only the directory, its next links set; the backend fills in the grefs.</summary>
    public static FrontBuffer AllocateBackendDirectory(IGuestPlatform guest, int backendDomId, ulong cookie, uint size)
    {
        int data = PageDirectory.DataPageCount(size);
        var buf = new FrontBuffer(guest, backendDomId, cookie, size, true, guest.Memory.AllocatePages(PageDirectory.DirectoryPageCount(data)));
        buf.FillDirectory(null);
        return buf;
    }

    private uint Grant(XenPage page)
    {
        uint gref = _guest.Grants.GrantForeignAccess(_backendDomId, page, readOnly: false);
        _grants.Add((gref, page));
        return gref;
    }

    private void FillDirectory(uint[]? grefs)
    {
        DirGrefs = _dirPages.Select(Grant).ToArray();
        for (int d = 0; d < _dirPages.Length; d++)
        {
            uint next = d + 1 < _dirPages.Length ? DirGrefs[d + 1] : 0;
            int start = d * PageDirectory.GrefsPerPage;
            int count = grefs is null ? 0 : Math.Min(PageDirectory.GrefsPerPage, grefs.Length - start);
            PageDirectory.Write(_dirPages[d].Span, next, grefs is null ? default : grefs.AsSpan(start, count));
        }
    }

    /// <summary>With be-alloc, after DBUF_CREATE succeeded: read the backend's grefs and map its pages.</summary>
    public void MapBackendPages()
    {
        var grefs = new uint[DataPageCount];
        for (int d = 0; d < _dirPages.Length; d++)
        {
            int start = d * PageDirectory.GrefsPerPage;
            PageDirectory.ReadGrefs(_dirPages[d].Span, grefs.AsSpan(start, Math.Min(PageDirectory.GrefsPerPage, grefs.Length - start)));
        }
        DataGrefs = grefs;
        var maps = new GrantMapping[grefs.Length];
        int done = 0;
        try
        {
            for (; done < grefs.Length; done++) maps[done] = _guest.Gnttab.Map(_backendDomId, grefs[done], readOnly: false);
        }
        catch
        {
            for (int i = 0; i < done; i++) _guest.Gnttab.Unmap(maps[i]);
            throw;
        }
        _mapped = maps;
        Memory = Contiguous(maps);
    }

    private static Memory<byte> Contiguous(GrantMapping[] maps)
    {
        for (int i = 1; i < maps.Length; i++)
            if (maps[i].Array != maps[0].Array || maps[i].Offset != maps[0].Offset + i * XenPage.Size)
                throw new XenException(XenErrno.EINVAL, "the backend's pages are not one range: the simulated guest cannot vmap them");
        return maps[0].Array.AsMemory(maps[0].Offset, maps.Length * XenPage.Size);
    }

    /// <summary>With be-alloc: unmap the backend's pages (before DBUF_DESTROY, so the backend can free them).</summary>
    public void UnmapBackendPages()
    {
        if (_mapped is null) return;
        foreach (var m in _mapped) _guest.Gnttab.Unmap(m);
        _mapped = null;
        Memory = default;
    }

    /// <summary>Unmaps the backend's pages, if any, and hands every grant of this buffer to <paramref name="pending"/> to end.</summary>
    public void Release(PendingGrants pending)
    {
        UnmapBackendPages();
        foreach (var (gref, page) in _grants) pending.EndOrDefer(gref, page);
        _grants.Clear();
    }
}
