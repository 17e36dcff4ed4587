using System.Collections.Frozen;
using System.Reflection;

namespace XenDisplayWeb.Shared.Kbdif;

/// <summary>One key of a 104/105-key PC keyboard: its browser name, Linux code and what a US layout types with it.</summary>
/// <param name="Code">KeyboardEvent.code: the physical key, whatever the layout ("KeyA", "Digit1", "NumpadEnter").</param>
/// <param name="Keycode">Linux KEY_* code, as kbdif's XENKBD_TYPE_KEY carries it.</param>
/// <param name="Name">The KEY_* name in linux/input-event-codes.h.</param>
/// <param name="Plain">The character a US layout types with this key alone; null for keys that type none.</param>
/// <param name="Shifted">The character with Shift held; null for keys that type none.</param>
public sealed record LinuxKey(string Code, int Keycode, string Name, char? Plain, char? Shifted);

/// <summary>
/// Linux input codes (linux/input-event-codes.h) for a full 104/105-key PC keyboard and the pointer and touch
/// buttons, with the browser's KeyboardEvent.code and MouseEvent.button for each, and the US layout's characters.
/// Numpad keys type as with Num Lock on; Shift on a numpad digit types nothing (it navigates).
/// </summary>
public static class LinuxInput
{
    public const int KEY_RESERVED = 0;
    public const int KEY_ESC = 1;
    public const int KEY_1 = 2;
    public const int KEY_2 = 3;
    public const int KEY_3 = 4;
    public const int KEY_4 = 5;
    public const int KEY_5 = 6;
    public const int KEY_6 = 7;
    public const int KEY_7 = 8;
    public const int KEY_8 = 9;
    public const int KEY_9 = 10;
    public const int KEY_0 = 11;
    public const int KEY_MINUS = 12;
    public const int KEY_EQUAL = 13;
    public const int KEY_BACKSPACE = 14;
    public const int KEY_TAB = 15;
    public const int KEY_Q = 16;
    public const int KEY_W = 17;
    public const int KEY_E = 18;
    public const int KEY_R = 19;
    public const int KEY_T = 20;
    public const int KEY_Y = 21;
    public const int KEY_U = 22;
    public const int KEY_I = 23;
    public const int KEY_O = 24;
    public const int KEY_P = 25;
    public const int KEY_LEFTBRACE = 26;
    public const int KEY_RIGHTBRACE = 27;
    public const int KEY_ENTER = 28;
    public const int KEY_LEFTCTRL = 29;
    public const int KEY_A = 30;
    public const int KEY_S = 31;
    public const int KEY_D = 32;
    public const int KEY_F = 33;
    public const int KEY_G = 34;
    public const int KEY_H = 35;
    public const int KEY_J = 36;
    public const int KEY_K = 37;
    public const int KEY_L = 38;
    public const int KEY_SEMICOLON = 39;
    public const int KEY_APOSTROPHE = 40;
    public const int KEY_GRAVE = 41;
    public const int KEY_LEFTSHIFT = 42;
    public const int KEY_BACKSLASH = 43;
    public const int KEY_Z = 44;
    public const int KEY_X = 45;
    public const int KEY_C = 46;
    public const int KEY_V = 47;
    public const int KEY_B = 48;
    public const int KEY_N = 49;
    public const int KEY_M = 50;
    public const int KEY_COMMA = 51;
    public const int KEY_DOT = 52;
    public const int KEY_SLASH = 53;
    public const int KEY_RIGHTSHIFT = 54;
    public const int KEY_KPASTERISK = 55;
    public const int KEY_LEFTALT = 56;
    public const int KEY_SPACE = 57;
    public const int KEY_CAPSLOCK = 58;
    public const int KEY_F1 = 59;
    public const int KEY_F2 = 60;
    public const int KEY_F3 = 61;
    public const int KEY_F4 = 62;
    public const int KEY_F5 = 63;
    public const int KEY_F6 = 64;
    public const int KEY_F7 = 65;
    public const int KEY_F8 = 66;
    public const int KEY_F9 = 67;
    public const int KEY_F10 = 68;
    public const int KEY_NUMLOCK = 69;
    public const int KEY_SCROLLLOCK = 70;
    public const int KEY_KP7 = 71;
    public const int KEY_KP8 = 72;
    public const int KEY_KP9 = 73;
    public const int KEY_KPMINUS = 74;
    public const int KEY_KP4 = 75;
    public const int KEY_KP5 = 76;
    public const int KEY_KP6 = 77;
    public const int KEY_KPPLUS = 78;
    public const int KEY_KP1 = 79;
    public const int KEY_KP2 = 80;
    public const int KEY_KP3 = 81;
    public const int KEY_KP0 = 82;
    public const int KEY_KPDOT = 83;
    public const int KEY_102ND = 86;
    public const int KEY_F11 = 87;
    public const int KEY_F12 = 88;
    public const int KEY_KPENTER = 96;
    public const int KEY_RIGHTCTRL = 97;
    public const int KEY_KPSLASH = 98;
    public const int KEY_SYSRQ = 99;
    public const int KEY_RIGHTALT = 100;
    public const int KEY_HOME = 102;
    public const int KEY_UP = 103;
    public const int KEY_PAGEUP = 104;
    public const int KEY_LEFT = 105;
    public const int KEY_RIGHT = 106;
    public const int KEY_END = 107;
    public const int KEY_DOWN = 108;
    public const int KEY_PAGEDOWN = 109;
    public const int KEY_INSERT = 110;
    public const int KEY_DELETE = 111;
    public const int KEY_PAUSE = 119;
    public const int KEY_LEFTMETA = 125;
    public const int KEY_RIGHTMETA = 126;
    public const int KEY_COMPOSE = 127;
    public const int KEY_MAX = 0x2ff;
    public const int BTN_LEFT = 0x110;
    public const int BTN_RIGHT = 0x111;
    public const int BTN_MIDDLE = 0x112;
    public const int BTN_SIDE = 0x113;
    public const int BTN_EXTRA = 0x114;
    public const int BTN_TOUCH = 0x14a;

