namespace XenDisplayWeb.Shared.Backend;

/// <summary>How the backend runs and what each guest may use.</summary>
public sealed class BackendOptions
{
    /// <summary>How long a ring thread spins for the next request before it blocks (0: block at once).</summary>
    public TimeSpan SpinBeforeBlock { get; set; } = TimeSpan.FromMicroseconds(20);

    /// <summary>Largest buffer_sz accepted in DBUF_CREATE and GET_EDID; checked before any directory walk.</summary>
    public uint MaxBufferBytes { get; set; } = 64u << 20;

    public GuestLimits Limits { get; set; } = new();

    /// <summary>Whether sinks read the guests' pages in place (zero copy) or a copy the backend makes on SET_CONFIG and PG_FLIP; per guest at run time: <see cref="DisplayBackend.SetZeroCopy"/>.</summary>
    public bool ZeroCopy { get; set; } = true;

    /// <summary>How long DBUF_DESTROY waits for the dbuf's buffer object to be released before it answers -ETIMEDOUT (displ_be: 2000 ms).</summary>
    public TimeSpan DbufReleaseTimeout { get; set; } = TimeSpan.FromMilliseconds(2000);
}

/// <summary>Per-guest limits. Over a limit a request fails with a negative status and nothing changes.</summary>
public sealed class GuestLimits
{
    /// <summary>Display buffers a guest may hold (over: -ENOSPC).</summary>
    public int MaxDbufs { get; set; } = 64;

    /// <summary>Bytes of guest memory the backend maps for one guest (over: -ENOMEM).</summary>
    public long MaxMappedBytes { get; set; } = 1L << 30;

    /// <summary>Bytes the backend allocates for one guest's be-alloc buffers (over: -ENOMEM).</summary>
    public long MaxBackendAllocatedBytes { get; set; } = 256L << 20;

    /// <summary>Requests per second over all of a guest's rings (over: -EBUSY); 0 means no limit.</summary>
    public int MaxRequestsPerSecond { get; set; } = 20000;
}
