using System.Numerics;
using System.Runtime.InteropServices;
using XenDisplayWeb.Shared.Workloads.Input;

namespace XenDisplayWeb.Shared.Workloads;

/// <summary>
/// A scrolling plasma-like gradient in which every pixel changes every frame.
/// </summary>
/// <remarks>
/// Pixel bytes are the byte-wise (mod 256) sum of a column term, a row term and a frame term:
/// blue and green come from a 256-periodic column pattern scrolled sideways and a row pattern scrolled
/// vertically; red is a row term plus <c>5*frameSeq</c>, so every pixel's red changes every frame.
/// Per row this is one vector byte-add of a precomputed column table against a broadcast row word.
/// The wheel scrolls the pattern: each notch of kbdif's rel_z moves it up by <see cref="WheelPixelsPerNotch"/> rows
/// (a negative rel_z down), as a page moves when it is scrolled on: row y then shows what row
/// y + <see cref="WheelPixelsPerNotch"/> showed.
/// </remarks>
internal sealed class MotionRenderer : RendererBase
{
    internal const int WheelPixelsPerNotch = 24;
    private const int Period = 256;
    private readonly uint[] _columns; // Period + width entries, entry i = pattern(i mod Period)
    private readonly uint[] _rows;    // Period entries of scrolled row terms (blue, green)
    private readonly byte[] _rowRed;  // Period entries of the static red row term
    private int _wheelRows;           // how far the wheel scrolled the pattern, mod Period

    public MotionRenderer(int width, int height) : base(WorkloadRenderers.Motion, width, height)
    {
        Span<byte> wave = stackalloc byte[Period];
        for (int i = 0; i < Period; i++)
            wave[i] = (byte)Math.Round(127.5 + 127.5 * Math.Sin(i * (2 * Math.PI / Period)));

        _columns = new uint[Period + width];
        for (int i = 0; i < _columns.Length; i++)
        {
            int k = i % Period;
            _columns[i] = Xrgb.FromBytes(wave[k], (byte)(wave[(k * 2 + 64) % Period] >> 1), 0, 0xFF);
        }
        _rows = new uint[Period];
        _rowRed = new byte[Period];
        for (int i = 0; i < Period; i++)
        {
            _rows[i] = Xrgb.FromBytes((byte)(wave[(i + 32) % Period] >> 1), wave[(i * 3) % Period], 0, 0);
            _rowRed[i] = (byte)(wave[(i * 2) % Period] >> 1);
        }
    }

    protected override bool Incremental => false;

    protected override void Draw(Canvas canvas, uint frameSeq)
    {
        Rect clip = canvas.Clip;
        int shiftX = (int)(frameSeq * 3 % Period);
        uint scrollY = frameSeq * 2;
        byte red = (byte)(frameSeq * 5);
        ReadOnlySpan<uint> columns = _columns.AsSpan(shiftX + clip.X, clip.Width);
        for (int y = clip.Y; y < clip.Bottom; y++)
        {
            int x0 = clip.X;
            Span<uint> row = canvas.RowSpan(y, ref x0, clip.Right);
            int py = (y + _wheelRows) % Period;
            int ry = (int)(((uint)py + scrollY) % Period);
            uint add = Xrgb.AddBytes(_rows[ry], Xrgb.FromBytes(0, 0, (byte)(_rowRed[py] + red), 0));
            AddRow(columns, row, add);
        }
    }

    protected override void OnInput(in InputFrame input)
    {
        foreach (ref readonly InputAction a in input.Actions)
        {
            if (a.Kind == InputActionKind.Wheel)
                _wheelRows = (int)(((_wheelRows + (long)a.Delta * WheelPixelsPerNotch) % Period + Period) % Period);
        }
    }

    private static void AddRow(ReadOnlySpan<uint> src, Span<uint> dst, uint add)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && dst.Length >= Vector<uint>.Count)
        {
            Vector<byte> addV = Vector.AsVectorByte(new Vector<uint>(add));
            ref uint s = ref MemoryMarshal.GetReference(src);
            ref uint d = ref MemoryMarshal.GetReference(dst);
            int last = dst.Length - Vector<uint>.Count;
            for (; i <= last; i += Vector<uint>.Count)
            {
                Vector<byte> v = Vector.AsVectorByte(Vector.LoadUnsafe(ref s, (nuint)i)) + addV;
                Vector.AsVectorUInt32(v).StoreUnsafe(ref d, (nuint)i);
            }
        }
        for (; i < dst.Length; i++)
            dst[i] = Xrgb.AddBytes(src[i], add);
    }
}
