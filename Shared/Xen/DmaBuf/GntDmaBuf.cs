using static XenDisplayWeb.Shared.Xen.XenErrno;

namespace XenDisplayWeb.Shared.Xen.DmaBuf;

/// <summary>
/// The buffer-object side of gntdev (Linux's gntdev-dmabuf, successor of the xen-zcopy proposal): export a
/// guest's grefs as one buffer object without copying, wait for its release, import a local buffer by
/// granting its pages to a guest, and end an import. One per backend, as one open /dev/xen/gntdev. With a
/// <see cref="GrantPool"/>, every grant an import makes is taken from the pool first and given back when it is ended.
/// </summary>
public sealed class GntDmaBuf(IXenPlatform xen, TimeProvider? time = null, GrantPool? pool = null)
{
    private readonly object _lock = new();
    private readonly Dictionary<int, DmaBufExport> _exports = [];
    private readonly Dictionary<int, DmaBufImport> _imports = [];
    private readonly HashSet<SharedPage> _stillMapped = [];
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private int _nextFd = 3;

    public int LiveExports { get { lock (_lock) return _exports.Count; } }
    public int LiveImports { get { lock (_lock) return _imports.Count; } }

    /// <summary>The pool imports take their grants from; null: only dom0's grant table limits them.</summary>
    public GrantPool? Pool => pool;

    /// <summary>
    /// EXP_FROM_REFS: maps <paramref name="grefs"/> of <paramref name="domId"/> and exports them as one
    /// buffer object holding one reference. Throws <see cref="XenException"/>: EINVAL for both cache flags
    /// or no grefs; the mapping's error (nothing stays mapped) when a gref is not live for us.
    /// </summary>
    public DmaBufExport ExportFromRefs(int domId, ReadOnlySpan<uint> grefs, DmaBufFlags flags = DmaBufFlags.WriteCombine, bool readOnly = true)
    {
        if ((flags & DmaBufFlags.WriteCombine) != 0 && (flags & DmaBufFlags.Coherent) != 0)
            throw new XenException(EINVAL, "write-combine and coherent are exclusive");
        if (grefs.IsEmpty) throw new XenException(EINVAL, "no grefs to export");
        var maps = new GrantMapping[grefs.Length];
        int done = 0;
        try
        {
            for (; done < grefs.Length; done++) maps[done] = xen.Gnttab.Map(domId, grefs[done], readOnly);
        }
        catch (XenException e)
        {
            for (int i = 0; i < done; i++) xen.Gnttab.Unmap(maps[i]);
            throw new XenException(e.Errno, $"gref {done} of {grefs.Length}: {e.Message}");
        }
        lock (_lock)
        {
            var export = new DmaBufExport(this, _nextFd++, domId, grefs.ToArray(), maps, flags);
            _exports[export.Fd] = export;
            return export;
        }
    }

    /// <summary>
    /// EXP_WAIT_RELEASED: 0 once the last reference is gone and the grants are unmapped; -ETIMEDOUT when
    /// that takes longer than <paramref name="timeout"/>; -ENOENT when <paramref name="fd"/> is unknown or
    /// already released (not an error: there is nothing to wait for).
    /// </summary>
    public async Task<int> WaitReleasedAsync(int fd, TimeSpan timeout, CancellationToken ct = default)
    {
        Task released;
        lock (_lock)
        {
            if (!_exports.TryGetValue(fd, out var export)) return -ENOENT;
            released = export.ReleasedTask;
        }
        try
        {
            await released.WaitAsync(timeout, _time, ct).ConfigureAwait(false);
            return 0;
        }
        catch (TimeoutException) { return released.IsCompleted ? 0 : -ETIMEDOUT; }
    }

    internal void Unmap(DmaBufExport export, GrantMapping[] maps)
    {
        foreach (var m in maps) if (m.IsMapped) xen.Gnttab.Unmap(m);
        lock (_lock) _exports.Remove(export.Fd);
    }

    /// <summary>
    /// IMP_TO_REFS: allocates a local buffer of <paramref name="pageCount"/> whole pages (offset 0) and
    /// grants each to <paramref name="domId"/>. Throws <see cref="XenException"/>: ENOMEM when the guest is
    /// over its share of the pool or memory is short, ENOSPC when dom0's grant table is full.
    /// </summary>
    public DmaBufImport ImportToRefs(int domId, int pageCount, bool readOnly = false)
    {
        if (pageCount <= 0) throw new XenException(EINVAL, "an import needs at least one page");
        pool?.Take(domId, pageCount);
        SharedPage[] pages;
        try { pages = xen.Gntshr.Share(domId, pageCount, readOnly); }
        catch
        {
            pool?.Return(domId, pageCount);
            throw;
        }
        lock (_lock)
        {
            var import = new DmaBufImport(this, _nextFd++, domId, pages);
            _imports[import.Fd] = import;
            return import;
        }
    }

    /// <summary>
    /// IMP_RELEASE: gives up the importer's reference: 0, or -ENOENT when unknown or already released. The grants
    /// end and the pages are freed once no reader holds the buffer (<see cref="DmaBufImport.Retain"/>).
    /// </summary>
    public int ImportRelease(int fd)
    {
        DmaBufImport? import;
        lock (_lock)
            if (!_imports.Remove(fd, out import)) return -ENOENT;
        import.Close();
        return 0;
    }

    /// <summary>
    /// An import's last reference went: ends its grants and frees its pages. A page the guest still maps cannot
    /// be freed yet (the kernel defers it the same way): it is kept, still counted in the pool, until
    /// <see cref="EndStillMapped"/> finds the guest let go.
    /// </summary>
    internal void Unshare(DmaBufImport import)
    {
        int ended = 0;
        foreach (var p in import.SharedPages)
        {
            try
            {
                xen.Gntshr.Unshare(p);
                ended++;
            }
            catch (XenException)
            {
                lock (_lock) _stillMapped.Add(p);
            }
        }
        pool?.Return(import.DomId, ended);
    }

    /// <summary>Pages of released imports the guest still mapped: ended by <see cref="EndStillMapped"/> once it lets go.</summary>
    public int StillMappedPages { get { lock (_lock) return _stillMapped.Count; } }

    /// <summary>
    /// Ends the grants of released imports the guest no longer maps (or that went with its domain) and gives
    /// them back to the pool, each exactly once. Answers how many are still mapped.
    /// </summary>
    public int EndStillMapped()
    {
        lock (_lock)
        {
            _stillMapped.RemoveWhere(p =>
            {
                try { xen.Gntshr.Unshare(p); }
                catch (XenException e) when (e.Errno == EBUSY) { return false; }
                catch (XenException) { } // the grant is gone with its domain
                pool?.Return(p.GranteeDomId, 1);
                return true;
            });
            return _stillMapped.Count;
        }
    }
}
