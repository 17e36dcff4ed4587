namespace XenDisplayWeb.Shared.Kbdif.Backend;

/// <summary>
/// Events waiting for room in the in ring, in order, each with the seq (ring index) it will be written at.
/// Bounded, with a release reserved for every key and contact held down, so that a press is taken only
/// when its release can be too: keys are never lost in the middle of a press. A pointer move behind a move
/// of the same kind is merged into it and keeps its seq, so seqs stay equal to ring indices.
/// Not thread-safe: the device uses it under its ring lock.
/// </summary>
internal sealed class InputBacklog(int capacity)
{
    private readonly LinkedList<KbdSentEvent> _queue = new();
    private readonly HashSet<uint> _keysDown = [];
    private readonly HashSet<byte> _contactsDown = [];

    public int Count => _queue.Count;
    public int Reserved => _keysDown.Count + _contactsDown.Count;

    public KbdSentEvent Peek() => _queue.First!.Value;
    public void Dequeue() => _queue.RemoveFirst();

    public void Clear()
    {
        _queue.Clear();
        _keysDown.Clear();
        _contactsDown.Clear();
    }

    /// <summary>
    /// Whether <paramref name="e"/> can be accepted now, <paramref name="queued"/> saying whether it must wait
    /// here (else it goes straight to the ring): a press also needs its release's slot, a release of a held
    /// key uses the slot reserved for it.
    /// </summary>
    public bool HasRoom(IXenkbdInEvent e, bool queued)
    {
        int need = (queued ? 1 : 0) + ReservationChange(e);
        return Count + Reserved + need <= capacity;
    }

    /// <summary>Notes a key or contact going down or up (the event was accepted).</summary>
    public void Track(IXenkbdInEvent e)
    {
        switch (e)
        {
            case XenkbdKey { Pressed: true } k: _keysDown.Add(k.Keycode); break;
            case XenkbdKey { Pressed: false } k: _keysDown.Remove(k.Keycode); break;
            case XenkbdMtouch { EventType: XenkbdMtEv.Down } t: _contactsDown.Add(t.ContactId); break;
            case XenkbdMtouch { EventType: XenkbdMtEv.Up } t: _contactsDown.Remove(t.ContactId); break;
        }
    }

    public void Enqueue(KbdSentEvent e) => _queue.AddLast(e);

    /// <summary>Merges a pointer move into the last queued event when that is a move of the same kind; its seq, or null.</summary>
    public long? TryMerge(IXenkbdInEvent e)
    {
        if (_queue.Last is not { } last) return null;
        IXenkbdInEvent? merged = (last.Value.Event, e) switch
        {
            (XenkbdMotion a, XenkbdMotion b) => new XenkbdMotion(a.RelX + b.RelX, a.RelY + b.RelY, a.RelZ + b.RelZ),
            (XenkbdPosition a, XenkbdPosition b) => new XenkbdPosition(b.AbsX, b.AbsY, a.RelZ + b.RelZ),
            (XenkbdMtouch { EventType: XenkbdMtEv.Motion } a, XenkbdMtouch { EventType: XenkbdMtEv.Motion } b) when a.ContactId == b.ContactId => b,
            _ => null,
        };
        if (merged is null) return null;
        last.Value = last.Value with { Event = merged };
        return last.Value.Seq;
    }

    public static bool IsMove(IXenkbdInEvent e) => e is XenkbdMotion or XenkbdPosition or XenkbdMtouch { EventType: XenkbdMtEv.Motion };

    private int ReservationChange(IXenkbdInEvent e) => e switch
    {
        XenkbdKey { Pressed: true } k => _keysDown.Contains(k.Keycode) ? 0 : 1, // a repeat: its release is already reserved
        XenkbdKey { Pressed: false } k => _keysDown.Contains(k.Keycode) ? -1 : 0,
        XenkbdMtouch { EventType: XenkbdMtEv.Down } t => _contactsDown.Contains(t.ContactId) ? 0 : 1,
        XenkbdMtouch { EventType: XenkbdMtEv.Up } t => _contactsDown.Contains(t.ContactId) ? -1 : 0,
        _ => 0,
    };
}
