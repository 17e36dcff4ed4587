namespace XenDisplayWeb.Shared.Workloads;

/// <summary>
/// A desktop-like scene: gradient background with icons, a taskbar with a clock, and three windows
/// (a browser page playing a small video, a text editor with a typing line and blinking cursor, a monitor with a scrolling graph).
/// </summary>
/// <remarks>
/// Everything is a deterministic function of the frame number. Per frame only small regions change
/// (about 2% of the screen): the video (1/9 x 1/13 of the screen) and the graph change every frame, the editor types a glyph every <see cref="FramesPerGlyph"/> frames,
/// the cursor blinks every <see cref="FramesPerBlink"/> frames and the clock ticks every 60 frames.
/// </remarks>
internal sealed class DesktopRenderer : RendererBase
{
    internal const int FramesPerGlyph = 4;
    internal const int FramesPerBlink = 30;
    internal const int FramesPerSecond = 60;
    private const int CellW = 8;
    private const int CellH = 16;
    private const int ClockStartSeconds = 9 * 3600 + 41 * 60;

    private static readonly uint[] CodePalette = [0x1F1F1F, 0x0033B3, 0x067D17, 0x871094, 0x1F1F1F, 0x8C6C00];
    private static readonly uint[] IconPalette = [0xF2C94C, 0x56CCF2, 0x6FCF97, 0xEB5757, 0xBB6BD9];
    private static readonly byte[] SegmentMasks = [0x3F, 0x06, 0x5B, 0x4F, 0x66, 0x6D, 0x7D, 0x07, 0x7F, 0x6F];

    private readonly int _desktopBottom;
    private readonly Rect _taskbar;
    private readonly Rect _startButton;
    private readonly Rect[] _appButtons;
    private readonly int _iconSize;
    private readonly int _iconCount;

    private readonly Rect _clock;
    private readonly int _digitW, _digitH, _colonW, _gap;

    private readonly Window[] _windows;

    // Editor (window 1).
    private readonly int _editorTextX, _editorTopY, _editorCols, _typingRow;
    private readonly Rect _typingLine;
    private readonly int _maxTyped;

    // Browser (window 0).
    private readonly Rect _browserBar, _browserHeader, _video;

    // Monitor (window 2).
    private readonly Rect _graph;
    private readonly int[] _graphValues;

    public DesktopRenderer(int width, int height) : base(WorkloadRenderers.Desktop, width, height)
    {
        int th = Math.Min(Math.Clamp(height / 27, 20, 48), height / 4);
        _desktopBottom = height - th;
        _taskbar = new Rect(0, _desktopBottom, width, th);
        _startButton = new Rect(4, _desktopBottom + 3, Math.Min(th * 2, width / 8), th - 6);
        _appButtons = new Rect[4];
        int bw = Math.Min(160, width / 10);
        for (int i = 0; i < _appButtons.Length; i++)
            _appButtons[i] = new Rect(_startButton.Right + 8 + i * (bw + 4), _desktopBottom + 3, bw, th - 6);

        _digitH = Math.Max(1, th - 12);
        _digitW = Math.Max(1, _digitH / 2);
        _colonW = Math.Max(1, _digitW / 3);
        _gap = Math.Max(1, _digitW / 4);
        int clockW = 6 * _digitW + 2 * _colonW + 7 * _gap;
        _clock = new Rect(width - clockW - 8, _desktopBottom + 6, clockW, _digitH);

        _iconSize = height >= 480 ? 32 : 16;
        _iconCount = Math.Max(0, (_desktopBottom - 48) / (_iconSize * 2));

        int tb = Math.Clamp(height / 40, 14, 26);
        int editorX = Math.Max(12 + _iconSize + 8, width * 6 / 100);
        _windows =
        [
            new Window(new Rect(width * 40 / 100, height * 8 / 100, width * 52 / 100, height * 52 / 100), tb, 0x3C4A5C, 0xFFFFFF, 11),
            new Window(new Rect(editorX, height * 12 / 100, width * 50 / 100, height * 72 / 100), tb, 0x2D5F9A, 0xFAFAFA, 22),
            new Window(new Rect(width * 60 / 100, height * 56 / 100, width * 34 / 100, height * 30 / 100), tb, 0x3C4A5C, 0x101418, 33),
        ];

        Rect bb = _windows[0].Body;
        _browserBar = new Rect(bb.X + 6, bb.Y + 4, bb.Width - 12, CellH + 4).Intersect(bb);
        _browserHeader = new Rect(bb.X, bb.Y + 4 + CellH + 4 + 4, bb.Width, Math.Max(CellH + 8, bb.Height / 8)).Intersect(bb);
        _video = new Rect(bb.Right - 16 - bb.Width / 3, bb.Y + 4 + CellH + 4 + 4 + Math.Max(CellH + 8, bb.Height / 8) + 12, bb.Width / 3, bb.Height / 4).Intersect(bb);

        Rect eb = _windows[1].Body;
        _editorTextX = eb.X + 4 * CellW + 8;
        _editorTopY = eb.Y + 4;
        _editorCols = Math.Max(0, (eb.Right - _editorTextX - 8) / CellW);
        int rows = Math.Max(0, (eb.Bottom - 4 - _editorTopY) / CellH);
        _typingRow = rows * 2 / 3;
        _maxTyped = Math.Max(0, Math.Min(_editorCols - 1, 60));
        _typingLine = new Rect(_editorTextX, _editorTopY + _typingRow * CellH, _editorCols * CellW, CellH).Intersect(eb);

        Rect mb = _windows[2].Body;
        int gy = mb.Y + 8 + 3 * CellH + 4;
        _graph = new Rect(mb.X + 8, gy, Math.Min(256, mb.Width - 16), Math.Min(96, mb.Bottom - 8 - gy)).Intersect(mb);
        _graphValues = new int[Math.Max(0, _graph.Width)];
    }

