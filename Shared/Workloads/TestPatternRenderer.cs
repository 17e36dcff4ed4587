using XenDisplayWeb.Shared.Workloads.Input;

namespace XenDisplayWeb.Shared.Workloads;

/// <summary>
/// SMPTE-like colour bars (75% bars, a reverse-bar band, and a -I / white / +Q / PLUGE band)
/// with a white box of 1/8 of the height sliding back and forth across the top band, and a marker where each of
/// the last <see cref="MaxMarkers"/> clicks (any button pressed) and touches (a contact going down) landed.
/// </summary>
/// <remarks>
/// A marker is a cross centred on the point: arms of <see cref="MarkerArm"/> pixels either side, 3 pixels thick, black,
/// with a 1-pixel line of <see cref="ClickMarkerColor"/> or <see cref="TouchMarkerColor"/> down their middle (the
/// centre pixel included, but the arms' last pixel). Newer markers lie over older ones.
/// </remarks>
internal sealed class TestPatternRenderer : RendererBase
{
    internal const int MaxMarkers = 16;
    internal const int MarkerArm = 8;
    internal const uint ClickMarkerColor = 0xFFFF00;
    internal const uint TouchMarkerColor = 0x00FFFF;
    internal const uint MarkerOutline = 0x000000;

    /// <summary>75% colour bars, left to right.</summary>
    internal static readonly uint[] TopBars = [0xBFBFBF, 0xBFBF00, 0x00BFBF, 0x00BF00, 0xBF00BF, 0xBF0000, 0x0000BF];

    private static readonly uint[] MiddleBars = [0x0000BF, 0x131313, 0xBF00BF, 0x131313, 0x00BFBF, 0x131313, 0xBFBFBF];

    internal const uint BoxColor = 0xFFFFFF;

    private readonly int _topBottom;     // y where the top band ends
    private readonly int _middleBottom;  // y where the reverse-bar band ends
    private readonly int[] _barX;        // 8 boundaries of the 7 bars
    private readonly (int X, uint Color)[] _bottom; // start x and colour of each bottom-band block
    private readonly int _boxSize;
    private readonly int _boxY;
    private readonly int _boxTravel;
    private readonly int _boxSpeed;
    private readonly Queue<(int X, int Y, uint Color)> _markers = new();

    public TestPatternRenderer(int width, int height) : base(WorkloadRenderers.TestPattern, width, height)
    {
        _topBottom = height * 2 / 3;
        _middleBottom = height * 3 / 4;
        _barX = new int[8];
        for (int i = 0; i <= 7; i++)
            _barX[i] = (int)((long)width * i / 7);

        // Bottom band: -I, white, +Q, black (5/4 bar each = 5 bars), then PLUGE thirds of bar 6, black bar 7.
        int five = _barX[5];
        int p0 = _barX[5], p3 = _barX[6];
        _bottom =
        [
            (0, 0x00214C),
            (five / 4, 0xFFFFFF),
            (five / 2, 0x32006A),
            (five * 3 / 4, 0x131313),
            (p0, 0x090909),
            (p0 + (p3 - p0) / 3, 0x131313),
            (p0 + (p3 - p0) * 2 / 3, 0x1D1D1D),
            (p3, 0x131313),
        ];

        _boxSize = Math.Max(1, height / 8);
        _boxY = Math.Max(0, _topBottom / 2 - _boxSize / 2);
        _boxTravel = Math.Max(0, width - _boxSize);
        _boxSpeed = Math.Max(1, width / 240);
    }

    /// <summary>The box for a frame: slides right then back left, <c>width/240</c> pixels per frame.</summary>
    internal Rect BoxRect(uint frameSeq)
    {
        int x = 0;
        if (_boxTravel > 0)
        {
            long period = 2L * _boxTravel;
            long p = (long)((ulong)frameSeq * (ulong)_boxSpeed % (ulong)period);
            x = (int)(p <= _boxTravel ? p : period - p);
        }
        return new Rect(x, _boxY, _boxSize, _boxSize);
    }

    protected override void Draw(Canvas canvas, uint frameSeq)
    {
        for (int i = 0; i < 7; i++)
        {
            int x = _barX[i], w = _barX[i + 1] - x;
            canvas.Fill(x, 0, w, _topBottom, TopBars[i]);
            canvas.Fill(x, _topBottom, w, _middleBottom - _topBottom, MiddleBars[i]);
        }
        for (int i = 0; i < _bottom.Length; i++)
        {
            int x = _bottom[i].X;
            int end = i + 1 < _bottom.Length ? _bottom[i + 1].X : Width;
            canvas.Fill(x, _middleBottom, end - x, Height - _middleBottom, _bottom[i].Color);
        }
        canvas.Fill(BoxRect(frameSeq), BoxColor);
        foreach (var (x, y, color) in _markers)
        {
            canvas.Fill(x - MarkerArm, y - 1, 2 * MarkerArm + 1, 3, MarkerOutline);
            canvas.Fill(x - 1, y - MarkerArm, 3, 2 * MarkerArm + 1, MarkerOutline);
            canvas.Fill(x - MarkerArm + 1, y, 2 * MarkerArm - 1, 1, color);
            canvas.Fill(x, y - MarkerArm + 1, 1, 2 * MarkerArm - 1, color);
        }
    }

    /// <summary>The markers, oldest first (for tests).</summary>
    internal IReadOnlyCollection<(int X, int Y, uint Color)> Markers => _markers;

    internal static Rect MarkerRect(int x, int y) => new(x - MarkerArm, y - MarkerArm, 2 * MarkerArm + 1, 2 * MarkerArm + 1);

    protected override void OnInput(in InputFrame input)
    {
        foreach (ref readonly InputAction a in input.Actions)
        {
            if (a.Kind == InputActionKind.Button && a.Pressed)
                AddMarker(a.X, a.Y, ClickMarkerColor);
            else if (a.Kind == InputActionKind.Touch && a.Phase == TouchPhase.Down)
                AddMarker(a.X, a.Y, TouchMarkerColor);
        }
    }

    private void AddMarker(int x, int y, uint color)
    {
        if (_markers.Count == MaxMarkers)
        {
            var (ox, oy, _) = _markers.Dequeue();
            Damage(MarkerRect(ox, oy));
        }
        _markers.Enqueue((x, y, color));
        Damage(MarkerRect(x, y));
    }

    protected override int GetDirtyRects(uint from, uint to, Span<Rect> rects)
    {
        Rect a = BoxRect(from), b = BoxRect(to);
        if (a == b)
            return 0;
        rects[0] = a;
        rects[1] = b;
        return 2;
    }
}
