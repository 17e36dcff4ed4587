using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace XenDisplayWeb.Shared.Workloads;

/// <summary>
/// Common frame logic: size check, optional per-buffer damage tracking, and the measurement strip.
/// </summary>
/// <remarks>
/// Incremental renderers describe their scene with <see cref="Draw"/> (paint everything inside the canvas clip)
/// and <see cref="GetDirtyRects"/> (where frames <c>from</c> and <c>to</c> can differ). For each buffer the base
/// remembers the frame it last completed there; the buffer is identified by <see cref="FrameTarget.BufferIndex"/>,
/// its address, stride and length, and the remembered frame is trusted only if the strip in the buffer still
/// reads exactly as stamped. Otherwise the whole frame is painted.
/// </remarks>
internal abstract class RendererBase : IWorkloadRenderer
{
    /// <summary>Upper bound on what <see cref="GetDirtyRects"/> may return.</summary>
    protected const int MaxDirtyRects = 16;

    private const int SlotCount = 4;
    private readonly BufferSlot[] _slots = new BufferSlot[SlotCount];
    private long _clock;

    protected RendererBase(string name, int width, int height)
    {
        Name = name;
        Width = width;
        Height = height;
    }

    public string Name { get; }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Whether to track buffers and repaint only dirty regions.</summary>
    protected virtual bool Incremental => true;

    protected Rect Bounds => new(0, 0, Width, Height);

    /// <summary>Frames painted completely (diagnostics).</summary>
    internal long FullRepaints { get; private set; }

    /// <summary>Frames painted from buffer history by repainting dirty regions only (diagnostics).</summary>
    internal long PartialRepaints { get; private set; }

    public void Render(in FrameTarget target, uint frameSeq, long timeMs)
    {
        if (target.Width != Width || target.Height != Height)
            throw new ArgumentException($"Target is {target.Width}x{target.Height} but the '{Name}' renderer was created for {Width}x{Height}.", nameof(target));
        uint timeLow = unchecked((uint)timeMs);

        if (!Incremental)
        {
            FullRepaints++;
            Draw(new Canvas(target, Bounds), frameSeq);
            MeasurementStrip.Stamp(target, frameSeq, timeLow);
            return;
        }

        nint address = AddressOf(target.Pixels);
        int length = target.Pixels.Length;
        int slot = FindSlot(address, length, target.Stride, target.BufferIndex);
        Span<Rect> dirty = stackalloc Rect[MaxDirtyRects];
        int count = -1;
        if (slot >= 0 && MeasurementStrip.Matches(target, _slots[slot].FrameSeq, _slots[slot].TimeLow32))
            count = GetDirtyRects(_slots[slot].FrameSeq, frameSeq, dirty);
        slot = ClaimSlot(address, length, slot);

        // Until this frame is complete the buffer's content is unknown.
        _slots[slot] = default;

        if (count < 0)
        {
            FullRepaints++;
            Draw(new Canvas(target, Bounds), frameSeq);
        }
        else
        {
            PartialRepaints++;
            for (int i = 0; i < count; i++)
            {
                if (!dirty[i].IsEmpty)
                    Draw(new Canvas(target, dirty[i]), frameSeq);
            }
        }
        MeasurementStrip.Stamp(target, frameSeq, timeLow);

        _slots[slot] = new BufferSlot(true, address, length, target.Stride, target.BufferIndex, frameSeq, timeLow, ++_clock);
    }

    public void Invalidate() => Array.Clear(_slots);

    /// <summary>Paints the complete picture of frame <paramref name="frameSeq"/> inside <c>canvas.Clip</c> (every clipped pixel must be written).</summary>
    protected abstract void Draw(Canvas canvas, uint frameSeq);

    /// <summary>
    /// Writes rectangles covering every pixel that can differ between frames <paramref name="from"/> and
    /// <paramref name="to"/> (ignoring the measurement strip) and returns how many, or -1 to request a full repaint.
    /// </summary>
    protected virtual int GetDirtyRects(uint from, uint to, Span<Rect> rects) => -1;

    private int FindSlot(nint address, int length, int stride, int bufferIndex)
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            ref BufferSlot s = ref _slots[i];
            if (s.Valid && s.Address == address && s.Length == length && s.Stride == stride && s.BufferIndex == bufferIndex)
                return i;
        }
        return -1;
    }

    /// <summary>
    /// Drops every slot other than <paramref name="keep"/> that overlaps the given memory, then returns
    /// <paramref name="keep"/> if it is a slot, else a free (or the least recently used) slot.
    /// </summary>
    private int ClaimSlot(nint address, int length, int keep)
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            ref BufferSlot s = ref _slots[i];
            if (i != keep && s.Valid && s.Address < address + length && address < s.Address + s.Length)
                s = default;
        }
        if (keep >= 0)
            return keep;
        int best = 0;
        for (int i = 0; i < _slots.Length; i++)
        {
            if (!_slots[i].Valid)
                return i;
            if (_slots[i].LastUse < _slots[best].LastUse)
                best = i;
        }
        return best;
    }

    private static unsafe nint AddressOf(Span<byte> span) =>
        (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(span));

    private readonly record struct BufferSlot(
        bool Valid, nint Address, int Length, int Stride, int BufferIndex, uint FrameSeq, uint TimeLow32, long LastUse);
}
