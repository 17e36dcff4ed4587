using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Host;

namespace XenDisplayWeb.Fuzzing;

/// <summary>
/// Page directories a guest grants once and names in many DBUF_CREATEs: a small one and one of 4 MiB. A
/// gref may be mapped by several dbufs at once, so creates on every connector can share them, and a few
/// large ones reach a guest's limits quickly. Under be-alloc the backend writes its own grefs into them.
/// </summary>
internal sealed class GuestPages
{
    public const int SmallPages = 8;
    public const int LargePages = 1024;

    private GuestPages(uint small, uint large)
    {
        SmallDirectory = small;
        LargeDirectory = large;
    }

    public uint SmallDirectory { get; }
    public uint LargeDirectory { get; }

    public static GuestPages Grant(GuestConsole console, int domId, bool beAlloc) =>
        new(Directory(console, domId, SmallPages, beAlloc), Directory(console, domId, LargePages, beAlloc));

    /// <summary>Grants the directory chain (and the data pages unless the backend allocates them); returns the first directory gref.</summary>
    private static uint Directory(GuestConsole console, int domId, int pages, bool beAlloc)
    {
        var data = beAlloc ? new uint[pages] : Enumerable.Range(0, pages).Select(_ => console.GrantPage(domId, [], readOnly: false)).ToArray();
        var dirs = Enumerable.Range(0, PageDirectory.DirectoryPageCount(pages)).Select(_ => console.GrantPage(domId, [], readOnly: false)).ToArray();
        var page = new byte[PageDirectory.PageSize];
        for (int d = 0; d < dirs.Length; d++)
        {
            Array.Clear(page);
            var grefs = data.AsSpan(d * PageDirectory.GrefsPerPage, Math.Min(PageDirectory.GrefsPerPage, pages - d * PageDirectory.GrefsPerPage));
            PageDirectory.Write(page, d + 1 < dirs.Length ? dirs[d + 1] : 0, grefs);
            console.WritePage(domId, dirs[d], page);
        }
        return dirs[0];
    }
}