    /// <summary>Regions that may change from frame to frame (for tests and diagnostics).</summary>
    internal Rect TypingLine => _typingLine;
    internal Rect Graph => _graph;
    internal Rect Clock => _clock;
    internal Rect Video => _video;

    protected override void Draw(Canvas canvas, uint frameSeq)
    {
        DrawBackground(canvas);
        DrawIcons(canvas);
        DrawTaskbar(canvas, frameSeq);
        DrawBrowser(canvas, _windows[0], frameSeq);
        DrawEditor(canvas, _windows[1], frameSeq);
        DrawMonitor(canvas, _windows[2], frameSeq);
    }

    protected override int GetDirtyRects(uint from, uint to, Span<Rect> rects)
    {
        if (from == to)
            return 0;
        int n = 0;
        rects[n++] = _graph;
        rects[n++] = _video;
        if (TypingState(from) != TypingState(to))
            rects[n++] = _typingLine;
        if (ClockSeconds(from) != ClockSeconds(to))
            rects[n++] = _clock;
        return n;
    }

    // ---- state as a function of the frame number ----

    private (uint Cycle, int Typed, bool Cursor) TypingState(uint frameSeq)
    {
        uint cycleLen = (uint)_maxTyped + 16;
        uint tick = frameSeq / FramesPerGlyph;
        int typed = (int)Math.Min(tick % cycleLen, (uint)_maxTyped);
        return (tick / cycleLen, typed, (frameSeq / FramesPerBlink & 1) == 0);
    }

    private static uint ClockSeconds(uint frameSeq) => (ClockStartSeconds + frameSeq / FramesPerSecond) % 86400;

    // ---- scene parts ----

    private void DrawBackground(Canvas canvas)
    {
        Rect area = canvas.Clip.Intersect(new Rect(0, 0, Width, _desktopBottom));
        int span = Math.Max(1, _desktopBottom - 1);
        for (int y = area.Y; y < area.Bottom; y++)
        {
            int t = y * 256 / span;
            uint r = (uint)(0x1E + (0x5A - 0x1E) * t / 256), g = (uint)(0x4A + (0x8F - 0x4A) * t / 256), b = (uint)(0x6E + (0xB0 - 0x6E) * t / 256);
            canvas.Fill(area.X, y, area.Width, 1, (r << 16) | (g << 8) | b);
        }
    }

    private void DrawIcons(Canvas canvas)
    {
        for (int i = 0; i < _iconCount; i++)
        {
            int x = 12, y = 48 + i * _iconSize * 2;
            if (!canvas.Touches(new Rect(x - 4, y, _iconSize + 8, _iconSize * 2)))
                continue;
            canvas.Fill(x, y, _iconSize, _iconSize, IconPalette[i % IconPalette.Length]);
            canvas.Fill(x + _iconSize / 4, y + _iconSize / 4, _iconSize / 2, _iconSize / 8 + 1, 0xFFFFFF);
            // A short label under the icon: tiny glyph blocks.
            int glyphs = 2 + (int)(Xrgb.Hash(7, (uint)i, 0) % 4);
            int lx = x + (_iconSize - glyphs * 5) / 2;
            for (int g = 0; g < glyphs; g++)
                canvas.Fill(lx + g * 5, y + _iconSize + 4, 4, 6, 0xFFFFFF);
        }
    }

