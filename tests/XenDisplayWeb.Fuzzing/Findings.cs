namespace XenDisplayWeb.Fuzzing;

/// <summary>
/// What a run found, from any thread: crashes (an exception escaped, the backend logged an error) and broken
/// invariants. Each note names the phase it happened in, so a seed and a phase replay it.
/// </summary>
internal sealed class Findings(Action<string> log)
{
    private const int MaxNotes = 50;
    private readonly List<string> _notes = [];
    private long _crashes, _invariantFailures;
    private int _firstPhase;

    public long Crashes => Interlocked.Read(ref _crashes);
    public long InvariantFailures => Interlocked.Read(ref _invariantFailures);
    public long Total => Crashes + InvariantFailures;

    /// <summary>The first phase that found something; null while nothing was found.</summary>
    public int? FirstPhase => Volatile.Read(ref _firstPhase) is > 0 and var p ? p : null;

    public IReadOnlyList<string> Notes { get { lock (_notes) return [.. _notes]; } }

    public void Crash(int phase, string text, long counted = 1)
    {
        Interlocked.Add(ref _crashes, counted);
        Note(phase, "crash: " + text);
    }

    public void Invariant(int phase, string text)
    {
        Interlocked.Increment(ref _invariantFailures);
        Note(phase, "invariant: " + text);
    }

    private void Note(int phase, string text)
    {
        Interlocked.CompareExchange(ref _firstPhase, phase, 0);
        string line = $"[phase {phase}] {text}";
        lock (_notes) if (_notes.Count < MaxNotes) _notes.Add(line);
        log(line);
    }
}
