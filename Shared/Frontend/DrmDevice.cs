using Microsoft.Extensions.Logging;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Pixels;
using XenDisplayWeb.Shared.Xen;
using static XenDisplayWeb.Shared.Xen.XenErrno;

namespace XenDisplayWeb.Shared.Frontend;

/// <summary>A displif request failed: the status is the negative Xen errno the backend (or the frontend) gave.</summary>
public sealed class DisplifRequestException(string operation, int status)
    : Exception($"{operation} failed: {XenErrno.Describe(status)}")
{
    public int Status { get; } = status;
}

/// <summary>A dumb buffer (DRM_IOCTL_MODE_CREATE_DUMB) backed by a displif dbuf.</summary>
public sealed class DumbBuffer
{
    internal DumbBuffer(FrontBuffer shbuf, int width, int height, int bpp, int pitch)
    {
        Shbuf = shbuf;
        Width = width;
        Height = height;
        Bpp = bpp;
        Pitch = pitch;
    }

    internal FrontBuffer Shbuf { get; }
    public ulong Cookie => Shbuf.Cookie;
    public int Width { get; }
    public int Height { get; }
    public int Bpp { get; }
    public int Pitch { get; }
    public uint Size => Shbuf.Size;
    public bool BackendAllocated => Shbuf.BeAlloc;
    public uint GrefDirectory => Shbuf.GrefDirectory;
    public IReadOnlyList<uint> DataGrefs => Shbuf.DataGrefs;
    public IReadOnlyList<uint> DirectoryGrefs => Shbuf.DirGrefs;

    /// <summary>The pixels, for the guest to draw into.</summary>
    public Span<byte> Pixels => Shbuf.Memory.Span;
}

/// <summary>A framebuffer (DRM_IOCTL_MODE_ADDFB2) attached to a dumb buffer.</summary>
public sealed record DrmFramebuffer(ulong Cookie, DumbBuffer Dumb, int Width, int Height, PixelFormat Format);

/// <summary>
/// The guest's DRM device on a connected displif device: what a compositor in the guest uses. Requests
/// that are not connector specific go on connector 0's ring; SET_CONFIG and PG_FLIP on the connector's own.
/// </summary>
public sealed class DrmDevice
{
    private readonly XenDrmFront _front;
    private readonly IReadOnlyList<EvtChannelPair> _channels;
    private readonly CancellationTokenSource _unplug = new();
    private readonly ILogger _logger;
    private int _clients;
    private static long s_cookie = 0x0000_ffff_8880_0000;

    internal DrmDevice(XenDrmFront front, IReadOnlyList<EvtChannelPair> channels, IReadOnlyList<DrmConnector> connectors, ILogger logger)
    {
        _front = front;
        _channels = channels;
        Connectors = connectors;
        _logger = logger;
    }

    public IReadOnlyList<DrmConnector> Connectors { get; }
    public bool BeAlloc => _front.BeAlloc;
    public int DomId => _front.DomId;

    /// <summary>Cancelled when the device is unplugged (the backend went away).</summary>
    public CancellationToken Unplugged => _unplug.Token;
    public bool IsUnplugged => _unplug.IsCancellationRequested;

    /// <summary>A client (compositor) opens the device; with be-alloc the frontend waits for the last to close before it reconnects.</summary>
    public void Open() => Interlocked.Increment(ref _clients);

    public void Close()
    {
        if (Interlocked.Decrement(ref _clients) == 0 && IsUnplugged) _front.OnLastClientClosed(this);
    }

    public int Clients => Volatile.Read(ref _clients);

    private static ulong NextCookie() => (ulong)Interlocked.Add(ref s_cookie, 0x100);

    /// <summary>Sends any request on a connector's ring and waits for its response, as the driver's own requests do.</summary>
    public async Task<DisplifResponse> SendAsync(int connector, IDisplifRequest req, CancellationToken ct = default) =>
        await _channels[connector].SendAsync(req, _front.Timeouts.Request, _front.Time, ct).ConfigureAwait(false);

    /// <summary>Creates a dumb buffer: pitch ceil(width*bpp/8), then DBUF_CREATE (with REQ_ALLOC under be-alloc).</summary>
    public async Task<DumbBuffer> CreateDumbAsync(int width, int height, int bpp, CancellationToken ct = default)
    {
        int pitch = (width * bpp + 7) / 8;
        uint size = checked((uint)(pitch * height));
        ulong cookie = NextCookie();
        var shbuf = BeAlloc
            ? FrontBuffer.AllocateBackendDirectory(_front.Guest, _front.BackendDomId, cookie, size)
            : FrontBuffer.AllocateFrontend(_front.Guest, _front.BackendDomId, cookie, size);
        var req = new DbufCreateRequest(cookie, (uint)width, (uint)height, (uint)bpp, size, BeAlloc ? Displif.Displif.FlagReqAlloc : 0, shbuf.GrefDirectory, 0);
        var rsp = await SendAsync(0, req, ct).ConfigureAwait(false);
        if (rsp.Status != 0)
        {
            _front.FreeLater(shbuf);
            throw new DisplifRequestException("DBUF_CREATE", rsp.Status);
        }
        try
        {
            if (BeAlloc) shbuf.MapBackendPages();
        }
        catch (XenException e)
        {
            _logger.LogWarning("Cannot map the backend's buffer: {Reason}", e.Message);
            await SendAsync(0, new DbufDestroyRequest(cookie), ct).ConfigureAwait(false);
            _front.FreeLater(shbuf);
            throw new DisplifRequestException("DBUF_CREATE", -e.Errno);
        }
        var dumb = new DumbBuffer(shbuf, width, height, bpp, pitch);
        _front.Track(shbuf);
        return dumb;
    }

