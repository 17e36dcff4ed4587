using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Kbdif;
using XenDisplayWeb.Shared.Kbdif.Backend;
using XenDisplayWeb.Shared.Kbdif.Frontend;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Fuzzing;

/// <summary>
/// A well-behaved guest with xen-kbdfront beside the hostile ones, and the model its input is checked
/// against. <see cref="Feed"/> offers it a batch (keys pressed and released, moves, positions, touches, now
/// and then a burst while its input thread is paused, so the ring and the backlog fill) and records what the
/// backend accepted under which seq, merging moves as the backlog may. <see cref="Settle"/> releases what is
/// held and checks that the guest got exactly that: every accepted seq, in order, each event as accepted,
/// every key and contact that went down came up. Feed runs on one thread at a time.
/// </summary>
internal sealed class KbdGoodGuest : IDisposable
{
    public const int Width = 640, Height = 480;
    private static readonly TimeSpan DeliverTimeout = TimeSpan.FromSeconds(5);

    private readonly Func<KbdDevice?> _device;
    private readonly object _lock = new();
    private readonly List<(long Seq, IXenkbdInEvent Event)> _accepted = [];
    private readonly List<(long Seq, IXenkbdInEvent Event)> _received = [];
    private readonly HashSet<uint> _held = [];
    private readonly HashSet<byte> _touching = [];
    private readonly HashSet<uint> _keysDownSeen = [];
    private readonly HashSet<byte> _contactsDownSeen = [];
    private long _nextSeq, _lastReceived = -1, _checked;
    private string? _receiveProblem;

    private readonly int _maxBurst;

    public KbdGoodGuest(SimDomain dom, Func<KbdDevice?> device, int backlogCapacity)
    {
        _device = device;
        _maxBurst = 2 * (Kbdif.InRingLen + backlogCapacity); // up to twice what the ring and the backlog hold
        Front = new XenKbdFront(dom, 0, OnEvent);
        Front.Start();
    }

    public XenKbdFront Front { get; }

    /// <summary>Events received and checked against what was accepted, over the run.</summary>
    public long Checked => Interlocked.Read(ref _checked);

    private void OnEvent(long seq, IXenkbdInEvent e)
    {
        lock (_lock)
        {
            if (seq <= _lastReceived) _receiveProblem ??= $"the good guest got seq {seq} after seq {_lastReceived}";
            _lastReceived = seq;
            _received.Add((seq, e));
        }
    }

    /// <summary>One batch offered through Accept (its call timed by <paramref name="watch"/>); a problem with what was accepted, or null.</summary>
    public string? Feed(Random rng, CallWatch watch)
    {
        if (_device() is not { } device) return "the good guest's vkbd device is gone";
        bool burst = rng.Next(8) == 0;
        if (burst) Front.Paused = true;
        try
        {
            var batch = Batch(rng, burst ? rng.Next(Kbdif.InRingLen, _maxBurst) : rng.Next(1, 8));
            var result = watch.Run(() => device.Accept(batch));
            return Record(batch, result);
        }
        finally
        {
            if (burst) watch.Run(() => Front.Paused = false); // consumes everything pending on this thread
        }
    }

    /// <summary>
    /// Ends the round: releases every held key and contact, lets the guest consume, and checks that what it got
    /// is what was accepted. The problems found (empty when none).
    /// </summary>
    public List<string> Settle(CallWatch watch)
    {
        var problems = new List<string>();
        if (_device() is not { } device) return ["the good guest's vkbd device is gone"];
        var releases = new List<IXenkbdInEvent>();
        lock (_lock)
        {
            releases.AddRange(_held.Select(k => (IXenkbdInEvent)new XenkbdKey(false, k)));
            releases.AddRange(_touching.Select(c => (IXenkbdInEvent)XenkbdMtouch.Up(c)));
        }
        if (releases.Count > 0 && Record(releases, watch.Run(() => device.Accept(releases))) is { } p) problems.Add(p);
        watch.Run(() => Front.Paused = false);
        long last = Interlocked.Read(ref _nextSeq) - 1;
        if (!FuzzContext.Poll(() => { lock (_lock) return _lastReceived >= last; }, DeliverTimeout))
            lock (_lock) problems.Add($"the good guest got up to seq {_lastReceived}, the backend accepted up to {last}");
        lock (_lock)
        {
            if (_receiveProblem is { } r) problems.Add(r);
            if (Compare() is { } c) problems.Add(c);
            if (_keysDownSeen.Count + _contactsDownSeen.Count > 0)
                problems.Add($"after every release the good guest still holds keys [{string.Join(", ", _keysDownSeen.Select(k => LinuxInput.Name(k)))}] and contacts [{string.Join(", ", _contactsDownSeen)}]");
            Interlocked.Add(ref _checked, _received.Count);
            _accepted.Clear();
            _received.Clear();
            _receiveProblem = null;
            _keysDownSeen.Clear();
            _contactsDownSeen.Clear();
        }
        return problems;
    }

    /// <summary>What was received against what was accepted, seq by seq; replays the keys and contacts down.</summary>
    private string? Compare()
    {
        string? problem = null;
        int n = Math.Min(_accepted.Count, _received.Count);
        for (int i = 0; i < n && problem is null; i++)
        {
            var (seq, want) = _accepted[i];
            var (gotSeq, got) = _received[i];
            if (seq != gotSeq || !want.Equals(got)) problem = $"the good guest's event #{i} is seq {gotSeq} {got}, the backend accepted seq {seq} {want}";
            switch (got)
            {
                case XenkbdKey { Pressed: true } k: _keysDownSeen.Add(k.Keycode); break;
                case XenkbdKey { Pressed: false } k: _keysDownSeen.Remove(k.Keycode); break;
                case XenkbdMtouch { EventType: XenkbdMtEv.Down } t: _contactsDownSeen.Add(t.ContactId); break;
                case XenkbdMtouch { EventType: XenkbdMtEv.Up } t: _contactsDownSeen.Remove(t.ContactId); break;
            }
        }
        if (problem is null && _accepted.Count != _received.Count)
            problem = $"the backend accepted {_accepted.Count} events this round, the good guest got {_received.Count}";
        return problem;
    }

