using XenDisplayWeb.Shared.Pixels;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.Backend;

/// <summary>
/// Copy mode: the shown area of a framebuffer copied out of the dbuf's pages into the backend's own buffer,
/// at the tightest stride; in one pass per page when the strides agree, else row by row (as displ_be copies
/// between buffers of different pitch).
/// </summary>
internal static class ScanoutCopy
{
    private const int Page = XenPage.Size;

    /// <summary>Copies under <see cref="DisplayBuffer.CopyLock"/>; the view it returns reads the copy.</summary>
    public static ScanoutView Copy(Framebuffer fb, ScanoutConfig cfg, long frameSeq, DisplayBuffer dbuf)
    {
        var source = fb.View(cfg.X, cfg.Y, cfg.Width, cfg.Height, frameSeq);
        int dstStride = PixelFormats.MinPitch(fb.Format, cfg.Width);
        int bytes = dstStride * cfg.Height;
        int pages = (bytes + Page - 1) / Page;
        if (dbuf.CopyBuffer is null || dbuf.CopyBuffer.Length < pages * Page)
        {
            dbuf.CopyBuffer = GC.AllocateUninitializedArray<byte>(pages * Page, pinned: true);
            dbuf.CopyPages = Enumerable.Range(0, pages).Select(i => (ReadOnlyMemory<byte>)dbuf.CopyBuffer.AsMemory(i * Page, Page)).ToArray();
        }
        var dst = dbuf.CopyBuffer.AsSpan(0, bytes);
        if (source.Stride == dstStride) CopyRun(source.Pages, source.DataOffset, dst);
        else for (int y = 0; y < cfg.Height; y++) source.CopyRow(y, dst.Slice(y * dstStride, dstStride));
        return new ScanoutView(dbuf.CopyPages!, 0, dstStride, cfg.Width, cfg.Height, fb.Format, fb.Cookie, cfg.X, cfg.Y, frameSeq);
    }

    /// <summary>A contiguous run of bytes from pages that are not contiguous: one copy per page.</summary>
    private static void CopyRun(ReadOnlyMemory<byte>[] pages, long start, Span<byte> dst)
    {
        int done = 0;
        while (done < dst.Length)
        {
            long at = start + done;
            int page = (int)(at >> XenPage.Shift), ofs = (int)(at & (Page - 1));
            int n = Math.Min(Page - ofs, dst.Length - done);
            pages[page].Span.Slice(ofs, n).CopyTo(dst.Slice(done, n));
            done += n;
        }
    }
}
