using System.Globalization;

namespace XenDisplayWeb.Shared.Kbdif.Backend;

/// <summary>
/// What of one device's input the trace shows, so that pointer moves at 60 Hz on every connector do not push
/// everything else out of it: every key, button and touch down/up/syn; pointer moves (MOTION, POS, MTOUCH
/// motion) at most <see cref="KbdOptions.TraceMovesPerSecond"/> a second, the others counted and told with the
/// next event shown. Backlog drops and merges are gathered into a note at most once a second, and once more
/// when the backlog has drained. Not thread-safe: the device uses it under its ring lock.
/// </summary>
internal sealed class InputTraceSampler(int movesPerSecond, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private long? _windowStart;
    private int _shownInWindow;
    private long _hidden;
    private long? _lastNote;
    private long _dropped, _coalesced, _refused;

    /// <summary>Moves not traced since the device started.</summary>
    public long HiddenTotal { get; private set; }

    /// <summary>Whether <paramref name="e"/> is traced; if so, <paramref name="hidden"/> is how many moves were not since the last one that was.</summary>
    public bool Show(IXenkbdInEvent e, out long hidden)
    {
        hidden = 0;
        if (InputBacklog.IsMove(e) && !TakeMove())
        {
            _hidden++;
            HiddenTotal++;
            return false;
        }
        hidden = _hidden;
        _hidden = 0;
        return true;
    }

    private bool TakeMove()
    {
        long now = time.GetTimestamp();
        if (_windowStart is not { } start || time.GetElapsedTime(start, now) >= Window)
        {
            _windowStart = now;
            _shownInWindow = 0;
        }
        if (_shownInWindow >= movesPerSecond) return false;
        _shownInWindow++;
        return true;
    }

    /// <summary>A move dropped because the backlog was full: the note's text when one is due.</summary>
    public string? Dropped() { _dropped++; return NoteIfDue(); }

    /// <summary>A move merged into the one waiting in the backlog.</summary>
    public string? Coalesced() { _coalesced++; return NoteIfDue(); }

    /// <summary>A press refused because the backlog had no room for it and its release.</summary>
    public string? Refused() { _refused++; return NoteIfDue(); }

    /// <summary>The backlog drained (or was let go with the page): what is still untold, if anything.</summary>
    public string? Drained() => _dropped + _coalesced + _refused == 0 ? null : Note("; the backlog has drained");

    private string? NoteIfDue()
    {
        long now = time.GetTimestamp();
        if (_lastNote is { } last && time.GetElapsedTime(last, now) < Window) return null;
        _lastNote = now;
        return Note("");
    }

    private string Note(string end)
    {
        string text = string.Create(CultureInfo.InvariantCulture,
            $"in ring full: {_dropped} move(s) dropped, {_coalesced} coalesced, {_refused} press(es) refused{end}");
        _dropped = _coalesced = _refused = 0;
        return text;
    }
}
