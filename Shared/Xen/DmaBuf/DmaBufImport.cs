namespace XenDisplayWeb.Shared.Xen.DmaBuf;

/// <summary>
/// A local buffer whose pages are granted to a guest (gntdev's IMP_TO_REFS): whole pages from offset 0.
/// Reference counted like an export: the importer holds the first reference and gives it up with
/// <see cref="GntDmaBuf.ImportRelease"/>; whoever reads the pages beyond a call takes one (<see cref="Retain"/>)
/// and gives it back (<see cref="Release"/>). When the last reference goes, the grants end and the pages are freed.
/// </summary>
public sealed class DmaBufImport
{
    private readonly GntDmaBuf _owner;
    private int _refs = 1;

    internal DmaBufImport(GntDmaBuf owner, int fd, int domId, SharedPage[] pages)
    {
        _owner = owner;
        Fd = fd;
        DomId = domId;
        SharedPages = pages;
        Grefs = Array.ConvertAll(pages, p => p.Gref);
        Pages = Array.ConvertAll(pages, p => (ReadOnlyMemory<byte>)p.Memory);
    }

    public int Fd { get; }
    public int DomId { get; }
    public uint[] Grefs { get; }

    /// <summary>The buffer's pages. Valid while a reference is held.</summary>
    public ReadOnlyMemory<byte>[] Pages { get; }
    internal SharedPage[] SharedPages { get; }

    public int References => Volatile.Read(ref _refs);

    /// <summary>Whether the grants have ended and the pages are freed (or handed on while the guest still maps them).</summary>
    public bool Released => References == 0;

    /// <summary>Takes a reference; false when the buffer is already gone (do not read its pages).</summary>
    public bool Retain()
    {
        int r;
        do
        {
            r = Volatile.Read(ref _refs);
            if (r == 0) return false;
        } while (Interlocked.CompareExchange(ref _refs, r + 1, r) != r);
        return true;
    }

    /// <summary>Drops a reader's reference; the last one ends the grants and frees the pages.</summary>
    public void Release()
    {
        int r = Interlocked.Decrement(ref _refs);
        if (r > 0) return;
        if (r < 0) { Interlocked.Increment(ref _refs); throw new InvalidOperationException($"import {Fd} released more often than retained"); }
        _owner.Unshare(this);
    }

    /// <summary>IMP_RELEASE, once (the owner took the fd out of its table): the importer's reference goes; the pages once no reader holds them.</summary>
    internal void Close() => Release();
}
