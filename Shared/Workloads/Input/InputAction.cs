namespace XenDisplayWeb.Shared.Workloads.Input;

/// <summary>What an <see cref="InputAction"/> is.</summary>
public enum InputActionKind : byte
{
    /// <summary>The pointer moved to (X, Y).</summary>
    Move,
    /// <summary>A pointer button (BTN_* in <see cref="InputAction.Code"/>) was pressed or released at (X, Y).</summary>
    Button,
    /// <summary>A key (KEY_* in <see cref="InputAction.Code"/>) was pressed or released; a press may type <see cref="InputAction.Character"/>.</summary>
    Key,
    /// <summary>The wheel turned by <see cref="InputAction.Delta"/> notches (kbdif's rel_z) with the pointer at (X, Y).</summary>
    Wheel,
    /// <summary>A touch contact went down, moved or went up at (X, Y).</summary>
    Touch,
}

/// <summary>The phase of a <see cref="InputActionKind.Touch"/> action.</summary>
public enum TouchPhase : byte { Down, Move, Up }

/// <summary>
/// One thing the input did, in the guest's terms: kbdif events read through <see cref="InputState"/>, with positions
/// clamped to the connector. <see cref="Seq"/> is the ring seq of the event it came from.
/// </summary>
public readonly record struct InputAction
{
    private InputAction(long seq, InputActionKind kind, int x, int y, int code = 0, bool pressed = false, char? character = null,
        int delta = 0, int contact = -1, TouchPhase phase = TouchPhase.Down)
    {
        Seq = seq;
        Kind = kind;
        X = x;
        Y = y;
        Code = code;
        Pressed = pressed;
        Character = character;
        Delta = delta;
        Contact = contact;
        Phase = phase;
    }

    public long Seq { get; }
    public InputActionKind Kind { get; }
    public int X { get; }
    public int Y { get; }
    /// <summary>The Linux KEY_*/BTN_* code of a Key or Button action.</summary>
    public int Code { get; }
    public bool Pressed { get; }
    /// <summary>What a key press types on a US layout with the Shift and Caps Lock state of the moment; null for none.</summary>
    public char? Character { get; }
    /// <summary>Wheel notches, kbdif's rel_z: positive turns towards the user (Linux reports REL_WHEEL = -rel_z).</summary>
    public int Delta { get; }
    /// <summary>The contact id of a Touch action.</summary>
    public int Contact { get; }
    public TouchPhase Phase { get; }

    public static InputAction Move(long seq, int x, int y) => new(seq, InputActionKind.Move, x, y);
    public static InputAction Button(long seq, int code, bool pressed, int x, int y) => new(seq, InputActionKind.Button, x, y, code, pressed);
    public static InputAction Key(long seq, int code, bool pressed, char? character) => new(seq, InputActionKind.Key, 0, 0, code, pressed, character);
    public static InputAction Wheel(long seq, int delta, int x, int y) => new(seq, InputActionKind.Wheel, x, y, delta: delta);
    public static InputAction Touch(long seq, TouchPhase phase, int contact, int x, int y) => new(seq, InputActionKind.Touch, x, y, contact: contact, phase: phase);
}

/// <summary>
/// One frame's input as a renderer gets it: the actions since the last frame, oldest first, and the state they
/// left (pointer, buttons, contacts), so a renderer created later still knows where the pointer is.
/// </summary>
public readonly ref struct InputFrame(ReadOnlySpan<InputAction> actions, InputState state)
{
    public ReadOnlySpan<InputAction> Actions { get; } = actions;
    public InputState State { get; } = state;
}
