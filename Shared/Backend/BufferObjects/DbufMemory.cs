using XenDisplayWeb.Shared.Xen;
using XenDisplayWeb.Shared.Xen.DmaBuf;
using static XenDisplayWeb.Shared.Xen.XenErrno;

namespace XenDisplayWeb.Shared.Backend;

/// <summary>
/// How one guest device's dbufs are held and shown (displ_be's buffer handling over gntdev's dma-buf calls):
/// frontend-allocated dbufs are the guest's grefs exported as a buffer object, backend-allocated ones a local
/// buffer imported and granted to the guest. In zero-copy mode the sink reads the dbuf's pages in place; in
/// copy mode the backend copies the frame into its own buffer first (on SET_CONFIG and PG_FLIP) and the sink
/// reads that. DBUF_DESTROY waits for the buffer object's release before it answers.
/// </summary>
public sealed class DbufMemory(GntDmaBuf gntdev, Func<bool> zeroCopy, Func<TimeSpan> releaseTimeout, TimeProvider time)
{
    private const int MaxReleaseHistory = 16;
    private readonly List<ReleaseWait> _released = [];

    public GntDmaBuf Gntdev => gntdev;
    public bool ZeroCopy => zeroCopy();

    /// <summary>The latest release waits, newest last.</summary>
    public IReadOnlyList<ReleaseWait> ReleaseWaits { get { lock (_released) return [.. _released]; } }

    internal DmaBufExport Export(int domId, uint[] grefs) => gntdev.ExportFromRefs(domId, grefs, DmaBufFlags.WriteCombine, readOnly: true);

    internal DmaBufImport Allocate(int domId, int pages) => gntdev.ImportToRefs(domId, pages);

    /// <summary>
    /// Gives up the backend's reference, once (a second call does nothing): the guest's pages (export) are unmapped,
    /// or our pages (import) freed and their grants ended, once no frame is read from them.
    /// </summary>
    internal void Release(DisplayBuffer dbuf)
    {
        dbuf.BufferObject?.Close();
        if (dbuf.Import is { } import) ReleaseImport(import);
    }

    /// <summary>Gives up a backend-allocated buffer (once): its grants end once no reader holds it; pages the guest still maps are ended once it lets go (<see cref="GntDmaBuf.EndStillMapped"/>).</summary>
    internal void ReleaseImport(DmaBufImport import) => gntdev.ImportRelease(import.Fd);

    /// <summary>
    /// DBUF_DESTROY's wait (EXP_WAIT_RELEASED) after <see cref="Release"/>: 0 when released (or nothing to wait for),
    /// -ETIMEDOUT when a reader still holds the buffer object after the timeout. Blocks the calling ring thread.
    /// </summary>
    internal int WaitReleased(DisplayBuffer dbuf)
    {
        long start = time.GetTimestamp();
        int status = dbuf.BufferObject is { } bo
            ? gntdev.WaitReleasedAsync(bo.Fd, releaseTimeout()).GetAwaiter().GetResult()
            : 0;
        if (status == -ENOENT) status = 0; // released before we asked: not an error
        lock (_released)
        {
            _released.Add(new ReleaseWait(dbuf.Cookie, dbuf.LastScanout, time.GetElapsedTime(start), status));
            if (_released.Count > MaxReleaseHistory) _released.RemoveAt(0);
        }
        return status;
    }

    /// <summary>
    /// Shows <paramref name="fb"/> on <paramref name="sink"/>: in place, or from the backend's copy. Holds a
    /// reference on the dbuf while the sink reads, so a DBUF_DESTROY on another ring waits for it (export) or
    /// leaves the pages to this reader (import).
    /// </summary>
    internal void Show(Framebuffer fb, ScanoutConfig cfg, long frameSeq, IDisplaySink sink)
    {
        var dbuf = fb.Dbuf;
        if (!dbuf.Retain()) return; // destroyed under us: nothing to read any more
        try
        {
            if (zeroCopy())
            {
                dbuf.LastScanout = ScanoutMode.ZeroCopy;
                sink.ShowFrame(fb.View(cfg.X, cfg.Y, cfg.Width, cfg.Height, frameSeq));
                return;
            }
            lock (dbuf.CopyLock)
            {
                dbuf.LastScanout = ScanoutMode.Copy;
                var copy = ScanoutCopy.Copy(fb, cfg, frameSeq, dbuf);
                Interlocked.Add(ref dbuf._copied, (long)copy.Stride * copy.Height);
                sink.ShowFrame(copy);
            }
        }
        finally { dbuf.Release(); }
    }
}
