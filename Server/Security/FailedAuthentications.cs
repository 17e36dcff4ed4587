using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace XenDisplayWeb.Server.Security;

/// <summary>
/// Counts, per client address, the tokens presented that were refused (401). Past
/// <see cref="SecurityOptions.FailedAuthenticationsPerMinute"/> a minute, that address's next attempts are 429.
/// </summary>
public sealed class FailedAuthentications : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public FailedAuthentications(IOptions<SecurityOptions> options)
    {
        int perMinute = options.Value.FailedAuthenticationsPerMinute;
        _limiter = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = perMinute,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Whether the address has used up its failures for now.</summary>
    public bool Exhausted(string address) => _limiter.GetStatistics(address)?.CurrentAvailablePermits <= 0;

    public void Count(string address)
    {
        using var _ = _limiter.AttemptAcquire(address);
    }

    public void Dispose() => _limiter.Dispose();
}
