namespace XenDisplayWeb.Shared.Xen.DmaBuf;

/// <summary>
/// A local buffer whose pages are granted to a guest (gntdev's IMP_TO_REFS): whole pages from offset 0.
/// Ended with <see cref="GntDmaBuf.ImportRelease"/>.
/// </summary>
public sealed class DmaBufImport
{
    internal DmaBufImport(int fd, int domId, SharedPage[] pages)
    {
        Fd = fd;
        DomId = domId;
        SharedPages = pages;
        Grefs = Array.ConvertAll(pages, p => p.Gref);
        Pages = Array.ConvertAll(pages, p => (ReadOnlyMemory<byte>)p.Memory);
    }

    public int Fd { get; }
    public int DomId { get; }
    public uint[] Grefs { get; }
    public ReadOnlyMemory<byte>[] Pages { get; }
    internal SharedPage[] SharedPages { get; }
    public bool Released { get; internal set; }
}
