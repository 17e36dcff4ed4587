using System.Runtime.InteropServices;
using XenDisplayWeb.Shared.Kbdif;
using XenDisplayWeb.Shared.Workloads;
using XenDisplayWeb.Shared.Workloads.Input;

namespace XenDisplayWeb.Shared.Tests.Workloads;

/// <summary>Feeds kbdif events to renderers as the compositor does: numbered in ring order, through one <see cref="InputState"/>.</summary>
internal sealed class InputFeed(int width, int height, long firstSeq = 0)
{
    private readonly List<IXenkbdInEvent> _all = [];
    private long _seq = firstSeq;

    public InputState State { get; } = new(width, height);

    /// <summary>Every event sent so far, in order (to replay into a fresh renderer).</summary>
    public IReadOnlyList<IXenkbdInEvent> All => _all;

    /// <summary>One frame's input: <paramref name="events"/> applied in order, handed to <paramref name="renderer"/> as one <see cref="InputFrame"/>.</summary>
    public void Send(IWorkloadRenderer renderer, params IXenkbdInEvent[] events)
    {
        var actions = new List<InputAction>();
        foreach (var e in events)
        {
            State.Apply(new GuestInputEvent(_seq++, e), actions);
            _all.Add(e);
        }
        renderer.Apply(new InputFrame(CollectionsMarshal.AsSpan(actions), State));
    }

    /// <summary>A fresh renderer that got everything this feed sent, in one frame.</summary>
    public IWorkloadRenderer Replay(string workload)
    {
        var r = WorkloadRenderers.Create(workload, State.Width, State.Height);
        new InputFeed(State.Width, State.Height).Send(r, [.. _all]);
        return r;
    }

    public static XenkbdKey Press(int code) => new(true, (uint)code);
    public static XenkbdKey Release(int code) => new(false, (uint)code);

    /// <summary>Left button down at (x, y): the pointer goes there first.</summary>
    public static IXenkbdInEvent[] Click(int x, int y) =>
        [new XenkbdPosition(x, y, 0), Press(LinuxInput.BTN_LEFT), Release(LinuxInput.BTN_LEFT)];

    /// <summary>The key presses and releases that type <paramref name="text"/> on a US layout, Shift held where needed.</summary>
    public static IXenkbdInEvent[] Typing(string text)
    {
        var events = new List<IXenkbdInEvent>();
        foreach (char c in text)
        {
            if (c == '\n')
            {
                events.Add(Press(LinuxInput.KEY_ENTER));
                events.Add(Release(LinuxInput.KEY_ENTER));
                continue;
            }
            Assert.True(LinuxInput.TryKeyFor(c, out var key, out bool shift), $"no US key types '{c}'");
            if (shift) events.Add(Press(LinuxInput.KEY_LEFTSHIFT));
            events.Add(Press(key.Keycode));
            events.Add(Release(key.Keycode));
            if (shift) events.Add(Release(LinuxInput.KEY_LEFTSHIFT));
        }
        return [.. events];
    }
}