    /// <summary>Every key of the keyboard, the 104 keys first (so <see cref="TryKeyFor"/> prefers the main block to the numpad and the 105th key).</summary>
    public static readonly IReadOnlyList<LinuxKey> Keys =
    [
        K("Escape", nameof(KEY_ESC), KEY_ESC),
        K("F1", nameof(KEY_F1), KEY_F1), K("F2", nameof(KEY_F2), KEY_F2), K("F3", nameof(KEY_F3), KEY_F3),
        K("F4", nameof(KEY_F4), KEY_F4), K("F5", nameof(KEY_F5), KEY_F5), K("F6", nameof(KEY_F6), KEY_F6),
        K("F7", nameof(KEY_F7), KEY_F7), K("F8", nameof(KEY_F8), KEY_F8), K("F9", nameof(KEY_F9), KEY_F9),
        K("F10", nameof(KEY_F10), KEY_F10), K("F11", nameof(KEY_F11), KEY_F11), K("F12", nameof(KEY_F12), KEY_F12),
        K("PrintScreen", nameof(KEY_SYSRQ), KEY_SYSRQ), K("ScrollLock", nameof(KEY_SCROLLLOCK), KEY_SCROLLLOCK),
        K("Pause", nameof(KEY_PAUSE), KEY_PAUSE),

        K("Backquote", nameof(KEY_GRAVE), KEY_GRAVE, '`', '~'),
        K("Digit1", nameof(KEY_1), KEY_1, '1', '!'), K("Digit2", nameof(KEY_2), KEY_2, '2', '@'),
        K("Digit3", nameof(KEY_3), KEY_3, '3', '#'), K("Digit4", nameof(KEY_4), KEY_4, '4', '$'),
        K("Digit5", nameof(KEY_5), KEY_5, '5', '%'), K("Digit6", nameof(KEY_6), KEY_6, '6', '^'),
        K("Digit7", nameof(KEY_7), KEY_7, '7', '&'), K("Digit8", nameof(KEY_8), KEY_8, '8', '*'),
        K("Digit9", nameof(KEY_9), KEY_9, '9', '('), K("Digit0", nameof(KEY_0), KEY_0, '0', ')'),
        K("Minus", nameof(KEY_MINUS), KEY_MINUS, '-', '_'), K("Equal", nameof(KEY_EQUAL), KEY_EQUAL, '=', '+'),
        K("Backspace", nameof(KEY_BACKSPACE), KEY_BACKSPACE),

        K("Tab", nameof(KEY_TAB), KEY_TAB),
        K("KeyQ", nameof(KEY_Q), KEY_Q, 'q', 'Q'), K("KeyW", nameof(KEY_W), KEY_W, 'w', 'W'),
        K("KeyE", nameof(KEY_E), KEY_E, 'e', 'E'), K("KeyR", nameof(KEY_R), KEY_R, 'r', 'R'),
        K("KeyT", nameof(KEY_T), KEY_T, 't', 'T'), K("KeyY", nameof(KEY_Y), KEY_Y, 'y', 'Y'),
        K("KeyU", nameof(KEY_U), KEY_U, 'u', 'U'), K("KeyI", nameof(KEY_I), KEY_I, 'i', 'I'),
        K("KeyO", nameof(KEY_O), KEY_O, 'o', 'O'), K("KeyP", nameof(KEY_P), KEY_P, 'p', 'P'),
        K("BracketLeft", nameof(KEY_LEFTBRACE), KEY_LEFTBRACE, '[', '{'),
        K("BracketRight", nameof(KEY_RIGHTBRACE), KEY_RIGHTBRACE, ']', '}'),
        K("Backslash", nameof(KEY_BACKSLASH), KEY_BACKSLASH, '\\', '|'),

        K("CapsLock", nameof(KEY_CAPSLOCK), KEY_CAPSLOCK),
        K("KeyA", nameof(KEY_A), KEY_A, 'a', 'A'), K("KeyS", nameof(KEY_S), KEY_S, 's', 'S'),
        K("KeyD", nameof(KEY_D), KEY_D, 'd', 'D'), K("KeyF", nameof(KEY_F), KEY_F, 'f', 'F'),
        K("KeyG", nameof(KEY_G), KEY_G, 'g', 'G'), K("KeyH", nameof(KEY_H), KEY_H, 'h', 'H'),
        K("KeyJ", nameof(KEY_J), KEY_J, 'j', 'J'), K("KeyK", nameof(KEY_K), KEY_K, 'k', 'K'),
        K("KeyL", nameof(KEY_L), KEY_L, 'l', 'L'),
        K("Semicolon", nameof(KEY_SEMICOLON), KEY_SEMICOLON, ';', ':'),
        K("Quote", nameof(KEY_APOSTROPHE), KEY_APOSTROPHE, '\'', '"'),
        K("Enter", nameof(KEY_ENTER), KEY_ENTER),

        K("ShiftLeft", nameof(KEY_LEFTSHIFT), KEY_LEFTSHIFT),
        K("KeyZ", nameof(KEY_Z), KEY_Z, 'z', 'Z'), K("KeyX", nameof(KEY_X), KEY_X, 'x', 'X'),
        K("KeyC", nameof(KEY_C), KEY_C, 'c', 'C'), K("KeyV", nameof(KEY_V), KEY_V, 'v', 'V'),
        K("KeyB", nameof(KEY_B), KEY_B, 'b', 'B'), K("KeyN", nameof(KEY_N), KEY_N, 'n', 'N'),
        K("KeyM", nameof(KEY_M), KEY_M, 'm', 'M'),
        K("Comma", nameof(KEY_COMMA), KEY_COMMA, ',', '<'), K("Period", nameof(KEY_DOT), KEY_DOT, '.', '>'),
        K("Slash", nameof(KEY_SLASH), KEY_SLASH, '/', '?'),
        K("ShiftRight", nameof(KEY_RIGHTSHIFT), KEY_RIGHTSHIFT),

        K("ControlLeft", nameof(KEY_LEFTCTRL), KEY_LEFTCTRL), K("MetaLeft", nameof(KEY_LEFTMETA), KEY_LEFTMETA),
        K("AltLeft", nameof(KEY_LEFTALT), KEY_LEFTALT), K("Space", nameof(KEY_SPACE), KEY_SPACE, ' ', ' '),
        K("AltRight", nameof(KEY_RIGHTALT), KEY_RIGHTALT), K("MetaRight", nameof(KEY_RIGHTMETA), KEY_RIGHTMETA),
        // The Menu key: Linux's keyboard drivers report it as KEY_COMPOSE.
        K("ContextMenu", nameof(KEY_COMPOSE), KEY_COMPOSE), K("ControlRight", nameof(KEY_RIGHTCTRL), KEY_RIGHTCTRL),

        K("Insert", nameof(KEY_INSERT), KEY_INSERT), K("Home", nameof(KEY_HOME), KEY_HOME),
        K("PageUp", nameof(KEY_PAGEUP), KEY_PAGEUP), K("Delete", nameof(KEY_DELETE), KEY_DELETE),
        K("End", nameof(KEY_END), KEY_END), K("PageDown", nameof(KEY_PAGEDOWN), KEY_PAGEDOWN),
        K("ArrowUp", nameof(KEY_UP), KEY_UP), K("ArrowLeft", nameof(KEY_LEFT), KEY_LEFT),
        K("ArrowDown", nameof(KEY_DOWN), KEY_DOWN), K("ArrowRight", nameof(KEY_RIGHT), KEY_RIGHT),

        K("NumLock", nameof(KEY_NUMLOCK), KEY_NUMLOCK),
        K("NumpadDivide", nameof(KEY_KPSLASH), KEY_KPSLASH, '/', '/'),
        K("NumpadMultiply", nameof(KEY_KPASTERISK), KEY_KPASTERISK, '*', '*'),
        K("NumpadSubtract", nameof(KEY_KPMINUS), KEY_KPMINUS, '-', '-'),
        K("Numpad7", nameof(KEY_KP7), KEY_KP7, '7'), K("Numpad8", nameof(KEY_KP8), KEY_KP8, '8'),
        K("Numpad9", nameof(KEY_KP9), KEY_KP9, '9'), K("NumpadAdd", nameof(KEY_KPPLUS), KEY_KPPLUS, '+', '+'),
        K("Numpad4", nameof(KEY_KP4), KEY_KP4, '4'), K("Numpad5", nameof(KEY_KP5), KEY_KP5, '5'),
        K("Numpad6", nameof(KEY_KP6), KEY_KP6, '6'),
        K("Numpad1", nameof(KEY_KP1), KEY_KP1, '1'), K("Numpad2", nameof(KEY_KP2), KEY_KP2, '2'),
        K("Numpad3", nameof(KEY_KP3), KEY_KP3, '3'), K("NumpadEnter", nameof(KEY_KPENTER), KEY_KPENTER),
        K("Numpad0", nameof(KEY_KP0), KEY_KP0, '0'), K("NumpadDecimal", nameof(KEY_KPDOT), KEY_KPDOT, '.'),

        // The 105th key of ISO keyboards, between left Shift and Z; the US symbols give it < and > too.
        K("IntlBackslash", nameof(KEY_102ND), KEY_102ND, '<', '>'),
    ];

