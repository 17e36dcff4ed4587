using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using XenDisplayWeb.Shared.Workloads.Input;

namespace XenDisplayWeb.Shared.Workloads;

/// <summary>
/// Common frame logic: size check, optional per-buffer damage tracking, and the measurement strip.
/// </summary>
/// <remarks>
/// Incremental renderers describe their scene with <see cref="Draw"/> (paint everything inside the canvas clip),
/// <see cref="GetDirtyRects"/> (where frames <c>from</c> and <c>to</c> can differ by the frame number alone) and
/// <see cref="Damage"/> (where input changed the scene, called from <see cref="OnInput"/>). For each buffer the base
/// remembers the render it last completed there; the buffer is identified by <see cref="FrameTarget.BufferIndex"/>,
/// its address, stride and length, and the remembered frame is trusted only if the strip in the buffer still
/// reads exactly as stamped. A buffer is brought up to date by repainting the frame's dirty rectangles and all the
/// input damage since its last render; if that is unknown (the damage log was trimmed past it) or the strip does
/// not match, the whole frame is painted.
/// </remarks>
internal abstract class RendererBase : IWorkloadRenderer
{
    /// <summary>Upper bound on what <see cref="GetDirtyRects"/> may return.</summary>
    protected const int MaxDirtyRects = 16;

    /// <summary>Input damage rectangles kept for buffers that are behind; older ones are dropped (those buffers repaint fully).</summary>
    internal const int MaxDamageLog = 64;

    private const int SlotCount = 4;
    private readonly BufferSlot[] _slots = new BufferSlot[SlotCount];
    private readonly List<(long Render, Rect Rect)> _damage = [];
    private readonly List<Rect> _repaint = [];
    private long _clock;          // renders completed; a buffer's slot holds the value at its last render
    private long _damageLostUpTo; // damage of renders up to this one was dropped from the log

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

    public void Render(in FrameTarget target, uint frameSeq, long timeMs) => Render(target, frameSeq, timeMs, 0);

    public void Render(in FrameTarget target, uint frameSeq, long timeMs, uint inputSeqLow32)
    {
        if (target.Width != Width || target.Height != Height)
            throw new ArgumentException($"Target is {target.Width}x{target.Height} but the '{Name}' renderer was created for {Width}x{Height}.", nameof(target));
        uint timeLow = unchecked((uint)timeMs);

        if (!Incremental)
        {
            FullRepaints++;
            Draw(new Canvas(target, Bounds), frameSeq);
            MeasurementStrip.Stamp(target, frameSeq, timeLow, inputSeqLow32);
            return;
        }

        nint address = AddressOf(target.Pixels);
        int length = target.Pixels.Length;
        int slot = FindSlot(address, length, target.Stride, target.BufferIndex);
        bool partial = slot >= 0 && CollectRepaint(_slots[slot], frameSeq) && MeasurementStrip.Matches(target, _slots[slot].FrameSeq, _slots[slot].TimeLow32, _slots[slot].InputSeqLow32);
        slot = ClaimSlot(address, length, slot);

        // Until this frame is complete the buffer's content is unknown.
        _slots[slot] = default;

        if (!partial)
        {
            FullRepaints++;
            Draw(new Canvas(target, Bounds), frameSeq);
        }
        else
        {
            PartialRepaints++;
            foreach (Rect r in _repaint)
                Draw(new Canvas(target, r), frameSeq);
        }
        MeasurementStrip.Stamp(target, frameSeq, timeLow, inputSeqLow32);

        _slots[slot] = new BufferSlot(true, address, length, target.Stride, target.BufferIndex, frameSeq, timeLow, inputSeqLow32, ++_clock);
        TrimDamage();
    }

    public void Apply(in InputFrame input) => OnInput(input);

    public void Invalidate()
    {
        Array.Clear(_slots);
        _damage.Clear();
        _damageLostUpTo = _clock;
    }

    /// <summary>Takes in one frame's input; incremental renderers report what it changed through <see cref="Damage"/>.</summary>
    protected virtual void OnInput(in InputFrame input) { }

    /// <summary>Records that input changed the scene inside <paramref name="r"/> (before the next render).</summary>
    protected void Damage(Rect r)
    {
        r = r.Intersect(Bounds);
        if (r.IsEmpty)
            return;
        _damage.Add((_clock + 1, r));
        if (_damage.Count > MaxDamageLog)
        {
            _damageLostUpTo = Math.Max(_damageLostUpTo, _damage[0].Render);
            _damage.RemoveAt(0);
        }
    }

    /// <summary>
    /// Fills <see cref="_repaint"/> with what brings a buffer last completed as <paramref name="last"/> to frame
    /// <paramref name="frameSeq"/>: the frame's dirty rectangles and the input damage since; false if unknown.
    /// </summary>
    private bool CollectRepaint(in BufferSlot last, uint frameSeq)
    {
        _repaint.Clear();
        if (last.Render < _damageLostUpTo)
            return false;
        Span<Rect> dirty = stackalloc Rect[MaxDirtyRects];
        int count = GetDirtyRects(last.FrameSeq, frameSeq, dirty);
        if (count < 0)
            return false;
        foreach (Rect r in dirty[..count])
            AddRepaint(r);
        foreach (var (render, r) in _damage)
        {
            if (render > last.Render)
                AddRepaint(r);
        }
        return true;
    }

    /// <summary>Adds a rectangle, merged with one it overlaps when their bounding box costs no more than both.</summary>
    private void AddRepaint(Rect r)
    {
        if (r.IsEmpty)
            return;
        for (int i = 0; i < _repaint.Count; i++)
        {
            Rect o = _repaint[i];
            if (!o.Intersects(r))
                continue;
            Rect u = o.Union(r);
            if ((long)u.Width * u.Height <= (long)o.Width * o.Height + (long)r.Width * r.Height)
            {
                _repaint.RemoveAt(i);
                AddRepaint(u);
                return;
            }
        }
        _repaint.Add(r);
    }

    /// <summary>Drops the damage every remembered buffer has already seen.</summary>
    private void TrimDamage()
    {
        long oldest = long.MaxValue;
        foreach (ref readonly BufferSlot s in _slots.AsSpan())
        {
            if (s.Valid)
                oldest = Math.Min(oldest, s.Render);
        }
        int drop = 0;
        while (drop < _damage.Count && _damage[drop].Render <= oldest)
            drop++;
        _damage.RemoveRange(0, drop);
    }

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
            if (_slots[i].Render < _slots[best].Render)
                best = i;
        }
        return best;
    }

    private static unsafe nint AddressOf(Span<byte> span) =>
        (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(span));

    /// <param name="Render">The render (<see cref="_clock"/>) that completed the buffer; also its last use.</param>
    private readonly record struct BufferSlot(
        bool Valid, nint Address, int Length, int Stride, int BufferIndex, uint FrameSeq, uint TimeLow32, uint InputSeqLow32, long Render);
}
