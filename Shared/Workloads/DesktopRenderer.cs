using XenDisplayWeb.Shared.Kbdif;
using XenDisplayWeb.Shared.Workloads.Fonts;
using XenDisplayWeb.Shared.Workloads.Input;

namespace XenDisplayWeb.Shared.Workloads;

/// <summary>
/// A desktop-like scene: gradient background with icons, a taskbar with a clock, and three windows
/// (a browser page playing a small video, a text editor with a typing line and blinking cursor, a monitor with a scrolling graph),
/// and, once there is a pointer, the mouse cursor.
/// </summary>
/// <remarks>
/// Without input everything is a deterministic function of the frame number. Per frame only small regions change
/// (about 2% of the screen): the video (1/9 x 1/13 of the screen) and the graph change every frame, the editor types a glyph every <see cref="FramesPerGlyph"/> frames,
/// the cursor blinks every <see cref="FramesPerBlink"/> frames and the clock ticks every 60 frames.
/// Input changes the rest: the cursor follows the pointer; a left-button press raises the window under it, and on
/// a title bar drags it until the release; key presses type into the editor's input area below its typing line
/// (US layout, in glyphs of the console font), Enter starts a line, Backspace deletes, full rows wrap and the
/// area scrolls. Each change is reported as damage, so buffers that are behind repaint exactly what changed.
/// </remarks>
internal sealed class DesktopRenderer : RendererBase
{
    internal const int FramesPerGlyph = 4;
    internal const int FramesPerBlink = 30;
    internal const int FramesPerSecond = 60;
    private const int CellW = 8;
    private const int CellH = 16;
    private const int ClockStartSeconds = 9 * 3600 + 41 * 60;

    /// <summary>How much of a dragged window's title bar stays on the desktop, in pixels.</summary>
    internal const int KeepVisible = 48;
    internal const uint InputTextColor = 0x1F1F1F;
    internal const uint InputBackground = 0xFFFFFF;
    private const uint InputRuleColor = 0xD0D0D0;
    internal const int CaretWidth = 2;

    /// <summary>The arrow cursor, hotspot top-left: X outline (black), o fill (white), space transparent.</summary>
    internal static readonly string[] CursorSprite =
    [
        "X           ",
        "XX          ",
        "XoX         ",
        "XooX        ",
        "XoooX       ",
        "XooooX      ",
        "XoooooX     ",
        "XooooooX    ",
        "XoooooooX   ",
        "XooooooooX  ",
        "XoooooooooX ",
        "XooooooXXXXX",
        "XoooXooX    ",
        "XooX XooX   ",
        "XoX  XooX   ",
        "XX    XooX  ",
        "X     XooX  ",
        "       XooX ",
        "        XX  ",
    ];

    internal const uint CursorOutline = 0x000000;
    internal const uint CursorFill = 0xFFFFFF;

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

    // Input: where each window was moved from its place in the layout, the stacking order (bottom first),
    // the window being dragged and where it was grabbed, the cursor.
    private readonly (int Dx, int Dy)[] _offsets;
    private readonly int[] _stack = [0, 1, 2];
    private int _dragging = -1;
    private (int X, int Y) _grab;
    private (int X, int Y)? _cursor;

    // The editor's input area (window 1) and what was typed into it.
    private readonly PsfFont _font;
    private readonly Rect _inputArea;
    private readonly int _inputRows;
    private readonly EditorText? _text;

    // Editor (window 1).
    private readonly int _editorTextX, _editorTopY, _editorCols, _typingRow;
    private readonly Rect _typingLine;
    private readonly int _maxTyped;

    // Browser (window 0).
    private readonly Rect _browserBar, _browserHeader, _video;

    // Monitor (window 2).
    private readonly Rect _graph;
    private readonly int[] _graphValues;

    public DesktopRenderer(int width, int height, PsfFont font) : base(WorkloadRenderers.Desktop, width, height)
    {
        ArgumentNullException.ThrowIfNull(font);
        _font = font;
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
        int inputTop = _editorTopY + (_typingRow + 1) * CellH + 4;
        int inputCols = Math.Max(0, (eb.Right - 8 - _editorTextX) / font.Width);
        _inputRows = Math.Max(0, (eb.Bottom - 4 - inputTop) / font.Height);
        if (inputCols > 0 && _inputRows > 0)
        {
            _inputArea = new Rect(_editorTextX, inputTop, inputCols * font.Width, _inputRows * font.Height);
            _text = new EditorText(inputCols);
        }

        Rect mb = _windows[2].Body;
        int gy = mb.Y + 8 + 3 * CellH + 4;
        _graph = new Rect(mb.X + 8, gy, Math.Min(256, mb.Width - 16), Math.Min(96, mb.Bottom - 8 - gy)).Intersect(mb);
        _graphValues = new int[Math.Max(0, _graph.Width)];
        _offsets = new (int, int)[_windows.Length];
    }

