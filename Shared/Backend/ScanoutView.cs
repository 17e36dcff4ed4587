using XenDisplayWeb.Shared.Pixels;

namespace XenDisplayWeb.Shared.Backend;

/// <summary>Which connector of which guest device.</summary>
public readonly record struct ConnectorKey(int DomId, int DevId, int Index)
{
    public override string ToString() => $"dom{DomId}/vdispl{DevId}/conn{Index}";
}

/// <summary>
/// A shown frame as the backend hands it to a display sink, without copying: the framebuffer's
/// pages in place (guest pages mapped through grants, or pages the backend allocated), where the
/// pixels start and how rows are laid out. Rows can straddle pages. Valid only during the call.
/// </summary>
public readonly struct ScanoutView
{
    public ScanoutView(ReadOnlyMemory<byte>[] pages, int dataOffset, int stride, int width, int height,
        PixelFormat format, ulong fbCookie, int x, int y, long frameSeq)
    {
        Pages = pages;
        DataOffset = dataOffset;
        Stride = stride;
        Width = width;
        Height = height;
        Format = format;
        FbCookie = fbCookie;
        X = x;
        Y = y;
        FrameSeq = frameSeq;
    }

    public ReadOnlyMemory<byte>[] Pages { get; }
    public int DataOffset { get; }
    public int Stride { get; }
    public int Width { get; }
    public int Height { get; }
    public PixelFormat Format { get; }
    public ulong FbCookie { get; }

    /// <summary>Where the picture sits on the connector (SET_CONFIG's x, y).</summary>
    public int X { get; }
    public int Y { get; }

    /// <summary>Counts frames shown on this connector since it connected.</summary>
    public long FrameSeq { get; }

    public int RowBytes => PixelFormats.MinPitch(Format, Width);

    /// <summary>Copies row <paramref name="y"/> (its <see cref="RowBytes"/> bytes) into <paramref name="destination"/>.</summary>
    public void CopyRow(int y, Span<byte> destination) => CopyBytes((long)DataOffset + (long)y * Stride, destination[..RowBytes]);

    /// <summary>
    /// The row in place when it lies within one page; otherwise copied into <paramref name="scratch"/>
    /// (at least <see cref="RowBytes"/> long) and returned from there.
    /// </summary>
    public ReadOnlySpan<byte> Row(int y, Span<byte> scratch)
    {
        long start = (long)DataOffset + (long)y * Stride;
        int page = (int)(start >> 12), ofs = (int)(start & 4095), len = RowBytes;
        if (ofs + len <= 4096) return Pages[page].Span.Slice(ofs, len);
        CopyBytes(start, scratch[..len]);
        return scratch[..len];
    }

    /// <summary>Copies the picture into a contiguous buffer with <paramref name="dstStride"/> bytes per row.</summary>
    public void CopyTo(Span<byte> destination, int dstStride)
    {
        int rowBytes = RowBytes;
        for (int y = 0; y < Height; y++) CopyRow(y, destination.Slice(y * dstStride, rowBytes));
    }

    private void CopyBytes(long start, Span<byte> destination)
    {
        int done = 0;
        while (done < destination.Length)
        {
            long at = start + done;
            int page = (int)(at >> 12), ofs = (int)(at & 4095);
            int n = Math.Min(4096 - ofs, destination.Length - done);
            Pages[page].Span.Slice(ofs, n).CopyTo(destination.Slice(done, n));
            done += n;
        }
    }
}

/// <summary>Receives what a connector shows. Called on the connector's ring thread: keep it quick.</summary>
public interface IDisplaySink : IDisposable
{
    /// <summary>A frame is shown (SET_CONFIG or PG_FLIP). The view is valid only during the call.</summary>
    void ShowFrame(in ScanoutView frame);

    /// <summary>The connector was reset (SET_CONFIG of zeros) or its guest went away: show nothing.</summary>
    void Blank();
}

/// <summary>Makes a sink for each connector the backend serves.</summary>
public interface IDisplaySinkFactory
{
    IDisplaySink Create(ConnectorKey connector, int width, int height);

    /// <summary>
    /// The guest's domain was destroyed: its connectors will not be asked for again (a later domain with its id is
    /// a new guest), so what the factory keeps for them goes once their sinks are disposed.
    /// </summary>
    void GuestGone(int domId) { }
}

/// <summary>A sink that shows nothing (benchmarks, tests).</summary>
public sealed class NullDisplaySink : IDisplaySink, IDisplaySinkFactory
{
    public static readonly NullDisplaySink Instance = new();
    public void ShowFrame(in ScanoutView frame) { }
    public void Blank() { }
    public void Dispose() { }
    public IDisplaySink Create(ConnectorKey connector, int width, int height) => this;
}
