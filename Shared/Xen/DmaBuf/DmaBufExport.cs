namespace XenDisplayWeb.Shared.Xen.DmaBuf;

/// <summary>
/// A guest's grefs mapped and exported as one buffer object (gntdev's EXP_FROM_REFS): its pages are the
/// guest's pages, read in place. Reference counted: the exporter holds the first reference and gives it up
/// once (<see cref="Close"/>); whoever reads the pages beyond a call takes one (<see cref="Retain"/>) and gives
/// it back (<see cref="Release"/>). When the last reference goes, the grants are unmapped and waiters of
/// <see cref="GntDmaBuf.WaitReleasedAsync"/> wake.
/// </summary>
public sealed class DmaBufExport
{
    private readonly GntDmaBuf _owner;
    private readonly GrantMapping[] _maps;
    private int _refs = 1;
    private int _closed;

    internal DmaBufExport(GntDmaBuf owner, int fd, int domId, uint[] grefs, GrantMapping[] maps, DmaBufFlags flags)
    {
        _owner = owner;
        _maps = maps;
        Fd = fd;
        DomId = domId;
        Grefs = grefs;
        Flags = flags;
        Pages = Array.ConvertAll(maps, m => (ReadOnlyMemory<byte>)m.Memory);
    }

    /// <summary>The buffer object's handle (a dma-buf fd in Linux).</summary>
    public int Fd { get; }
    public int DomId { get; }
    public IReadOnlyList<uint> Grefs { get; }
    public DmaBufFlags Flags { get; }

    /// <summary>The guest's pages, in place. Valid while a reference is held.</summary>
    public ReadOnlyMemory<byte>[] Pages { get; }

    internal GrantMapping[] Mappings => _maps;

    public int References => Volatile.Read(ref _refs);
    public bool Released => References == 0;

    /// <summary>Grants this buffer object maps now (0 once released).</summary>
    public int MappedPages => _maps.Count(m => m.IsMapped);

    internal Task ReleasedTask => _released.Task;
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Takes a reference; false when the buffer object is already gone (do not read its pages).</summary>
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

    /// <summary>
    /// The exporter closes its handle (the dma-buf fd): drops the reference it holds. Only the first close does;
    /// a second finds nothing of the exporter's left and never takes a reader's. False when already closed.
    /// </summary>
    public bool Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return false;
        Release();
        return true;
    }

    /// <summary>Drops a reader's reference; the last one unmaps the guest's pages.</summary>
    public void Release()
    {
        int r = Interlocked.Decrement(ref _refs);
        if (r > 0) return;
        if (r < 0) { Interlocked.Increment(ref _refs); throw new InvalidOperationException($"buffer object {Fd} released more often than retained"); }
        _owner.Unmap(this, _maps);
        _released.TrySetResult();
    }
}