    /// <summary>Regions that may change from frame to frame, where they are now (for tests and diagnostics).</summary>
    internal Rect TypingLine => Place(1, _typingLine);
    internal Rect Graph => Place(2, _graph);
    internal Rect Clock => _clock;
    internal Rect Video => Place(0, _video);

    /// <summary>Window <paramref name="index"/> (0 browser, 1 editor, 2 monitor) and its title bar, where they are now.</summary>
    internal Rect WindowOuter(int index) => Place(index, _windows[index].Outer);
    internal Rect WindowTitle(int index) => Place(index, _windows[index].Title);

    /// <summary>The windows from the bottom of the stack to the top.</summary>
    internal IReadOnlyList<int> Stack => _stack;

    /// <summary>Where the next typed glyph's cell starts (its top-left), or null when the editor has no input area.</summary>
    internal (int X, int Y)? InputCaret
    {
        get
        {
            if (_text is null)
                return null;
            var (row, col) = _text.Caret;
            Rect area = Place(1, _inputArea);
            return (area.X + col * _font.Width, area.Y + (row - FirstVisibleRow) * _font.Height);
        }
    }

    internal Rect InputArea => Place(1, _inputArea);

    internal PsfFont Font => _font;

    protected override void Draw(Canvas canvas, uint frameSeq)
    {
        DrawBackground(canvas);
        DrawIcons(canvas);
        DrawTaskbar(canvas, frameSeq);
        foreach (int i in _stack)
        {
            Canvas c = canvas.Translate(_offsets[i].Dx, _offsets[i].Dy);
            switch (i)
            {
                case 0: DrawBrowser(c, _windows[0], frameSeq); break;
                case 1: DrawEditor(c, _windows[1], frameSeq); break;
                default: DrawMonitor(c, _windows[2], frameSeq); break;
            }
        }
        DrawCursor(canvas);
    }

    protected override int GetDirtyRects(uint from, uint to, Span<Rect> rects)
    {
        if (from == to)
            return 0;
        int n = 0;
        rects[n++] = Graph;
        rects[n++] = Video;
        if (TypingState(from) != TypingState(to))
            rects[n++] = TypingLine;
        if (ClockSeconds(from) != ClockSeconds(to))
            rects[n++] = _clock;
        return n;
    }

    // ---- input ----

    protected override void OnInput(in InputFrame input)
    {
        if (input.Actions.IsEmpty)
        {
            FollowPointer(input.State);
            return;
        }
        Span<Rect> windowsBefore = stackalloc Rect[_windows.Length];
        for (int i = 0; i < _windows.Length; i++)
            windowsBefore[i] = WindowOuter(i);
        Span<int> stackBefore = stackalloc int[_stack.Length];
        _stack.CopyTo(stackBefore);
        bool typing = false;
        foreach (ref readonly InputAction a in input.Actions)
            typing |= a.Kind == InputActionKind.Key && a.Pressed;
        string[]? rowsBefore = typing && _text is not null ? VisibleRows(out _) : null;
        var caretBefore = InputCaret;

        foreach (ref readonly InputAction a in input.Actions)
        {
            switch (a.Kind)
            {
                case InputActionKind.Move:
                    DragTo(a.X, a.Y);
                    break;
                case InputActionKind.Button when a.Code == LinuxInput.BTN_LEFT:
                    if (a.Pressed)
                        Press(a.X, a.Y);
                    else
                        _dragging = -1;
                    break;
                case InputActionKind.Key when a.Pressed:
                    Type(a);
                    break;
            }
        }
        FollowPointer(input.State);

        // A window that moved, or changed its place in the stack, is damaged where it was and where it is.
        for (int k = 0; k < _stack.Length; k++)
        {
            int i = _stack[k];
            if (WindowOuter(i) != windowsBefore[i] || stackBefore[k] != i)
            {
                Damage(windowsBefore[i]);
                Damage(WindowOuter(i));
            }
        }
        if (rowsBefore is not null)
            DamageTypedRows(rowsBefore, caretBefore);
    }

    /// <summary>The cursor goes where the pointer is (nowhere before there is one); its old and new places are damaged.</summary>
    private void FollowPointer(InputState state)
    {
        Rect before = CursorRect;
        _cursor = state.HasPointer ? (state.X, state.Y) : null;
        if (CursorRect != before)
        {
            Damage(before);
            Damage(CursorRect);
        }
    }

    private Rect CursorRect => _cursor is { } p ? new Rect(p.X, p.Y, CursorSprite[0].Length, CursorSprite.Length) : default;

    private Rect Place(int window, Rect r) => r.Offset(_offsets[window].Dx, _offsets[window].Dy);