    /// <summary>
    /// Destroys a dumb buffer. be-alloc: unmap first so the backend can free; frontend-alloc: ask first,
    /// then end the grants whatever the answer (the backend must have unmapped before it answered).
    /// </summary>
    public async Task<int> DestroyDumbAsync(DumbBuffer dumb, CancellationToken ct = default)
    {
        if (dumb.BackendAllocated) dumb.Shbuf.UnmapBackendPages();
        var rsp = await SendAsync(0, new DbufDestroyRequest(dumb.Cookie), ct).ConfigureAwait(false);
        _front.FreeLater(dumb.Shbuf);
        return rsp.Status;
    }

    public async Task<DrmFramebuffer> AddFbAsync(DumbBuffer dumb, PixelFormat format, CancellationToken ct = default)
    {
        ulong cookie = NextCookie();
        var rsp = await SendAsync(0, new FbAttachRequest(dumb.Cookie, cookie, (uint)dumb.Width, (uint)dumb.Height, (uint)format), ct).ConfigureAwait(false);
        if (rsp.Status != 0) throw new DisplifRequestException("FB_ATTACH", rsp.Status);
        return new DrmFramebuffer(cookie, dumb, dumb.Width, dumb.Height, format);
    }

    public async Task<int> RemoveFbAsync(DrmFramebuffer fb, CancellationToken ct = default) =>
        (await SendAsync(0, new FbDetachRequest(fb.Cookie), ct).ConfigureAwait(false)).Status;

    /// <summary>Enables the connector showing <paramref name="fb"/> at (0,0); a failure marks the link disconnected.</summary>
    public async Task<int> SetModeAsync(DrmConnector conn, DrmFramebuffer fb, CancellationToken ct = default)
    {
        int bpp = PixelFormats.BitsPerPixel(fb.Format);
        var rsp = await SendAsync(conn.Index, new SetConfigRequest(fb.Cookie, 0, 0, (uint)Math.Min(fb.Width, conn.Width), (uint)Math.Min(fb.Height, conn.Height), (uint)bpp), ct).ConfigureAwait(false);
        if (rsp.Status != 0)
        {
            _logger.LogError("Failed to set mode on connector {Index}: {Status}", conn.Index, XenErrno.Describe(rsp.Status));
            conn.SetLink(false);
        }
        return rsp.Status;
    }

    /// <summary>Disables the connector (SET_CONFIG of zeros).</summary>
    public async Task<int> DisableAsync(DrmConnector conn, CancellationToken ct = default) =>
        (await SendAsync(conn.Index, new SetConfigRequest(0, 0, 0, 0, 0, 0), ct).ConfigureAwait(false)).Status;

    /// <summary>
    /// Flips to <paramref name="fb"/>. The returned task completes when the frame is done: on the backend's
    /// PG_FLIP event, or when the frame-done timer fires. A refused flip marks the link disconnected.
    /// </summary>
    public async Task<FlipResult> PageFlipAsync(DrmConnector conn, DrmFramebuffer fb, CancellationToken ct = default)
    {
        var done = conn.ArmFlip();
        var rsp = await SendAsync(conn.Index, new PgFlipRequest(fb.Cookie), ct).ConfigureAwait(false);
        if (rsp.Status != 0)
        {
            _logger.LogError("Failed to send page flip request to backend: {Status}", XenErrno.Describe(rsp.Status));
            conn.SetLink(false);
            conn.CancelFlip(done, rsp.Status);
        }
        return await done.ConfigureAwait(false);
    }

    /// <summary>Reads the connector's EDID (GET_EDID, protocol version 2) into <paramref name="shbuf"/>, which the caller frees.</summary>
    internal async Task<(int Status, byte[] Edid)> GetEdidAsync(int connector, FrontBuffer shbuf, CancellationToken ct = default)
    {
        var rsp = await SendAsync(connector, new GetEdidRequest(Displif.Displif.EdidMaxSize, shbuf.GrefDirectory), ct).ConfigureAwait(false);
        var result = rsp.Status != 0 ? (rsp.Status, [])
            : rsp.EdidSz == 0 || rsp.EdidSz > Displif.Displif.EdidMaxSize ? (-EINVAL, [])
            : (0, shbuf.Memory.Span[..(int)rsp.EdidSz].ToArray());
        return result;
    }

    internal void Unplug()
    {
        _unplug.Cancel();
        foreach (var c in Connectors) c.Unplug();
    }
}