    private void DrawTaskbar(Canvas canvas, uint frameSeq)
    {
        if (!canvas.Touches(_taskbar))
            return;
        canvas.Fill(_taskbar, 0x1C2430);
        canvas.Fill(_taskbar.X, _taskbar.Y, _taskbar.Width, 1, 0x3A4658);
        canvas.Fill(_startButton, 0x2F80ED);
        canvas.Fill(_startButton.Inset(Math.Max(1, _startButton.Height / 4)), 0xFFFFFF);
        for (int i = 0; i < _appButtons.Length; i++)
        {
            Rect b = _appButtons[i];
            canvas.Fill(b, i == 1 ? 0x3A4B63u : 0x283445u);
            canvas.Fill(b.X, b.Bottom - 2, b.Width, 2, i == 1 ? 0x56CCF2u : 0x283445u);
            DrawTextLine(canvas, b.X + 6, b.Y + (b.Height - CellH) / 2, (b.Width - 12) / CellW, 50, (uint)i, 0xD0D6E0, null, b);
        }
        DrawClock(canvas, ClockSeconds(frameSeq));
    }

    private void DrawClock(Canvas canvas, uint seconds)
    {
        if (!canvas.Touches(_clock))
            return;
        canvas.Fill(_clock, 0x1C2430);
        Canvas c = canvas.WithClip(_clock);
        Span<int> digits = [(int)(seconds / 36000), (int)(seconds / 3600 % 10), (int)(seconds / 600 % 6), (int)(seconds / 60 % 10), (int)(seconds / 10 % 6), (int)(seconds % 10)];
        int x = _clock.X, y = _clock.Y;
        for (int i = 0; i < digits.Length; i++)
        {
            DrawDigit(c, x, y, SegmentMasks[digits[i]]);
            x += _digitW + _gap;
            if (i == 1 || i == 3)
            {
                int dot = Math.Max(1, _colonW);
                c.Fill(x, y + _digitH / 3 - dot / 2, dot, dot, 0xE8ECF2);
                c.Fill(x, y + _digitH * 2 / 3 - dot / 2, dot, dot, 0xE8ECF2);
                x += _colonW + _gap;
            }
        }
    }

    private void DrawDigit(Canvas c, int x, int y, byte mask)
    {
        const uint on = 0xE8ECF2;
        int w = _digitW, h = _digitH, t = Math.Max(1, h / 10), half = h / 2;
        if ((mask & 0x01) != 0) c.Fill(x + t, y, w - 2 * t, t, on);                  // a
        if ((mask & 0x02) != 0) c.Fill(x + w - t, y + t, t, half - t, on);           // b
        if ((mask & 0x04) != 0) c.Fill(x + w - t, y + half, t, h - half - t, on);    // c
        if ((mask & 0x08) != 0) c.Fill(x + t, y + h - t, w - 2 * t, t, on);          // d
        if ((mask & 0x10) != 0) c.Fill(x, y + half, t, h - half - t, on);            // e
        if ((mask & 0x20) != 0) c.Fill(x, y + t, t, half - t, on);                   // f
        if ((mask & 0x40) != 0) c.Fill(x + t, y + half - t / 2, w - 2 * t, t, on);   // g
    }

    /// <summary>Frame, title bar with title glyphs and buttons, and the body background.</summary>
    private static bool DrawWindowFrame(Canvas canvas, in Window w)
    {
        if (!canvas.Touches(w.Outer))
            return false;
        canvas.Fill(w.Outer, 0x2B2B2B);
        canvas.Fill(w.Title, w.TitleColor);
        DrawTextLine(canvas, w.Title.X + 8, w.Title.Y + (w.Title.Height - CellH) / 2, Math.Min(24, (w.Title.Width - 80) / CellW), w.Seed, 0, 0xF0F0F0, null, w.Title);
        int bs = Math.Max(1, w.Title.Height - 8);
        for (int i = 0; i < 3; i++)
            canvas.Fill(w.Title.Right - (i + 1) * (bs + 6), w.Title.Y + 4, bs, bs, i == 0 ? 0xE0443Eu : 0x8A96A8u);
        canvas.Fill(w.Body, w.BodyColor);
        return true;
    }

