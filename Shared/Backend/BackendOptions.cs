using XenDisplayWeb.Shared.Xen;
using XenDisplayWeb.Shared.Xen.DmaBuf;

namespace XenDisplayWeb.Shared.Backend;

/// <summary>How the backend runs and what each guest may use.</summary>
public sealed class BackendOptions
{
    /// <summary>How long a ring thread spins for the next request before it blocks (0: block at once).</summary>
    public TimeSpan SpinBeforeBlock { get; set; } = TimeSpan.FromMicroseconds(20);

    /// <summary>Largest buffer_sz accepted in DBUF_CREATE and GET_EDID; checked before any directory walk.</summary>
    public uint MaxBufferBytes { get; set; } = 64u << 20;

    public GuestLimits Limits { get; set; } = new();

    /// <summary>How dom0's grants for be-alloc buffers are shared between the guests.</summary>
    public GrantPoolOptions GrantPool { get; set; } = new();

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

    /// <summary>
    /// Bytes the backend allocates for one guest's be-alloc buffers (over: -ENOMEM). Each page is one of dom0's grants,
    /// so this is also the most a guest may hold of the <see cref="BackendOptions.GrantPool"/>. 96 MiB: the largest
    /// share the default pool can give one guest.
    /// </summary>
    public long MaxBackendAllocatedBytes { get; set; } = 96L << 20;

    /// <summary>Requests per second over all of a guest's rings (over: -EBUSY); 0 means no limit.</summary>
    public int MaxRequestsPerSecond { get; set; } = 20000;
}

/// <summary>
/// Dom0's grant pool for be-alloc buffers (<see cref="Xen.DmaBuf.GrantPool"/>; settings "Backend:GrantPool"). The
/// pool keeps <see cref="GuaranteedPerGuest"/> grants in reserve for each guest holding grants, and for as many
/// more as make <see cref="GuaranteedGuests"/>, and lends the rest. Within its guarantee a guest is always served
/// once it holds grants, and a new one while fewer than <see cref="GuaranteedGuests"/> guests hold any; above it a
/// guest borrows only what nobody has reserved, never more than <see cref="GuestLimits.MaxBackendAllocatedBytes"/>.
/// Over its share a guest's DBUF_CREATE fails with -ENOMEM; the other guests' do not.
/// </summary>
public sealed class GrantPoolOptions
{
    /// <summary>Grants of dom0's table the backend may make for all guests together; a quarter of the table stays for dom0's other uses.</summary>
    public int TotalGrants { get; set; } = GrantTable.DefaultMaxEntries / 4 * 3;

    /// <summary>Grants each guest gets whatever the others take: 32 MiB, a 4K XR24 buffer or two double-buffered 1080p screens.</summary>
    public int GuaranteedPerGuest { get; set; } = 8192;

    /// <summary>How many guests the pool keeps a guarantee for, whether they hold grants yet or not.</summary>
    public int GuaranteedGuests { get; set; } = 4;

    /// <summary>The most one guest may hold: its be-alloc limit in pages.</summary>
    public static int MaxPerGuest(GuestLimits limits) => (int)Math.Clamp(limits.MaxBackendAllocatedBytes / XenPage.Size, 0, int.MaxValue);

    /// <summary>The largest share the pool can give one guest: its guarantee and all that is not reserved for the others.</summary>
    public long LargestShare => TotalGrants - (long)(GuaranteedGuests - 1) * GuaranteedPerGuest;

    /// <summary>The pool these shares make, for guests limited by <paramref name="limits"/>.</summary>
    public GrantPool NewPool(GuestLimits limits) => new(TotalGrants, GuaranteedPerGuest, GuaranteedGuests, MaxPerGuest(limits));

    /// <summary>
    /// Each rule these shares break with <paramref name="limits"/>, naming the key under "Backend"; none when sound.
    /// A be-alloc limit under one page turns be-alloc buffers off, and leaves nothing to share.
    /// </summary>
    public IReadOnlyList<string> Problems(GuestLimits limits)
    {
        var problems = new List<string>();
        if (TotalGrants is < 1 or > GrantTable.DefaultMaxEntries)
            problems.Add($"GrantPool:TotalGrants must be 1..{GrantTable.DefaultMaxEntries} (dom0's grant table), not {TotalGrants}");
        if (GuaranteedPerGuest < 1) problems.Add($"GrantPool:GuaranteedPerGuest must be at least 1, not {GuaranteedPerGuest}");
        if (GuaranteedGuests < 1) problems.Add($"GrantPool:GuaranteedGuests must be at least 1, not {GuaranteedGuests}");
        if (problems.Count > 0) return problems;
        if ((long)GuaranteedPerGuest * GuaranteedGuests > TotalGrants)
            problems.Add($"GrantPool:GuaranteedGuests × GuaranteedPerGuest ({GuaranteedGuests} × {GuaranteedPerGuest} = {(long)GuaranteedGuests * GuaranteedPerGuest}) "
                + $"must fit GrantPool:TotalGrants ({TotalGrants})");
        long most = limits.MaxBackendAllocatedBytes / XenPage.Size;
        if (most == 0) return problems; // no be-alloc buffers at all: nothing to share
        if (most < GuaranteedPerGuest)
            problems.Add($"MaxBackendAllocatedBytes ({limits.MaxBackendAllocatedBytes}: {most} pages) must hold GrantPool:GuaranteedPerGuest ({GuaranteedPerGuest} pages, "
                + $"{(long)GuaranteedPerGuest * XenPage.Size} bytes)");
        else if (problems.Count == 0 && most > LargestShare)
            problems.Add($"MaxBackendAllocatedBytes ({limits.MaxBackendAllocatedBytes}: {most} pages) must not pass the largest share the grant pool can give one guest, "
                + $"TotalGrants - (GuaranteedGuests - 1) × GuaranteedPerGuest = {LargestShare} pages ({LargestShare * XenPage.Size} bytes)");
        return problems;
    }
}
