using Microsoft.Extensions.Time.Testing;
using XenDisplayWeb.Shared.Kbdif;
using XenDisplayWeb.Shared.Kbdif.Backend;

namespace XenDisplayWeb.Shared.Tests.Kbdif.Backend;

public class InputTraceSamplerTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Moves_beyond_the_rate_are_not_shown_and_the_next_event_shown_counts_them()
    {
        var sampler = new InputTraceSampler(3, _time);

        var shown = Enumerable.Range(0, 60).Select(i => sampler.Show(new XenkbdPosition(i, i, 0), out _)).ToList();
        Assert.Equal(3, shown.Count(s => s));
        Assert.True(shown.Take(3).All(s => s));
        Assert.Equal(57, sampler.HiddenTotal);

        // A key is always shown, and carries the count of the moves held back before it.
        Assert.True(sampler.Show(new XenkbdKey(true, LinuxInput.KEY_A), out long hidden));
        Assert.Equal(57, hidden);
        Assert.False(sampler.Show(new XenkbdMotion(1, 0, 0), out _));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(sampler.Show(XenkbdMtouch.Motion(0, 5, 5), out hidden));
        Assert.Equal(1, hidden);
    }

    [Fact]
    public void Keys_buttons_and_touch_down_up_are_always_shown_even_at_a_rate_of_zero()
    {
        var sampler = new InputTraceSampler(0, _time);
        IXenkbdInEvent[] always =
        [
            new XenkbdKey(true, LinuxInput.KEY_A), new XenkbdKey(false, LinuxInput.KEY_A), new XenkbdKey(true, LinuxInput.BTN_LEFT),
            XenkbdMtouch.Down(0, 1, 1), XenkbdMtouch.Up(0), XenkbdMtouch.Syn(0),
        ];
        for (int round = 0; round < 100; round++)
            Assert.All(always, e => Assert.True(sampler.Show(e, out _)));
        Assert.False(sampler.Show(new XenkbdPosition(1, 1, 0), out _));
        Assert.False(sampler.Show(new XenkbdMotion(1, 1, 0), out _));
        Assert.False(sampler.Show(XenkbdMtouch.Motion(0, 1, 1), out _));
    }

    [Fact]
    public void Backlog_notes_come_at_most_once_a_second_with_the_counts_since_the_last_and_once_more_when_drained()
    {
        var sampler = new InputTraceSampler(10, _time);

        Assert.Equal("in ring full: 1 move(s) dropped, 0 coalesced, 0 press(es) refused", sampler.Dropped());
        for (int i = 0; i < 500; i++) Assert.Null(sampler.Coalesced());
        Assert.Null(sampler.Refused());
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Null(sampler.Dropped());
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("in ring full: 1 move(s) dropped, 501 coalesced, 1 press(es) refused", sampler.Coalesced());

        Assert.Null(sampler.Coalesced());
        Assert.Equal("in ring full: 0 move(s) dropped, 1 coalesced, 0 press(es) refused; the backlog has drained", sampler.Drained());
        Assert.Null(sampler.Drained());
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(KbdOptions.MaxTraceMovesPerSecond, true)]
    [InlineData(KbdOptions.MaxTraceMovesPerSecond + 1, false)]
    public void The_rate_is_validated(int rate, bool valid)
    {
        var errors = new KbdOptions { TraceMovesPerSecond = rate }.Validate();
        Assert.Equal(valid, errors.Count == 0);
        if (!valid) Assert.StartsWith(nameof(KbdOptions.TraceMovesPerSecond), Assert.Single(errors));
    }
}