    private void DrawBrowser(Canvas canvas, in Window w, uint frameSeq)
    {
        if (!DrawWindowFrame(canvas, w))
            return;
        Canvas c = canvas.WithClip(w.Body);
        Rect b = w.Body;
        c.Fill(_browserBar, 0xE4E6EB);
        DrawTextLine(c, _browserBar.X + 8, _browserBar.Y + 2, Math.Min(40, (_browserBar.Width - 16) / CellW), w.Seed, 1, 0x404850, null, _browserBar);
        c.Fill(_browserHeader, 0x3B5998);
        DrawTextLine(c, _browserHeader.X + 16, _browserHeader.Y + (_browserHeader.Height - CellH) / 2, Math.Min(20, (_browserHeader.Width - 32) / CellW), w.Seed, 2, 0xFFFFFF, null, _browserHeader);
        // Paragraphs left of the video and below it.
        int y = _browserHeader.Bottom + 12, line = 0;
        while (y + CellH <= b.Bottom - 4)
        {
            if (y <= c.Clip.Bottom && y + CellH >= c.Clip.Y)
            {
                int right = y < _video.Bottom + 8 ? _video.X - 16 : b.Right - 16;
                int cols = (right - b.X - 16) / CellW;
                uint h = Xrgb.Hash((uint)w.Seed, (uint)line, 3);
                if (h % 6 != 0)
                    DrawTextLine(c, b.X + 16, y, (int)(cols * (60 + h % 41) / 100), w.Seed, (uint)(100 + line), 0x303030, null, b);
            }
            y += CellH + 2;
            line++;
        }
        DrawVideo(c, frameSeq);
    }

    /// <summary>A playing "video": a moving colour field in which every pixel changes every frame.</summary>
    private void DrawVideo(Canvas canvas, uint frameSeq)
    {
        Rect area = canvas.Clip.Intersect(_video);
        if (area.IsEmpty)
            return;
        uint bx = frameSeq * 3, gy = frameSeq * 2, r0 = frameSeq * 7;
        for (int y = area.Y; y < area.Bottom; y++)
        {
            int x0 = area.X;
            Span<uint> row = canvas.RowSpan(y, ref x0, area.Right);
            uint vy = (uint)(y - _video.Y);
            byte g = (byte)(vy * 2 + gy);
            for (int i = 0; i < row.Length; i++)
            {
                uint vx = (uint)(x0 + i - _video.X);
                row[i] = Xrgb.FromBytes((byte)(vx * 2 + bx), g, (byte)((vx + vy) / 2 + r0), 0xFF);
            }
        }
    }

    private void DrawEditor(Canvas canvas, in Window w, uint frameSeq)
    {
        if (!DrawWindowFrame(canvas, w))
            return;
        Canvas c = canvas.WithClip(w.Body);
        Rect b = w.Body;
        c.Fill(b.X, b.Y, 4 * CellW, b.Height, 0xECECEC);
        for (int row = 0; row < _typingRow; row++)
        {
            int y = _editorTopY + row * CellH;
            if (y > c.Clip.Bottom || y + CellH < c.Clip.Y)
                continue;
            // Line number, right-aligned in the gutter.
            int digits = row + 1 >= 100 ? 3 : row + 1 >= 10 ? 2 : 1;
            for (int d = 0; d < digits; d++)
                c.Fill(b.X + (3 - digits + d) * CellW + 1, y + 6, CellW - 3, 7, 0x9A9A9A);
            uint h = Xrgb.Hash(22, (uint)row, 5);
            if (h % 7 == 0)
                continue;
            int indent = (int)(h >> 8) % 4 * 2;
            int len = (int)(h >> 12) % Math.Max(1, _editorCols * 3 / 4 - indent) + 4;
            DrawTextLine(c, _editorTextX + indent * CellW, y, Math.Min(len, _editorCols - indent), 22, (uint)(200 + row), 0, CodePalette, b);
        }
        DrawTypingLine(c, frameSeq);
    }

    private void DrawTypingLine(Canvas canvas, uint frameSeq)
    {
        if (!canvas.Touches(_typingLine))
            return;
        Canvas c = canvas.WithClip(_typingLine);
        (uint cycle, int typed, bool cursor) = TypingState(frameSeq);
        c.Fill(_typingLine, 0xFAFAFA);
        DrawTextLine(c, _typingLine.X, _typingLine.Y, typed, 23, cycle, 0x1F1F1F, null, _typingLine);
        if (cursor)
            c.Fill(_typingLine.X + typed * CellW, _typingLine.Y + 1, 2, CellH - 2, 0x000000);
    }

