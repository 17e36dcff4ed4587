using System.Runtime.InteropServices;

namespace XenDisplayWeb.Shared.Workloads;

/// <summary>
/// Clipped solid-fill drawing onto an XRGB8888 buffer. Colours are 0xRRGGBB. Coordinates are local to the canvas's
/// origin (the frame's (0,0) unless <see cref="Translate"/>d), and so is <see cref="Clip"/>.
/// </summary>
internal readonly ref struct Canvas
{
    private readonly Span<byte> _pixels;
    private readonly int _stride;
    private readonly Rect _clip; // in frame coordinates
    private readonly int _ox, _oy;

    public Canvas(in FrameTarget target, Rect clip)
    {
        _pixels = target.Pixels;
        _stride = target.Stride;
        _clip = clip.Intersect(new Rect(0, 0, target.Width, target.Height));
    }

    private Canvas(Span<byte> pixels, int stride, Rect clip, int ox, int oy)
    {
        _pixels = pixels;
        _stride = stride;
        _clip = clip;
        _ox = ox;
        _oy = oy;
    }

    /// <summary>Only pixels inside this rectangle are written.</summary>
    public Rect Clip => _clip.Offset(-_ox, -_oy);

    /// <summary>A canvas whose clip is narrowed to <paramref name="r"/>.</summary>
    public Canvas WithClip(Rect r) => new(_pixels, _stride, _clip.Intersect(r.Offset(_ox, _oy)), _ox, _oy);

    /// <summary>The same canvas with its origin moved by (<paramref name="dx"/>, <paramref name="dy"/>): what was drawn at (x, y) lands at (x + dx, y + dy).</summary>
    public Canvas Translate(int dx, int dy) => new(_pixels, _stride, _clip, _ox + dx, _oy + dy);

    public bool Touches(Rect r) => Clip.Intersects(r);

    public void Fill(Rect r, uint rgb) => Fill(r.X, r.Y, r.Width, r.Height, rgb);

    public void Fill(int x, int y, int width, int height, uint rgb)
    {
        Rect r = new Rect(x + _ox, y + _oy, width, height).Intersect(_clip);
        if (r.IsEmpty)
            return;
        uint px = Xrgb.Pack(rgb);
        int byteLen = r.Width * FrameTarget.BytesPerPixel;
        int offset = r.Y * _stride + r.X * FrameTarget.BytesPerPixel;
        for (int row = 0; row < r.Height; row++, offset += _stride)
            MemoryMarshal.Cast<byte, uint>(_pixels.Slice(offset, byteLen)).Fill(px);
    }

    /// <summary>Pixels <c>[x0, x1)</c> of row <paramref name="y"/> after clipping (possibly empty); <paramref name="x0"/> is updated to the first returned x.</summary>
    public Span<uint> RowSpan(int y, ref int x0, int x1)
    {
        Rect clip = Clip;
        if (y < clip.Y || y >= clip.Bottom)
            return default;
        int a = Math.Max(x0, clip.X), b = Math.Min(x1, clip.Right);
        x0 = a;
        if (b <= a)
            return default;
        return MemoryMarshal.Cast<byte, uint>(_pixels.Slice((y + _oy) * _stride + (a + _ox) * FrameTarget.BytesPerPixel, (b - a) * FrameTarget.BytesPerPixel));
    }
}