    /// <summary>
    /// Checks each event's seq (a new one is the next, a merged move goes to the last one and is a move of
    /// the same kind), notes it, and follows the keys and contacts held: a release of a held one is never refused.
    /// </summary>
    private string? Record(IReadOnlyList<IXenkbdInEvent> batch, KbdAcceptResult result)
    {
        lock (_lock)
        {
            if (result.Seqs.Count != batch.Count) return $"Accept gave {result.Seqs.Count} seqs for {batch.Count} events";
            string? problem = null;
            for (int i = 0; i < batch.Count; i++)
            {
                var e = batch[i];
                long seq = result.Seqs[i];
                if (seq < 0)
                {
                    // A press with no room for its release, another event, or a move on a full backlog, may be refused; a release never.
                    if (e is XenkbdKey { Pressed: false } k && _held.Contains(k.Keycode)) problem ??= $"the release of held {LinuxInput.Name(k.Keycode)} was refused";
                    if (e is XenkbdMtouch { EventType: XenkbdMtEv.Up } t && _touching.Contains(t.ContactId)) problem ??= $"the lift of contact {t.ContactId} was refused";
                    continue;
                }
                if (seq == _nextSeq - 1 && _accepted.Count > 0 && _accepted[^1].Seq == seq && Merge(_accepted[^1].Event, e) is { } merged)
                    _accepted[^1] = (seq, merged);
                else
                {
                    if (seq != _nextSeq) problem ??= $"{e} was given seq {seq}, the next is {_nextSeq}";
                    _accepted.Add((seq, e));
                    _nextSeq = seq + 1;
                }
                Track(e);
            }
            return problem;
        }
    }

    private void Track(IXenkbdInEvent e)
    {
        switch (e)
        {
            case XenkbdKey { Pressed: true } k: _held.Add(k.Keycode); break;
            case XenkbdKey { Pressed: false } k: _held.Remove(k.Keycode); break;
            case XenkbdMtouch { EventType: XenkbdMtEv.Down } t: _touching.Add(t.ContactId); break;
            case XenkbdMtouch { EventType: XenkbdMtEv.Up } t: _touching.Remove(t.ContactId); break;
        }
    }

    /// <summary>The model of coalescing: a move into the move of the same kind (and contact) before it.</summary>
    private static IXenkbdInEvent? Merge(IXenkbdInEvent a, IXenkbdInEvent b) => (a, b) switch
    {
        (XenkbdMotion x, XenkbdMotion y) => new XenkbdMotion(unchecked(x.RelX + y.RelX), unchecked(x.RelY + y.RelY), unchecked(x.RelZ + y.RelZ)),
        (XenkbdPosition x, XenkbdPosition y) => new XenkbdPosition(y.AbsX, y.AbsY, unchecked(x.RelZ + y.RelZ)),
        (XenkbdMtouch { EventType: XenkbdMtEv.Motion } x, XenkbdMtouch { EventType: XenkbdMtEv.Motion } y) when x.ContactId == y.ContactId => y,
        _ => null,
    };

    /// <summary>What a person does: keys down and up (several held at once), moves, positions, touches.</summary>
    private List<IXenkbdInEvent> Batch(Random rng, int count)
    {
        var batch = new List<IXenkbdInEvent>(count);
        HashSet<uint> held;
        HashSet<byte> touching;
        lock (_lock) { held = [.. _held]; touching = [.. _touching]; }
        for (int i = 0; i < count; i++)
        {
            switch (rng.Next(10))
            {
                case 0 or 1 when held.Count > 0:
                    uint up = held.ElementAt(rng.Next(held.Count));
                    held.Remove(up);
                    batch.Add(new XenkbdKey(false, up));
                    break;
                case 0 or 1 or 2:
                    uint down = rng.Next(4) == 0 ? (uint)LinuxInput.MouseButtons[rng.Next(LinuxInput.MouseButtons.Count)] : (uint)rng.Next(1, LinuxInput.KEY_MAX + 1);
                    held.Add(down);
                    batch.Add(new XenkbdKey(true, down));
                    break;
                case 3 or 4:
                    batch.Add(new XenkbdMotion(rng.Next(-20, 21), rng.Next(-20, 21), rng.Next(4) == 0 ? rng.Next(-2, 3) : 0));
                    break;
                case 5 or 6:
                    batch.Add(new XenkbdPosition(rng.Next(Width), rng.Next(Height), rng.Next(4) == 0 ? rng.Next(-2, 3) : 0));
                    break;
                default:
                    batch.Add(Touch(rng, touching));
                    break;
            }
        }
        return batch;
    }

    private static IXenkbdInEvent Touch(Random rng, HashSet<byte> touching)
    {
        byte contact = (byte)rng.Next(4);
        if (!touching.Contains(contact))
        {
            touching.Add(contact);
            return XenkbdMtouch.Down(contact, rng.Next(Width), rng.Next(Height));
        }
        switch (rng.Next(4))
        {
            case 0:
                touching.Remove(contact);
                return XenkbdMtouch.Up(contact);
            case 1: return XenkbdMtouch.Syn(contact);
            default: return XenkbdMtouch.Motion(contact, rng.Next(Width), rng.Next(Height));
        }
    }

    public void Dispose() => Front.Dispose();
}
