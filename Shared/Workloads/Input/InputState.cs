using XenDisplayWeb.Shared.Kbdif;

namespace XenDisplayWeb.Shared.Workloads.Input;

/// <summary>The mouse buttons held, bit i for BTN_LEFT + i.</summary>
[Flags]
public enum PointerButtons : byte
{
    None = 0,
    Left = 1 << (LinuxInput.BTN_LEFT - LinuxInput.BTN_LEFT),
    Right = 1 << (LinuxInput.BTN_RIGHT - LinuxInput.BTN_LEFT),
    Middle = 1 << (LinuxInput.BTN_MIDDLE - LinuxInput.BTN_LEFT),
    Side = 1 << (LinuxInput.BTN_SIDE - LinuxInput.BTN_LEFT),
    Extra = 1 << (LinuxInput.BTN_EXTRA - LinuxInput.BTN_LEFT),
}

/// <summary>
/// What a guest knows of its input on one connector, built from kbdif in events in ring order: the pointer's
/// absolute position (POS sets it, MOTION moves it; both clamped to the connector), the mouse buttons held, Shift and
/// Caps Lock, and the touch contacts down (MTOUCH by contact id). Each event is turned into <see cref="InputAction"/>s.
/// Not thread-safe: the compositor's connector loop owns it.
/// </summary>
public sealed class InputState
{
    private readonly Dictionary<int, (int X, int Y)> _contacts = [];
    private bool _leftShift, _rightShift;

    public InputState(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        Width = width;
        Height = height;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>The pointer, in connector pixels.</summary>
    public int X { get; private set; }
    public int Y { get; private set; }

    /// <summary>Whether any pointer event (POS, MOTION, a button) has arrived: before it there is no pointer to draw.</summary>
    public bool HasPointer { get; private set; }

    public PointerButtons Buttons { get; private set; }
    public bool Shift => _leftShift || _rightShift;
    public bool CapsLock { get; private set; }

    /// <summary>The touch contacts down, by contact id.</summary>
    public IReadOnlyDictionary<int, (int X, int Y)> Contacts => _contacts;

    /// <summary>The seq of the last event applied; -1 before any.</summary>
    public long LastSeq { get; private set; } = -1;

    /// <summary>Events applied (all of them, ignored ones included).</summary>
    public long Applied { get; private set; }

    /// <summary>Applies <paramref name="e"/> and adds what it did to <paramref name="actions"/> (nothing for an event that changes nothing).</summary>
    public void Apply(in GuestInputEvent e, List<InputAction> actions)
    {
        ArgumentNullException.ThrowIfNull(e.Event);
        LastSeq = e.Seq;
        Applied++;
        switch (e.Event)
        {
            case XenkbdPosition p:
                MoveTo(e.Seq, p.AbsX, p.AbsY, actions);
                Wheel(e.Seq, p.RelZ, actions);
                break;
            case XenkbdMotion m:
                MoveTo(e.Seq, (long)X + m.RelX, (long)Y + m.RelY, actions);
                Wheel(e.Seq, m.RelZ, actions);
                break;
            case XenkbdKey k:
                Key(e.Seq, k, actions);
                break;
            case XenkbdMtouch t:
                Touch(e.Seq, t, actions);
                break;
        }
    }

    private void MoveTo(long seq, long x, long y, List<InputAction> actions)
    {
        int cx = (int)Math.Clamp(x, 0, Width - 1), cy = (int)Math.Clamp(y, 0, Height - 1);
        bool moved = !HasPointer || cx != X || cy != Y;
        HasPointer = true;
        (X, Y) = (cx, cy);
        if (moved)
            actions.Add(InputAction.Move(seq, cx, cy));
    }

    private void Wheel(long seq, int relZ, List<InputAction> actions)
    {
        if (relZ != 0)
            actions.Add(InputAction.Wheel(seq, relZ, X, Y));
    }

    private void Key(long seq, XenkbdKey k, List<InputAction> actions)
    {
        if (!LinuxInput.IsValidKeycode(k.Keycode))
            return;
        int code = (int)k.Keycode;
        if (IsButton(code))
        {
            HasPointer = true;
            if (code is >= LinuxInput.BTN_LEFT and <= LinuxInput.BTN_EXTRA)
            {
                var bit = (PointerButtons)(1 << (code - LinuxInput.BTN_LEFT));
                Buttons = k.Pressed ? Buttons | bit : Buttons & ~bit;
            }
            actions.Add(InputAction.Button(seq, code, k.Pressed, X, Y));
            return;
        }
        switch (code)
        {
            case LinuxInput.KEY_LEFTSHIFT: _leftShift = k.Pressed; break;
            case LinuxInput.KEY_RIGHTSHIFT: _rightShift = k.Pressed; break;
            case LinuxInput.KEY_CAPSLOCK when k.Pressed: CapsLock = !CapsLock; break;
        }
        actions.Add(InputAction.Key(seq, code, k.Pressed, k.Pressed ? Character(code) : null));
    }

    /// <summary>What the key types now: Caps Lock shifts letters only, as on Linux's US keymap.</summary>
    private char? Character(int code)
    {
        bool letter = LinuxInput.Character(code, false) is >= 'a' and <= 'z';
        return LinuxInput.Character(code, Shift ^ (CapsLock && letter));
    }

    private static bool IsButton(int code) =>
        code is >= LinuxInput.BTN_LEFT and <= LinuxInput.BTN_EXTRA or LinuxInput.BTN_TOUCH;

    private void Touch(long seq, XenkbdMtouch t, List<InputAction> actions)
    {
        int id = t.ContactId;
        switch (t.EventType)
        {
            case XenkbdMtEv.Down:
            case XenkbdMtEv.Motion when _contacts.ContainsKey(id):
                var at = (X: Math.Clamp(t.AbsX, 0, Width - 1), Y: Math.Clamp(t.AbsY, 0, Height - 1));
                _contacts[id] = at;
                actions.Add(InputAction.Touch(seq, t.EventType == XenkbdMtEv.Down ? TouchPhase.Down : TouchPhase.Move, id, at.X, at.Y));
                break;
            case XenkbdMtEv.Up when _contacts.Remove(id, out var last):
                actions.Add(InputAction.Touch(seq, TouchPhase.Up, id, last.X, last.Y));
                break;
        }
    }
}
