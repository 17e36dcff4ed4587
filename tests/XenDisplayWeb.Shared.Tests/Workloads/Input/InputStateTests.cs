using XenDisplayWeb.Shared.Kbdif;
using XenDisplayWeb.Shared.Workloads.Input;
using static XenDisplayWeb.Shared.Kbdif.LinuxInput;

namespace XenDisplayWeb.Shared.Tests.Workloads.Input;

public class InputStateTests
{
    private const int W = 640, H = 480;

    private static (InputState State, List<InputAction> Actions) Applied(params IXenkbdInEvent[] events)
    {
        var state = new InputState(W, H);
        var actions = new List<InputAction>();
        for (int i = 0; i < events.Length; i++)
            state.Apply(new GuestInputEvent(100 + i, events[i]), actions);
        return (state, actions);
    }

    private static XenkbdKey Press(int code) => new(true, (uint)code);
    private static XenkbdKey Release(int code) => new(false, (uint)code);

    [Fact]
    public void Before_any_event_there_is_no_pointer_and_no_seq()
    {
        var s = new InputState(W, H);
        Assert.False(s.HasPointer);
        Assert.Equal(-1, s.LastSeq);
        Assert.Equal(PointerButtons.None, s.Buttons);
    }

    [Fact]
    public void Pos_sets_the_position_and_says_so_once()
    {
        var (s, a) = Applied(new XenkbdPosition(10, 20, 0), new XenkbdPosition(10, 20, 0), new XenkbdPosition(11, 20, 0));
        Assert.Equal((11, 20, true), (s.X, s.Y, s.HasPointer));
        Assert.Equal([InputAction.Move(100, 10, 20), InputAction.Move(102, 11, 20)], a);
        Assert.Equal(102, s.LastSeq);
    }

    [Theory]
    [InlineData(-5, -1, 0, 0)]
    [InlineData(640, 480, 639, 479)]
    [InlineData(int.MaxValue, int.MinValue, 639, 0)]
    public void Pos_is_clamped_to_the_connector(int x, int y, int cx, int cy)
    {
        var (s, a) = Applied(new XenkbdPosition(x, y, 0));
        Assert.Equal((cx, cy), (s.X, s.Y));
        Assert.Equal([InputAction.Move(100, cx, cy)], a);
    }

    [Fact]
    public void Motion_moves_relatively_and_is_clamped_without_overflow()
    {
        var (s, a) = Applied(new XenkbdPosition(100, 100, 0), new XenkbdMotion(5, -7, 0), new XenkbdMotion(int.MaxValue, int.MinValue, 0), new XenkbdMotion(-1, 1, 0));
        Assert.Equal((638, 1), (s.X, s.Y));
        Assert.Equal([InputAction.Move(100, 100, 100), InputAction.Move(101, 105, 93), InputAction.Move(102, 639, 0), InputAction.Move(103, 638, 1)], a);
    }

    [Fact]
    public void Rel_z_of_pos_and_motion_is_the_wheel_where_the_pointer_is()
    {
        var (_, a) = Applied(new XenkbdPosition(30, 40, 2), new XenkbdMotion(0, 0, -1), new XenkbdMotion(1, 0, 0));
        Assert.Equal([InputAction.Move(100, 30, 40), InputAction.Wheel(100, 2, 30, 40), InputAction.Wheel(101, -1, 30, 40), InputAction.Move(102, 31, 40)], a);
    }

    [Fact]
    public void Mouse_buttons_are_held_until_released_and_report_where_they_were_pressed()
    {
        var (s, a) = Applied(new XenkbdPosition(7, 8, 0), Press(BTN_LEFT), Press(BTN_RIGHT), Release(BTN_LEFT), Press(BTN_EXTRA));
        Assert.Equal(PointerButtons.Right | PointerButtons.Extra, s.Buttons);
        Assert.Equal(InputAction.Button(101, BTN_LEFT, true, 7, 8), a[1]);
        Assert.Equal(InputAction.Button(103, BTN_LEFT, false, 7, 8), a[3]);
        Assert.Equal(5, a.Count);
    }

    [Fact]
    public void Keys_type_the_US_layout_with_either_shift_held()
    {
        var (s, a) = Applied(Press(KEY_H), Release(KEY_H), Press(KEY_LEFTSHIFT), Press(KEY_RIGHTSHIFT), Release(KEY_LEFTSHIFT),
            Press(KEY_H), Press(KEY_1), Release(KEY_RIGHTSHIFT), Press(KEY_1), Press(KEY_LEFT));
        Assert.False(s.Shift);
        var typed = a.Where(x => x.Kind == InputActionKind.Key && x.Pressed).Select(x => x.Character).ToList();
        Assert.Equal(['h', null, null, 'H', '!', '1', null], typed);
        Assert.Null(a[1].Character); // a release types nothing
    }

    [Fact]
    public void Caps_lock_shifts_letters_only_and_shift_undoes_it()
    {
        var (s, a) = Applied(Press(KEY_CAPSLOCK), Release(KEY_CAPSLOCK), Press(KEY_A), Press(KEY_1), Press(KEY_LEFTSHIFT), Press(KEY_A),
            Release(KEY_LEFTSHIFT), Press(KEY_CAPSLOCK), Press(KEY_A));
        Assert.False(s.CapsLock);
        var typed = a.Where(x => x.Kind == InputActionKind.Key && x.Pressed && x.Character is not null).Select(x => x.Character!.Value);
        Assert.Equal("A1aa", string.Concat(typed));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData((uint)KEY_MAX + 1)]
    [InlineData(uint.MaxValue)]
    public void Key_codes_out_of_range_do_nothing_but_are_consumed(uint code)
    {
        var (s, a) = Applied(new XenkbdKey(true, code));
        Assert.Empty(a);
        Assert.Equal(100, s.LastSeq);
    }

    [Fact]
    public void Touch_contacts_are_tracked_by_id()
    {
        var (s, a) = Applied(XenkbdMtouch.Down(3, 10, 11), XenkbdMtouch.Down(5, 700, -4), XenkbdMtouch.Motion(3, 12, 13), XenkbdMtouch.Syn(3),
            XenkbdMtouch.Shape(3, 4, 4), XenkbdMtouch.Motion(9, 1, 1), XenkbdMtouch.Up(5), XenkbdMtouch.Up(9));
        Assert.Equal(
        [
            InputAction.Touch(100, TouchPhase.Down, 3, 10, 11),
            InputAction.Touch(101, TouchPhase.Down, 5, 639, 0),
            InputAction.Touch(102, TouchPhase.Move, 3, 12, 13),
            InputAction.Touch(106, TouchPhase.Up, 5, 639, 0),
        ], a);
        Assert.Equal([3], s.Contacts.Keys);
        Assert.Equal((12, 13), s.Contacts[3]);
        Assert.False(s.HasPointer); // touch is not the pointer
    }
}
