using XenDisplayWeb.Shared.Backend;
using XenDisplayWeb.Shared.Pixels;

namespace XenDisplayWeb.Server.Streaming;

/// <summary>What the encoder took from the inbox.</summary>
internal readonly record struct InboxTake(int Width, int Height, bool Blank, bool Reset, int DirtyTiles, long GuestFrame, int FramesWithDamage, long FramesShown);

/// <summary>
/// The ring thread's side of a stream: the latest picture (BGRX, tightly packed) and the tiles that
/// changed since the encoder last took them. <see cref="Show"/> compares the guest's frame with the
/// picture tile row by tile row and copies only what differs; nothing here waits for the encoder
/// longer than it takes to copy the dirty tiles out.
/// </summary>
internal sealed class FrameInbox(int tileSize)
{
    private readonly object _lock = new();
    private byte[] _pixels = [];
    private TileGrid _grid = new(0, 0, tileSize);
    private bool[] _dirty = [];
    private bool[] _dirtyThisFrame = [];
    private byte[] _rowScratch = [];
    private byte[] _segmentScratch = new byte[tileSize * 4];
    private bool _blank = true, _reset, _everShown;
    private int _framesWithDamage;
    private long _guestFrame, _framesShown;

    public void Show(in ScanoutView f)
    {
        lock (_lock)
        {
            _framesShown++;
            _guestFrame = f.FrameSeq;
            if (f.Width != _grid.Width || f.Height != _grid.Height || _pixels.Length == 0)
            {
                _grid = new TileGrid(f.Width, f.Height, tileSize);
                _pixels = new byte[checked(f.Width * f.Height * 4)];
                _dirty = new bool[_grid.Count];
                _dirtyThisFrame = new bool[_grid.Count];
                _reset = true;
            }
            if (_blank) _reset = true;
            _blank = false;
            _everShown = true;
            Array.Clear(_dirtyThisFrame);
            // A pending reset marks every tile dirty when the encoder takes it (see Take).
            if (CompareAndCopy(f) | _reset) _framesWithDamage++;
        }
    }

    public void Blank()
    {
        lock (_lock) _blank = true;
    }

    /// <summary>Copies the dirty tiles into <paramref name="picture"/> (resized as needed) and marks them in <paramref name="dirty"/>.</summary>
    public InboxTake Take(ref byte[] picture, ref bool[] dirty)
    {
        lock (_lock)
        {
            if (_blank || !_everShown)
                return new InboxTake(_grid.Width, _grid.Height, true, false, 0, _guestFrame, 0, _framesShown);
            bool reset = _reset;
            if (picture.Length != _pixels.Length) { picture = new byte[_pixels.Length]; reset = true; }
            if (dirty.Length != _grid.Count) dirty = new bool[_grid.Count];
            Array.Clear(dirty);
            if (reset) Array.Fill(_dirty, true);
            int stride = _grid.Width * 4, cols = _grid.Columns, count = 0;
            for (int row = 0; row < _grid.Rows; row++)
            {
                // Each run of dirty tiles in the tile row is copied a pixel row at a time (the whole
                // picture in one go when everything changed).
                int c = 0;
                while (c < cols)
                {
                    if (!_dirty[row * cols + c]) { c++; continue; }
                    int first = c;
                    while (c < cols && _dirty[row * cols + c]) c++;
                    var r = _grid.Pixels(first, row, c - first, 1);
                    bool wholeRows = r.X == 0 && r.W == _grid.Width;
                    if (wholeRows) _pixels.AsSpan(r.Y * stride, r.H * stride).CopyTo(picture.AsSpan(r.Y * stride));
                    else
                        for (int y = r.Y; y < r.Y + r.H; y++)
                            _pixels.AsSpan(y * stride + r.X * 4, r.W * 4).CopyTo(picture.AsSpan(y * stride + r.X * 4));
                    for (int t = row * cols + first; t < row * cols + c; t++) { dirty[t] = true; _dirty[t] = false; }
                    count += c - first;
                }
            }
            var take = new InboxTake(_grid.Width, _grid.Height, false, reset, count, _guestFrame, _framesWithDamage, _framesShown);
            _framesWithDamage = 0;
            _reset = false;
            return take;
        }
    }

