namespace XenDisplayWeb.Shared.Backend;

/// <summary>A token bucket over all of one guest's rings: a second's worth of requests, refilled continuously.</summary>
internal sealed class GuestRateLimiter(TimeProvider time, Func<int> perSecond)
{
    private readonly object _lock = new();
    private double _tokens = double.NaN;
    private long _last;

    public bool TryTake()
    {
        int rate = perSecond();
        if (rate <= 0) return true;
        lock (_lock)
        {
            long now = time.GetTimestamp();
            if (double.IsNaN(_tokens)) _tokens = rate;
            else _tokens = Math.Min(rate, _tokens + time.GetElapsedTime(_last, now).TotalSeconds * rate);
            _last = now;
            if (_tokens < 1) return false;
            _tokens -= 1;
            return true;
        }
    }
}
