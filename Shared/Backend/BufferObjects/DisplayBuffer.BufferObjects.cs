using XenDisplayWeb.Shared.Xen.DmaBuf;

namespace XenDisplayWeb.Shared.Backend;

/// <summary>How a shown frame reaches the sink: the guest's pages in place, or the backend's own copy.</summary>
public enum ScanoutMode { ZeroCopy, Copy }

public sealed partial class DisplayBuffer
{
    /// <summary>The buffer object of a frontend-allocated dbuf (the guest's grefs exported); null for be-alloc.</summary>
    public DmaBufExport? BufferObject { get; }

    /// <summary>The buffer object of a backend-allocated dbuf (a local buffer granted to the guest); null otherwise.</summary>
    public DmaBufImport? Import { get; }

    /// <summary>References on the buffer object now: the backend's own, plus one per frame being read.</summary>
    public int References => BufferObject?.References ?? Import!.References;

    /// <summary>
    /// A reader outside the ring thread takes a reference before it reads the pages; false when the dbuf is
    /// already released (read nothing). The pages stay until the last reference goes (<see cref="Release"/>).
    /// </summary>
    public bool Retain() => BufferObject?.Retain() ?? Import!.Retain();

    /// <summary>Gives a reader's reference back: the last one unmaps the guest's pages (export) or frees ours (import).</summary>
    public void Release()
    {
        if (BufferObject is { } bo) bo.Release();
        else Import!.Release();
    }

    /// <summary>How the last frame of this dbuf was shown; null before its first.</summary>
    public ScanoutMode? LastScanout { get; internal set; }

    /// <summary>Bytes copied into the backend's own buffer for this dbuf (copy mode).</summary>
    public long CopiedBytes => Interlocked.Read(ref _copied);

    internal long _copied;
    internal readonly object CopyLock = new();
    internal byte[]? CopyBuffer;
    internal ReadOnlyMemory<byte>[]? CopyPages;
}

/// <summary>A dbuf destroyed: how long DBUF_DESTROY waited for its buffer object's release, and the outcome.</summary>
public sealed record ReleaseWait(ulong Cookie, ScanoutMode? LastScanout, TimeSpan Waited, int Status);
