using System.Diagnostics;

namespace XenDisplayWeb.Fuzzing;

/// <summary>
/// Times the call into the backend one thread has in hand, so that another can tell it never returned: the
/// backend must never block its caller (a full ring waits in the backlog, a broken page closes the device).
/// </summary>
internal sealed class CallWatch
{
    private long _since; // Stopwatch timestamp of the call in hand, 0 when none
    private long _calls;

    /// <summary>Calls made (or tried) so far.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>How long the call in hand has run; zero when there is none.</summary>
    public TimeSpan Busy => Volatile.Read(ref _since) is var since and not 0 ? Stopwatch.GetElapsedTime(since) : TimeSpan.Zero;

    public T Run<T>(Func<T> call)
    {
        Volatile.Write(ref _since, Stopwatch.GetTimestamp());
        try { return call(); }
        finally
        {
            Volatile.Write(ref _since, 0);
            Interlocked.Increment(ref _calls);
        }
    }

    /// <summary>A round of a loop that made no call (its device was gone): still progress.</summary>
    public void Idle() => Interlocked.Increment(ref _calls);
}