    private void DrawMonitor(Canvas canvas, in Window w, uint frameSeq)
    {
        if (!DrawWindowFrame(canvas, w))
            return;
        Canvas c = canvas.WithClip(w.Body);
        Rect b = w.Body;
        int cols = (b.Width - 16) / CellW;
        for (int line = 0; line < 3; line++)
            DrawTextLine(c, b.X + 8, b.Y + 8 + line * CellH, cols * (50 + line * 15) / 100, w.Seed, (uint)(300 + line), 0x40D040, null, b);
        DrawGraph(c, frameSeq);
    }

    private void DrawGraph(Canvas canvas, uint frameSeq)
    {
        Rect area = canvas.Clip.Intersect(_graph);
        if (area.IsEmpty)
            return;
        int gh = _graph.Height;
        for (int col = 0; col < _graphValues.Length; col++)
        {
            uint k = frameSeq + (uint)col;
            int t = (int)(k % 96);
            int tri = t < 48 ? t : 96 - t;
            int v = tri * (gh * 6 / 10) / 48 + (int)(Xrgb.Hash(k, 44, 0) % (uint)(gh / 4 + 1));
            _graphValues[col] = Math.Clamp(v, 0, gh);
        }
        uint fg = Xrgb.Pack(0x30C050), bg = Xrgb.Pack(0x06100A), grid = Xrgb.Pack(0x1C3024);
        for (int y = area.Y; y < area.Bottom; y++)
        {
            int r = y - _graph.Y;
            int level = gh - r;
            uint back = r % 16 == 0 ? grid : bg;
            int x0 = area.X;
            Span<uint> row = canvas.RowSpan(y, ref x0, area.Right);
            int firstCol = x0 - _graph.X;
            for (int i = 0; i < row.Length; i++)
                row[i] = _graphValues[firstCol + i] >= level ? fg : back;
        }
    }

    /// <summary>
    /// Draws <paramref name="count"/> glyph-like blocks in 8x16 cells starting at (<paramref name="x"/>, <paramref name="y"/>),
    /// with word gaps, all derived from the seeds. Colours come per word from <paramref name="palette"/> if given.
    /// </summary>
    private static void DrawTextLine(Canvas canvas, int x, int y, int count, int seedA, uint seedB, uint color, uint[]? palette, Rect bounds)
    {
        if (count <= 0)
            return;
        Rect line = new Rect(x, y, count * CellW, CellH).Intersect(bounds);
        if (!canvas.Touches(line))
            return;
        Canvas c = canvas.WithClip(line);
        int word = 0;
        for (int i = 0; i < count; i++)
        {
            uint h = Xrgb.Hash((uint)seedA, seedB, (uint)i);
            if (i > 0 && h % 6 == 0)
            {
                word++;
                continue;
            }
            int gx = x + i * CellW;
            if (gx >= c.Clip.Right)
                break;
            if (gx + CellW <= c.Clip.X)
                continue;
            uint col = palette is null ? color : palette[Xrgb.Hash((uint)seedA, seedB, (uint)(10000 + word)) % (uint)palette.Length];
            int gw = 5 + (int)(h >> 10 & 1);
            switch (h >> 8 & 3)
            {
                case 1: c.Fill(gx + 1, y + 3, gw, 10, col); break;  // ascender
                case 2: c.Fill(gx + 1, y + 6, gw, 9, col); break;   // descender
                default: c.Fill(gx + 1, y + 6, gw, 7, col); break;  // x-height
            }
        }
    }

    private readonly struct Window
    {
        public Window(Rect outer, int titleHeight, uint titleColor, uint bodyColor, int seed)
        {
            Outer = outer;
            int tb = Math.Min(titleHeight, Math.Max(0, outer.Height - 2));
            Title = new Rect(outer.X + 1, outer.Y + 1, outer.Width - 2, tb);
            Body = new Rect(outer.X + 1, outer.Y + 1 + tb, outer.Width - 2, outer.Height - 2 - tb);
            TitleColor = titleColor;
            BodyColor = bodyColor;
            Seed = seed;
        }

        public Rect Outer { get; }
        public Rect Title { get; }
        public Rect Body { get; }
        public uint TitleColor { get; }
        public uint BodyColor { get; }
        public int Seed { get; }
    }
}
