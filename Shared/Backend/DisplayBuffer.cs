using XenDisplayWeb.Shared.Pixels;
using XenDisplayWeb.Shared.Xen;
using XenDisplayWeb.Shared.Xen.DmaBuf;

namespace XenDisplayWeb.Shared.Backend;

/// <summary>A display buffer (dbuf) as the backend holds it: its pages mapped, or allocated and shared.</summary>
public sealed partial class DisplayBuffer
{
    /// <summary>A frontend-allocated dbuf: the guest's pages exported as one buffer object.</summary>
    internal DisplayBuffer(DbufParams p, uint[] directoryGrefs, uint[] dataGrefs, DmaBufExport export)
        : this(p, directoryGrefs, dataGrefs, export.Pages) => BufferObject = export;

    /// <summary>A backend-allocated dbuf: a local buffer imported and granted to the guest.</summary>
    internal DisplayBuffer(DbufParams p, uint[] directoryGrefs, DmaBufImport import)
        : this(p, directoryGrefs, import.Grefs, import.Pages) => Import = import;

    private DisplayBuffer(DbufParams p, uint[] directoryGrefs, uint[] dataGrefs, ReadOnlyMemory<byte>[] pages)
    {
        Cookie = p.Cookie;
        Width = p.Width;
        Height = p.Height;
        Bpp = p.Bpp;
        BufferSz = p.BufferSz;
        DataOfs = p.DataOfs;
        DirectoryGrefs = directoryGrefs;
        DataGrefs = dataGrefs;
        Pages = pages;
    }

    public ulong Cookie { get; }
    public uint Width { get; }
    public uint Height { get; }
    public uint Bpp { get; }
    public uint BufferSz { get; }
    public uint DataOfs { get; }
    public bool BackendAllocated => Import is not null;
    public uint[] DirectoryGrefs { get; }
    public uint[] DataGrefs { get; }
    internal SharedPage[]? Shared => Import?.SharedPages;
    public ReadOnlyMemory<byte>[] Pages { get; }

    /// <summary>Guest pages the backend maps for this dbuf right now (0 when it allocated the pages itself).</summary>
    public int MappedPages => BufferObject?.MappedPages ?? 0;

    /// <summary>Pitch of a row: from the dbuf's own width when it has one, else the framebuffer's (width 0: set at FB_ATTACH).</summary>
    public long PitchFor(uint fbWidth, int fbBpp) => Width != 0
        ? ((long)Width * Bpp + 7) / 8
        : ((long)fbWidth * fbBpp + 7) / 8;
}

internal readonly record struct DbufParams(ulong Cookie, uint Width, uint Height, uint Bpp, uint BufferSz, uint DataOfs);

/// <summary>A framebuffer attached to a dbuf (FB_ATTACH).</summary>
public sealed class Framebuffer(ulong cookie, DisplayBuffer dbuf, uint width, uint height, PixelFormat format)
{
    public ulong Cookie { get; } = cookie;
    public DisplayBuffer Dbuf { get; } = dbuf;
    public uint Width { get; } = width;
    public uint Height { get; } = height;
    public PixelFormat Format { get; } = format;
    public int Stride => (int)Dbuf.PitchFor(Width, PixelFormats.BitsPerPixel(Format));

    public ScanoutView View(int x, int y, int width, int height, long frameSeq) =>
        new(Dbuf.Pages, (int)Dbuf.DataOfs, Stride, width, height, Format, Cookie, x, y, frameSeq);
}
