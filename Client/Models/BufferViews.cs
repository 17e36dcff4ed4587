namespace XenDisplayWeb.Client.Models;

/// <summary>A guest's display buffers and framebuffers as the backend holds them (<c>GET /api/domains/{domId}/buffers</c>).</summary>
/// <param name="BackendState">The backend device's XenBus state; buffers exist only while it is Connected.</param>
/// <param name="ZeroCopy">Whether the backend shows this guest's frames from its pages in place (false: from its own copy).</param>
/// <param name="ReleaseWaits">The latest DBUF_DESTROY release waits, newest last (dbufs that are gone included).</param>
/// <param name="Limits">This guest's limits and what it uses of them.</param>
/// <param name="GrantPool">Dom0's grant pool for be-alloc buffers, and this guest's share of it.</param>
public sealed record DomainBuffersView(int DomId, string Name, bool BeAlloc, string BackendState,
    IReadOnlyList<DbufView> Dbufs, IReadOnlyList<FbView> Fbs, bool ZeroCopy = true, IReadOnlyList<ReleaseWaitView>? ReleaseWaits = null,
    GuestLimitsUse? Limits = null, GrantPoolUse? GrantPool = null);

/// <summary>A guest's use of its limits (settings "Backend"): over one, a request fails with a negative status.</summary>
public sealed record GuestLimitsUse(int Dbufs, int MaxDbufs, long MappedBytes, long MaxMappedBytes, long AllocatedBytes,
    long MaxBackendAllocatedBytes, int MaxRequestsPerSecond);

/// <summary>
/// Dom0's grants for be-alloc buffers (settings <c>Backend:GrantPool</c>): in use + reserved + lendable = total. Each
/// guest has <c>GuaranteedPerGuest</c> reserved while it holds grants (and so do guests to come, up to <c>GuaranteedGuests</c>);
/// above it a guest borrows only what is lendable, up to <c>MaxPerGuest</c>. Over its share DBUF_CREATE answers -ENOMEM.
/// </summary>
/// <param name="Reserved">Guarantees not used yet.</param>
/// <param name="Lendable">Neither used nor reserved: what a guest above its guarantee may still borrow.</param>
/// <param name="Guest">This guest's share.</param>
/// <param name="Guests">The share of every guest that holds grants, by domain id.</param>
public sealed record GrantPoolUse(int TotalGrants, int InUse, int Reserved, int Lendable, int GuaranteedPerGuest, int GuaranteedGuests,
    int MaxPerGuest, GrantShareUse Guest, IReadOnlyList<GrantShareUse> Guests);

/// <summary>A guest's share of dom0's grant pool, in grants (pages).</summary>
/// <param name="Guaranteed">What it gets whatever the others take (0: every guarantee is held by other guests).</param>
/// <param name="Borrowed">What it holds above its guarantee.</param>
/// <param name="CanTake">The most its next DBUF_CREATE may allocate.</param>
public sealed record GrantShareUse(int DomId, int Used, int Guaranteed, int Borrowed, int CanTake);

/// <summary>A DBUF_DESTROY's wait for the dbuf's buffer object to be released: how long, and the status it answered (0 or -ETIMEDOUT).</summary>
public sealed record ReleaseWaitView(string Cookie, double WaitedMs, int Status);

/// <summary>One dbuf: its DBUF_CREATE fields and every grant behind it.</summary>
/// <param name="Cookie">The dbuf_cookie in hexadecimal with <c>0x</c> (as in the trace and in the PNG URL).</param>
/// <param name="AllocatedBy">"frontend" (the guest granted the pages) or "backend" (be-alloc: the backend granted them).</param>
/// <param name="GrantCount">Directory pages plus data pages.</param>
/// <param name="DirectoryGrefs">The page directory's pages, in chain order (gref_directory first).</param>
/// <param name="DataGrefs">The data pages, in buffer order.</param>
/// <param name="MappedPages">Guest pages the backend maps now (0 for backend-allocated buffers).</param>
/// <param name="Framebuffers">Cookies of the framebuffers attached to this dbuf.</param>
/// <param name="Scanout">How its last frame reached the sink: "zero-copy" (its pages in place), "copy" (the backend's copy) or "–" (not shown yet).</param>
/// <param name="References">References on its buffer object now: the backend's own plus one per frame being read.</param>
/// <param name="LastReleaseWaitMs">How long the last DBUF_DESTROY of this cookie waited for the release; null if none yet.</param>
public sealed record DbufView(string Cookie, uint Width, uint Height, uint Bpp, uint BufferSz, uint DataOfs, string AllocatedBy,
    int GrantCount, IReadOnlyList<uint> DirectoryGrefs, IReadOnlyList<uint> DataGrefs, int MappedPages, IReadOnlyList<string> Framebuffers,
    string Scanout = "–", int References = 0, double? LastReleaseWaitMs = null);

/// <summary>One framebuffer (FB_ATTACH) and the connectors that scan it out now.</summary>
/// <param name="Fourcc">The pixel format's FOURCC as four characters ("XR24").</param>
/// <param name="ShownOn">Indices of the connectors whose current SET_CONFIG uses this framebuffer.</param>
public sealed record FbView(string Cookie, string DbufCookie, uint Width, uint Height, string Fourcc, int Bpp, int Stride,
    IReadOnlyList<int> ShownOn);
