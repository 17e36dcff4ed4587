using XenDisplayWeb.Shared.Kbdif;
using static XenDisplayWeb.Shared.Kbdif.LinuxInput;

namespace XenDisplayWeb.Shared.Tests.Kbdif;

public class LinuxInputTests
{
    [Fact]
    public void The_table_is_a_105_key_keyboard_with_one_row_per_key()
    {
        Assert.Equal(105, Keys.Count);
        Assert.Equal(Keys.Count, Keys.Select(k => k.Code).Distinct().Count());
        Assert.Equal(Keys.Count, Keys.Select(k => k.Keycode).Distinct().Count());
        Assert.Equal(104, Keys.TakeWhile(k => k.Code != "IntlBackslash").Count());
    }

    [Fact]
    public void Every_mapping_round_trips()
    {
        foreach (var key in Keys)
        {
            Assert.True(TryFromBrowserCode(key.Code, out var byCode), key.Code);
            Assert.Same(key, byCode);
            Assert.True(TryFromKeycode(key.Keycode, out var byKeycode), key.Name);
            Assert.Same(key, byKeycode);
            Assert.Equal(key.Keycode, Codes[key.Name]);
            Assert.Equal(key.Name, Name((uint)key.Keycode));
            Assert.True(IsValidKeycode((uint)key.Keycode));
            Assert.Equal(key.Plain, Character(key.Keycode, shift: false));
            Assert.Equal(key.Shifted, Character(key.Keycode, shift: true));
        }
    }

    [Theory]
    [InlineData("KeyA", KEY_A)]
    [InlineData("Digit1", KEY_1)]
    [InlineData("Digit0", KEY_0)]
    [InlineData("ShiftLeft", KEY_LEFTSHIFT)]
    [InlineData("ArrowUp", KEY_UP)]
    [InlineData("NumpadEnter", KEY_KPENTER)]
    [InlineData("Enter", KEY_ENTER)]
    [InlineData("MetaLeft", KEY_LEFTMETA)]
    [InlineData("ContextMenu", KEY_COMPOSE)]
    [InlineData("PrintScreen", KEY_SYSRQ)]
    [InlineData("IntlBackslash", KEY_102ND)]
    public void Browser_codes_name_their_physical_key(string code, int keycode)
    {
        Assert.True(TryFromBrowserCode(code, out var key));
        Assert.Equal(keycode, key.Keycode);
    }

    [Theory]
    [InlineData("keya")] // codes are case-sensitive
    [InlineData("IntlRo")] // a JIS key, not on a 105-key keyboard
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_browser_codes_are_refused(string? code) => Assert.False(TryFromBrowserCode(code, out _));

    [Fact]
    public void Every_printable_ASCII_character_is_typed_by_one_key_on_a_US_layout()
    {
        for (char c = ' '; c <= '~'; c++)
        {
            Assert.True(TryKeyFor(c, out var key, out bool shift), $"no key types '{c}'");
            Assert.Equal(c, Character(key.Keycode, shift));
            Assert.DoesNotContain("Numpad", key.Code); // the main block first
        }
        Assert.True(TryKeyFor('<', out var lt, out bool ltShift));
        Assert.Equal((KEY_COMMA, true), (lt.Keycode, ltShift)); // not the 105th key
        Assert.False(TryKeyFor('é', out _, out _));
        Assert.False(TryKeyFor('\n', out _, out _));
    }

    [Fact]
    public void Letters_shift_to_capitals_and_keys_that_type_nothing_give_null()
    {
        foreach (var k in Keys.Where(k => k.Code.StartsWith("Key", StringComparison.Ordinal)))
            Assert.Equal(char.ToUpperInvariant(k.Plain!.Value), k.Shifted);
        Assert.Equal('A', Character(KEY_A, true));
        Assert.Equal('!', Character(KEY_1, true));
        Assert.Null(Character(KEY_ENTER, false));
        Assert.Null(Character(KEY_KP7, true)); // Shift on the numpad navigates
        Assert.Equal('7', Character(KEY_KP7, false));
        Assert.Null(Character(BTN_LEFT, false));
    }

    [Theory]
    [InlineData(0, BTN_LEFT)]
    [InlineData(1, BTN_MIDDLE)]
    [InlineData(2, BTN_RIGHT)]
    [InlineData(3, BTN_SIDE)]
    [InlineData(4, BTN_EXTRA)]
    public void Mouse_buttons_map_to_BTN_codes(int button, int btn)
    {
        Assert.True(TryButtonFromMouseEvent(button, out int got));
        Assert.Equal(btn, got);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(5)]
    public void Mouse_buttons_past_forward_are_refused(int button) => Assert.False(TryButtonFromMouseEvent(button, out _));

    [Fact]
    public void Valid_codes_run_from_1_to_KEY_MAX_and_names_cover_buttons()
    {
        Assert.False(IsValidKeycode(KEY_RESERVED));
        Assert.True(IsValidKeycode(1));
        Assert.True(IsValidKeycode(KEY_MAX));
        Assert.False(IsValidKeycode(KEY_MAX + 1));
        Assert.False(IsValidKeycode(uint.MaxValue));
        Assert.Equal("BTN_TOUCH", Name(BTN_TOUCH));
        Assert.Equal("KEY_RESERVED", Name(KEY_RESERVED));
        Assert.Equal("code 4294967295", Name(uint.MaxValue));
        Assert.Equal(Codes.Count, Codes.Values.Distinct().Count()); // no two names for one code
    }
}
