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
    public int References => BufferObject?.References ?? (Import is { Released: false } ? 1 : 0);

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
