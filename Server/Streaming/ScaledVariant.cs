using XenDisplayWeb.Shared.Backend;
using XenDisplayWeb.Shared.Pixels;

namespace XenDisplayWeb.Server.Streaming;

/// <summary>
/// A connector's picture at one smaller size, for every viewer that watches at that size: the scaled picture
/// (kept whole, in 4 KiB pages as a guest's buffer would be) and its own <see cref="ConnectorStream"/>, fed
/// that picture, so damage, codec choice, shared encodes and flow control work as at full size.
/// </summary>
internal sealed class ScaledVariant : IDisposable
{
    private const int Page = 4096;

    private readonly BoxScaler _scaler;
    private readonly byte[] _picture;
    private readonly ReadOnlyMemory<byte>[] _pages;
    private bool[] _pending = [];
    private bool _all = true;

    public ScaledVariant(int sourceWidth, int sourceHeight, int width, int height, ConnectorStream stream)
    {
        _scaler = new BoxScaler(sourceWidth, sourceHeight, width, height);
        _picture = new byte[((long)width * height * 4 + Page - 1) / Page * Page];
        _pages = new ReadOnlyMemory<byte>[_picture.Length / Page];
        for (int p = 0; p < _pages.Length; p++) _pages[p] = _picture.AsMemory(p * Page, Page);
        Stream = stream;
        stream.Attach(width, height);
    }

    public ConnectorStream Stream { get; }
    public int Width => _scaler.Width;
    public int Height => _scaler.Height;
    public int SourceWidth => _scaler.SourceWidth;
    public int SourceHeight => _scaler.SourceHeight;

    /// <summary>Source tiles changed since the last feed (the whole picture after a start or a blank).</summary>
    public void AddDamage(ReadOnlySpan<bool> dirty)
    {
        if (_all) return;
        if (_pending.Length != dirty.Length) { _all = true; return; }
        for (int t = 0; t < dirty.Length; t++) _pending[t] |= dirty[t];
    }

    public void Blank()
    {
        _all = true;
        Stream.Blank();
    }

    /// <summary>Scales what changed in <paramref name="source"/> since the last feed and shows it to the variant's stream.</summary>
    public void Feed(byte[] source, TileGrid grid, long guestFrame)
    {
        if (_all)
        {
            _scaler.Scale(source, _picture, new PixelRect(0, 0, Width, Height));
            _pending = new bool[grid.Count];
            _all = false;
        }
        else
        {
            if (Array.IndexOf(_pending, true) < 0) return;
            foreach (var r in DamageMerger.Merge(grid, _pending, Math.Max(grid.Columns, grid.Rows)))
                _scaler.Scale(source, _picture, _scaler.Covering(r));
            Array.Clear(_pending);
        }
        Stream.Show(new ScanoutView(_pages, 0, Width * 4, Width, Height, PixelFormat.Xrgb8888, 0, 0, 0, guestFrame));
    }

    public void Dispose() => Stream.Dispose();
}
