using System.Runtime.InteropServices;

namespace XenDisplayWeb.Shared.Workloads;

/// <summary>Clipped solid-fill drawing onto an XRGB8888 buffer. Colours are 0xRRGGBB.</summary>
internal readonly ref struct Canvas
{
    private readonly Span<byte> _pixels;
    private readonly int _stride;

    public Canvas(in FrameTarget target, Rect clip)
    {
        _pixels = target.Pixels;
        _stride = target.Stride;
        Clip = clip.Intersect(new Rect(0, 0, target.Width, target.Height));
    }

    private Canvas(Span<byte> pixels, int stride, Rect clip)
    {
        _pixels = pixels;
        _stride = stride;
        Clip = clip;
    }

    /// <summary>Only pixels inside this rectangle are written.</summary>
    public Rect Clip { get; }

    /// <summary>A canvas whose clip is narrowed to <paramref name="r"/>.</summary>
    public Canvas WithClip(Rect r) => new(_pixels, _stride, Clip.Intersect(r));

    public bool Touches(Rect r) => Clip.Intersects(r);

    public void Fill(Rect r, uint rgb) => Fill(r.X, r.Y, r.Width, r.Height, rgb);

    public void Fill(int x, int y, int width, int height, uint rgb)
    {
        Rect r = new Rect(x, y, width, height).Intersect(Clip);
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
        if (y < Clip.Y || y >= Clip.Bottom)
            return default;
        int a = Math.Max(x0, Clip.X), b = Math.Min(x1, Clip.Right);
        x0 = a;
        if (b <= a)
            return default;
        return MemoryMarshal.Cast<byte, uint>(_pixels.Slice(y * _stride + a * FrameTarget.BytesPerPixel, (b - a) * FrameTarget.BytesPerPixel));
    }
}
