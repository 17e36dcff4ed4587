using Microsoft.Extensions.Options;
using XenDisplayWeb.Shared.Backend;
using XenDisplayWeb.Shared.Kbdif.Backend;

namespace XenDisplayWeb.Server;

/// <summary>The display backend's settings ("Backend"): what each guest may use, and how buffers are shown.</summary>
public sealed class BackendSettings
{
    /// <summary>Largest buffer_sz a DBUF_CREATE may ask for, checked before any directory walk.</summary>
    public uint MaxBufferBytes { get; set; } = 64u << 20;

    /// <summary>Display buffers one guest may hold (over: -ENOSPC).</summary>
    public int MaxDbufs { get; set; } = 64;

    /// <summary>Bytes of one guest's memory the backend maps (over: -ENOMEM).</summary>
    public long MaxMappedBytes { get; set; } = 1L << 30;

    /// <summary>
    /// Bytes the backend allocates for one guest's be-alloc buffers, the grant-exhaustion risk (over: -ENOMEM); also
    /// the most a guest may hold of <see cref="GrantPool"/>, and at most the largest share the pool can give one guest.
    /// </summary>
    public long MaxBackendAllocatedBytes { get; set; } = 96L << 20;

    /// <summary>
    /// Dom0's grants for be-alloc buffers, shared between the guests ("Backend:GrantPool"): <c>TotalGrants</c>,
    /// <c>GuaranteedPerGuest</c>, <c>GuaranteedGuests</c>. See <see cref="GrantPoolOptions"/> for the policy.
    /// </summary>
    public GrantPoolOptions GrantPool { get; set; } = new();

    /// <summary>Requests a second over all of one guest's rings (over: -EBUSY); 0: no limit.</summary>
    public int MaxRequestsPerSecond { get; set; } = 20000;

    /// <summary>Frames shown from the guests' pages in place (true) or from the backend's copy; per guest at run time too.</summary>
    public bool ZeroCopy { get; set; } = true;

    /// <summary>
    /// The vkbd backend ("Backend:Input"): the features it offers (<c>FeatureAbsPointer</c>, <c>FeatureMultiTouch</c>, …),
    /// <c>MtNumContacts</c>, <c>BacklogCapacity</c> (events held per device while the guest does not consume),
    /// <c>RecentEvents</c> kept for the rings page, <c>TraceMovesPerSecond</c>.
    /// </summary>
    public KbdOptions Input { get; set; } = new();

    /// <summary>How long DBUF_DESTROY waits for the buffer object's release before answering -ETIMEDOUT.</summary>
    public int DbufReleaseTimeoutMs { get; set; } = 2000;

    public BackendOptions ToOptions() => new()
    {
        MaxBufferBytes = MaxBufferBytes,
        ZeroCopy = ZeroCopy,
        DbufReleaseTimeout = TimeSpan.FromMilliseconds(DbufReleaseTimeoutMs),
        GrantPool = new GrantPoolOptions
        {
            TotalGrants = GrantPool.TotalGrants,
            GuaranteedPerGuest = GrantPool.GuaranteedPerGuest,
            GuaranteedGuests = GrantPool.GuaranteedGuests,
        },
        Limits = new GuestLimits
        {
            MaxDbufs = MaxDbufs,
            MaxMappedBytes = MaxMappedBytes,
            MaxBackendAllocatedBytes = MaxBackendAllocatedBytes,
            MaxRequestsPerSecond = MaxRequestsPerSecond,
        },
    };
}

/// <summary>Checks the backend settings at start-up and names every bad key.</summary>
public sealed class BackendSettingsValidator : IValidateOptions<BackendSettings>
{
    public ValidateOptionsResult Validate(string? name, BackendSettings o)
    {
        var errors = new List<string>();
        if (o.MaxBufferBytes < 4096) errors.Add($"Backend:MaxBufferBytes must be at least one page (4096), not {o.MaxBufferBytes}");
        if (o.MaxDbufs < 1) errors.Add($"Backend:MaxDbufs must be at least 1, not {o.MaxDbufs}");
        if (o.MaxMappedBytes < 4096) errors.Add($"Backend:MaxMappedBytes must be at least 4096, not {o.MaxMappedBytes}");
        if (o.MaxBackendAllocatedBytes < 0) errors.Add($"Backend:MaxBackendAllocatedBytes must not be negative, not {o.MaxBackendAllocatedBytes}");
        if (o.MaxRequestsPerSecond < 0) errors.Add($"Backend:MaxRequestsPerSecond must be 0 (no limit) or more, not {o.MaxRequestsPerSecond}");
        if (o.DbufReleaseTimeoutMs is < 0 or > 60_000) errors.Add($"Backend:DbufReleaseTimeoutMs must be 0..60000, not {o.DbufReleaseTimeoutMs}");
        errors.AddRange(o.Input.Validate().Select(p => $"Backend:Input:{p}"));
        if (o.MaxBackendAllocatedBytes >= 0)
        {
            var options = o.ToOptions();
            errors.AddRange(options.GrantPool.Problems(options.Limits).Select(p => $"Backend:{p}"));
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