    /// <summary>A copy of the current picture; null when blank or never shown.</summary>
    public (byte[] Pixels, int Width, int Height)? Snapshot()
    {
        lock (_lock)
            return _blank || !_everShown ? null : ((byte[])_pixels.Clone(), _grid.Width, _grid.Height);
    }

    public long FramesShown { get { lock (_lock) return _framesShown; } }

    /// <summary>The size of the last frame shown (0x0 before any).</summary>
    public (int Width, int Height) Size { get { lock (_lock) return (_grid.Width, _grid.Height); } }

    /// <summary>Compares the frame with the picture tile segment by segment; copies what differs. True if anything did.</summary>
    private bool CompareAndCopy(in ScanoutView f)
    {
        int width = f.Width, cols = _grid.Columns, stride = width * 4;
        bool direct = f.Format is PixelFormat.Xrgb8888 or PixelFormat.Argb8888;
        if (!direct && _rowScratch.Length < stride + f.RowBytes) _rowScratch = new byte[stride + f.RowBytes];
        bool any = false;
        for (int y = 0; y < f.Height; y++)
        {
            int tileRow = y / tileSize;
            long rowStart = (long)f.DataOffset + (long)y * f.Stride;
            ReadOnlySpan<byte> converted = default;
            if (!direct)
            {
                var raw = f.Row(y, _rowScratch.AsSpan(stride));
                PixelConverter.ToBgra(f.Format, raw, _rowScratch.AsSpan(0, stride), width);
                converted = _rowScratch.AsSpan(0, stride);
            }
            var dstRow = _pixels.AsSpan(y * stride, stride);
            // A still row (most of a desktop) is found equal in one compare per page it spans, not one per tile.
            if (direct && !_dirtyThisFrame.AsSpan(tileRow * cols, cols).Contains(true) && RowEqual(f.Pages, rowStart, dstRow)) continue;
            for (int c = 0; c < cols; c++)
            {
                int x0 = c * tileSize, n = Math.Min(tileSize, width - x0) * 4;
                var src = direct ? Segment(f.Pages, rowStart + x0 * 4L, n) : converted.Slice(x0 * 4, n);
                var dst = dstRow.Slice(x0 * 4, n);
                int t = tileRow * cols + c;
                if (_dirtyThisFrame[t]) { src.CopyTo(dst); continue; }
                if (src.SequenceEqual(dst)) continue;
                src.CopyTo(dst);
                _dirtyThisFrame[t] = true;
                _dirty[t] = true;
                any = true;
            }
        }
        return any;
    }

    /// <summary>Whether the paged view's bytes from <paramref name="at"/> equal <paramref name="row"/>, compared page by page.</summary>
    private static bool RowEqual(ReadOnlyMemory<byte>[] pages, long at, ReadOnlySpan<byte> row)
    {
        while (!row.IsEmpty)
        {
            int page = (int)(at >> 12), ofs = (int)(at & 4095), n = Math.Min(4096 - ofs, row.Length);
            if (!pages[page].Span.Slice(ofs, n).SequenceEqual(row[..n])) return false;
            row = row[n..];
            at += n;
        }
        return true;
    }

    /// <summary>Bytes at <paramref name="at"/> of the paged view: in place when within a page, else gathered into scratch.</summary>
    private ReadOnlySpan<byte> Segment(ReadOnlyMemory<byte>[] pages, long at, int length)
    {
        int page = (int)(at >> 12), ofs = (int)(at & 4095);
        if (ofs + length <= 4096) return pages[page].Span.Slice(ofs, length);
        int first = 4096 - ofs;
        pages[page].Span.Slice(ofs, first).CopyTo(_segmentScratch);
        pages[page + 1].Span[..(length - first)].CopyTo(_segmentScratch.AsSpan(first));
        return _segmentScratch.AsSpan(0, length);
    }
}