    /// <summary>MouseEvent.button (0 main, 1 auxiliary, 2 secondary, 3 back, 4 forward) to its BTN_* code.</summary>
    public static readonly IReadOnlyList<int> MouseButtons = [BTN_LEFT, BTN_MIDDLE, BTN_RIGHT, BTN_SIDE, BTN_EXTRA];

    /// <summary>Every KEY_*/BTN_* constant above by name: the set the conformance program checks against the header.</summary>
    public static readonly FrozenDictionary<string, int> Codes = typeof(LinuxInput)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(int))
        .ToFrozenDictionary(f => f.Name, f => (int)f.GetRawConstantValue()!, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, LinuxKey> ByCode = Keys.ToFrozenDictionary(k => k.Code, StringComparer.Ordinal);
    private static readonly FrozenDictionary<int, LinuxKey> ByKeycode = Keys.ToFrozenDictionary(k => k.Keycode);
    private static readonly FrozenDictionary<int, string> Names =
        Codes.Where(c => c.Key != nameof(KEY_MAX)).ToFrozenDictionary(c => c.Value, c => c.Key);

    /// <summary>The key a KeyboardEvent.code names, or false for a key this keyboard does not have.</summary>
    public static bool TryFromBrowserCode(string? code, out LinuxKey key) =>
        ByCode.TryGetValue(code ?? "", out key!);

    /// <summary>The key with this Linux code, or false for a code this keyboard does not have (buttons included).</summary>
    public static bool TryFromKeycode(int keycode, out LinuxKey key) => ByKeycode.TryGetValue(keycode, out key!);

    /// <summary>The BTN_* code of a MouseEvent.button, or false for buttons past forward.</summary>
    public static bool TryButtonFromMouseEvent(int button, out int btn)
    {
        btn = button >= 0 && button < MouseButtons.Count ? MouseButtons[button] : 0;
        return btn != 0;
    }

    /// <summary>
    /// BTN_LEFT to BTN_TASK (0x110..0x117): the buttons xen-kbdfront gives its pointer device; every other
    /// valid code goes to its keyboard device.
    /// </summary>
    public static bool IsPointerButton(uint code) => code is >= BTN_LEFT and < BTN_LEFT + 8;

    /// <summary>A code a kbdif key event may carry: KEY_RESERVED &lt; code &lt;= KEY_MAX.</summary>
    public static bool IsValidKeycode(uint code) => code is > KEY_RESERVED and <= KEY_MAX;

    /// <summary>The header's name of a code we define ("KEY_A", "BTN_LEFT"), else the number.</summary>
    public static string Name(uint code) => code <= int.MaxValue && Names.TryGetValue((int)code, out var n) ? n : $"code {code}";

    /// <summary>What a US layout types with <paramref name="keycode"/>, Shift held or not; null when it types nothing.</summary>
    public static char? Character(int keycode, bool shift) =>
        ByKeycode.TryGetValue(keycode, out var k) ? (shift ? k.Shifted : k.Plain) : null;

    /// <summary>The key, and whether Shift is held, that types <paramref name="c"/> on a US layout (main block first).</summary>
    public static bool TryKeyFor(char c, out LinuxKey key, out bool shift)
    {
        foreach (var k in Keys)
        {
            if (k.Plain == c) { key = k; shift = false; return true; }
            if (k.Shifted == c) { key = k; shift = true; return true; }
        }
        key = null!;
        shift = false;
        return false;
    }

    private static LinuxKey K(string code, string name, int keycode, char? plain = null, char? shifted = null) =>
        new(code, keycode, name, plain, shifted);
}
