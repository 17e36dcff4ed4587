namespace XenDisplayWeb.Shared.XenBus;

/// <summary>
/// Runs a handler for event-channel kicks one at a time, like a level-triggered interrupt: a kick that
/// arrives while the handler runs (on another thread, or on the same thread through a notification chain
/// back to us) makes the running handler go round once more instead of running it again inside itself.
/// </summary>
public sealed class KickLoop(Action work)
{
    private int _running;
    private int _again;

    public void Kick()
    {
        Volatile.Write(ref _again, 1);
        while (Interlocked.CompareExchange(ref _running, 1, 0) == 0)
        {
            try
            {
                while (Interlocked.Exchange(ref _again, 0) == 1) work();
            }
            finally { Volatile.Write(ref _running, 0); }
            if (Volatile.Read(ref _again) == 0) break;
        }
    }
}
