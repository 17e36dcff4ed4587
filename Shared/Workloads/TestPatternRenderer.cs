namespace XenDisplayWeb.Shared.Workloads;

/// <summary>
/// SMPTE-like colour bars (75% bars, a reverse-bar band, and a -I / white / +Q / PLUGE band)
/// with a white box of 1/8 of the height sliding back and forth across the top band.
/// </summary>
internal sealed class TestPatternRenderer : RendererBase
{
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
