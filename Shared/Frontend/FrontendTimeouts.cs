namespace XenDisplayWeb.Shared.Frontend;

/// <summary>The frontend's timeouts, as Linux's xen-front has them; settable while guests run.</summary>
public sealed class FrontendTimeouts
{
    private long _requestTicks = TimeSpan.FromMilliseconds(3000).Ticks;
    private long _frameDoneTicks = TimeSpan.FromMilliseconds(3100).Ticks;

    /// <summary>How long a request waits for its response before -ETIMEDOUT (VDRM_WAIT_BACK_MS).</summary>
    public TimeSpan Request
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _requestTicks));
        set => Interlocked.Exchange(ref _requestTicks, Positive(value).Ticks);
    }

    /// <summary>How long a page flip waits for its frame-done event before completing anyway (FRAME_DONE_TO_MS).</summary>
    public TimeSpan FrameDone
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _frameDoneTicks));
        set => Interlocked.Exchange(ref _frameDoneTicks, Positive(value).Ticks);
    }

    private static TimeSpan Positive(TimeSpan t) =>
        t > TimeSpan.Zero ? t : throw new ArgumentOutOfRangeException(nameof(t), t, "a timeout must be positive");
}