    /// <summary>A left press: the topmost window under the pointer comes to the top; on its title bar, the drag begins.</summary>
    private void Press(int x, int y)
    {
        for (int k = _stack.Length - 1; k >= 0; k--)
        {
            int i = _stack[k];
            if (!WindowOuter(i).Contains(x, y))
                continue;
            Array.Copy(_stack, k + 1, _stack, k, _stack.Length - 1 - k);
            _stack[^1] = i;
            if (WindowTitle(i).Contains(x, y))
            {
                _dragging = i;
                _grab = (x - WindowOuter(i).X, y - WindowOuter(i).Y);
            }
            return;
        }
    }

    /// <summary>Moves the dragged window so the grabbed point is under the pointer, keeping part of its title bar on the desktop.</summary>
    private void DragTo(int x, int y)
    {
        if (_dragging < 0)
            return;
        Rect home = _windows[_dragging].Outer;
        int left = Math.Clamp(x - _grab.X, KeepVisible - home.Width, Width - KeepVisible);
        int top = Math.Clamp(y - _grab.Y, 0, Math.Max(0, _desktopBottom - _windows[_dragging].Title.Height - 1));
        _offsets[_dragging] = (left - home.X, top - home.Y);
    }

    private void Type(in InputAction key)
    {
        if (_text is null)
            return;
        switch (key.Code)
        {
            case LinuxInput.KEY_ENTER or LinuxInput.KEY_KPENTER: _text.NewLine(); break;
            case LinuxInput.KEY_BACKSPACE: _text.Backspace(); break;
            default:
                if (key.Character is { } c)
                    _text.Type(c);
                break;
        }
    }

    /// <summary>The first of the typed rows shown: the area scrolls to keep the caret's row in sight.</summary>
    private int FirstVisibleRow => _text is null ? 0 : Math.Max(0, _text.RowCount - _inputRows);

    /// <summary>The rows the input area shows, top first, padded with empty ones.</summary>
    private string[] VisibleRows(out int first)
    {
        first = FirstVisibleRow;
        var rows = new string[_inputRows];
        for (int i = 0; i < rows.Length; i++)
            rows[i] = first + i < _text!.RowCount ? _text.Row(first + i) : "";
        return rows;
    }

    /// <summary>Damages the input area's rows whose text changed and the rows the caret left and entered.</summary>
    private void DamageTypedRows(string[] before, (int X, int Y)? caretBefore)
    {
        string[] after = VisibleRows(out _);
        Rect area = InputArea;
        for (int i = 0; i < after.Length; i++)
        {
            if (after[i] != before[i])
                Damage(new Rect(area.X, area.Y + i * _font.Height, area.Width, _font.Height));
        }
        if (InputCaret != caretBefore)
        {
            foreach (var caret in new[] { caretBefore, InputCaret })
            {
                if (caret is { } p)
                    Damage(new Rect(area.X, p.Y, area.Width, _font.Height));
            }
        }
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
        DrawInputArea(c);
    }

    /// <summary>The typed text in the console font, under a rule, with the caret after it (all in layout coordinates).</summary>
    private void DrawInputArea(Canvas canvas)
    {
        if (_text is null || !canvas.Touches(new Rect(_inputArea.X, _inputArea.Y - 3, _inputArea.Width, _inputArea.Height + 3)))
            return;
        canvas.Fill(_inputArea.X, _inputArea.Y - 3, _inputArea.Width, 1, InputRuleColor);
        Canvas c = canvas.WithClip(_inputArea);
        c.Fill(_inputArea, InputBackground);
        string[] rows = VisibleRows(out int first);
        for (int i = 0; i < rows.Length; i++)
        {
            int y = _inputArea.Y + i * _font.Height;
            if (rows[i].Length > 0 && c.Touches(new Rect(_inputArea.X, y, _inputArea.Width, _font.Height)))
                _font.DrawText(c, _inputArea.X, y, rows[i], InputTextColor);
        }
        var (row, col) = _text.Caret;
        c.Fill(_inputArea.X + col * _font.Width, _inputArea.Y + (row - first) * _font.Height + 1, CaretWidth, _font.Height - 2, InputTextColor);
    }

    private void DrawCursor(Canvas canvas)
    {
        if (_cursor is not { } p || !canvas.Touches(CursorRect))
            return;
        uint outline = Xrgb.Pack(CursorOutline), fill = Xrgb.Pack(CursorFill);
        for (int row = 0; row < CursorSprite.Length; row++)
        {
            string line = CursorSprite[row];
            int x0 = p.X;
            Span<uint> span = canvas.RowSpan(p.Y + row, ref x0, p.X + line.Length);
            for (int i = 0; i < span.Length; i++)
            {
                char ch = line[x0 - p.X + i];
                if (ch != ' ')
                    span[i] = ch == 'X' ? outline : fill;
            }
        }
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
