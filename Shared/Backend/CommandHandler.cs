using Microsoft.Extensions.Logging;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Pixels;
using XenDisplayWeb.Shared.Xen;
using static XenDisplayWeb.Shared.Xen.XenErrno;

namespace XenDisplayWeb.Shared.Backend;

/// <summary>What a request did: its status, and for a shown frame what to show and which event to send.</summary>
internal readonly record struct CommandResult(int Status, string? Reason = null, uint EdidSz = 0, Framebuffer? Show = null, bool FlipEvent = false, bool Blank = false)
{
    public static CommandResult Ok { get; } = new(0);
    public static CommandResult Fail(int errno, string reason) => new(-errno, reason);
}

/// <summary>
/// Carries out displif requests for one guest device (like displ_be's command handler). Every field
/// of the request is checked before anything changes; on failure nothing changes.
/// </summary>
internal sealed class CommandHandler(
    IXenPlatform xen, int frontDomId, bool beAlloc, int protocolVersion, BufferStore store,
    BackendOptions options, GuestRateLimiter rate, ILogger logger, DbufMemory memory)
{
    private const int Page = 4096;

    /// <summary>The device's buffer objects, and how frames are shown from them (zero copy or copy).</summary>
    public DbufMemory Memory => memory;

    public CommandResult Handle(ReadOnlySpan<byte> req, ConnectorState conn)
    {
        if (!rate.TryTake()) return CommandResult.Fail(EBUSY, $"over {options.Limits.MaxRequestsPerSecond} requests per second");
        return PacketHeader.Operation(req) switch
        {
            (byte)XendisplOp.DbufCreate => DbufCreate(DbufCreateRequest.Read(req)),
            (byte)XendisplOp.DbufDestroy => DbufDestroy(DbufDestroyRequest.Read(req), conn),
            (byte)XendisplOp.FbAttach => FbAttach(FbAttachRequest.Read(req)),
            (byte)XendisplOp.FbDetach => FbDetach(FbDetachRequest.Read(req), conn),
            (byte)XendisplOp.SetConfig => SetConfig(SetConfigRequest.Read(req), conn),
            (byte)XendisplOp.PgFlip => PgFlip(PgFlipRequest.Read(req), conn),
            (byte)XendisplOp.GetEdid when protocolVersion >= 2 => GetEdid(GetEdidRequest.Read(req), conn),
            var op => CommandResult.Fail(EINVAL, $"unknown operation 0x{op:x2}"),
        };
    }

    private CommandResult DbufCreate(DbufCreateRequest r)
    {
        if (r.DbufCookie == 0) return CommandResult.Fail(EINVAL, "dbuf_cookie 0 is invalid");
        if (store.ContainsDbuf(r.DbufCookie)) return CommandResult.Fail(EEXIST, $"dbuf {PacketDecoder.Hex(r.DbufCookie)} exists");
        if (r.BackendAllocates && !beAlloc) return CommandResult.Fail(EINVAL, "REQ_ALLOC without be-alloc");
        if (r.BufferSz == 0) return CommandResult.Fail(EINVAL, "buffer_sz is 0");
        if (r.BufferSz > options.MaxBufferBytes) return CommandResult.Fail(EINVAL, $"buffer_sz {r.BufferSz} over the limit {options.MaxBufferBytes}");
        if (r.DataOfs >= r.BufferSz) return CommandResult.Fail(EINVAL, $"data_ofs {r.DataOfs} outside buffer_sz {r.BufferSz}");
        if (r.Width != 0)
        {
            if (r.Height == 0 || r.Width > Displif.Displif.MaxBufferDimension || r.Height > Displif.Displif.MaxBufferDimension) return CommandResult.Fail(EINVAL, $"bad size {r.Width}x{r.Height}");
            if (r.Bpp is not (16 or 24 or 32)) return CommandResult.Fail(EINVAL, $"bpp {r.Bpp} matches no pixel format");
            ulong need = (ulong)r.DataOfs + ((ulong)r.Width * r.Bpp + 7) / 8 * r.Height;
            if (need > r.BufferSz) return CommandResult.Fail(EINVAL, $"{r.Width}x{r.Height}x{r.Bpp} at data_ofs {r.DataOfs} needs {need} bytes, buffer_sz is {r.BufferSz}");
        }
        if (r.GrefDirectory == 0) return CommandResult.Fail(EINVAL, "gref_directory 0 is invalid");

        int dataPages = PageDirectory.DataPageCount(r.BufferSz);
        // The room is taken before anything is mapped or allocated: creates on the other rings count against it.
        if (store.TryReserve(r.DbufCookie, r.BackendAllocates, (long)dataPages * Page, options.Limits, out var refused) is not { } room)
            return refused;
        var p = new DbufParams(r.DbufCookie, r.Width, r.Height, r.Bpp, r.BufferSz, r.DataOfs);
        CommandResult result = default;
        DisplayBuffer? dbuf = null;
        try
        {
            dbuf = r.BackendAllocates ? CreateBackendAllocated(p, r.GrefDirectory, dataPages, out result)
                                      : CreateFrontendAllocated(p, r.GrefDirectory, dataPages, out result);
        }
        finally
        {
            if (dbuf is null) store.Cancel(room);
            else store.Add(room, dbuf);
        }
        return result;
    }

    private DisplayBuffer? CreateFrontendAllocated(DbufParams p, uint grefDirectory, int dataPages, out CommandResult result)
    {
        var walk = WalkDirectory(grefDirectory, dataPages, fill: null);
        result = walk.Error ?? CommandResult.Ok;
        if (walk.Error is not null) return null;
        try { return new DisplayBuffer(p, walk.DirectoryGrefs, walk.DataGrefs, memory.Export(frontDomId, walk.DataGrefs)); }
        catch (XenException e)
        {
            result = GrantFailure("data pages", e);
            return null;
        }
    }

    private DisplayBuffer? CreateBackendAllocated(DbufParams p, uint grefDirectory, int dataPages, out CommandResult result)
    {
        Xen.DmaBuf.DmaBufImport import;
        try { import = memory.Allocate(frontDomId, dataPages); }
        catch (XenException e)
        {
            result = CommandResult.Fail(ENOMEM, $"allocating {dataPages} pages: {e.Message}");
            return null;
        }
        var walk = WalkDirectory(grefDirectory, dataPages, fill: import.Grefs);
        result = walk.Error ?? CommandResult.Ok;
        if (walk.Error is null) return new DisplayBuffer(p, walk.DirectoryGrefs, import);
        memory.ReleaseImport(import);
        return null;
    }

    private readonly record struct DirectoryWalk(uint[] DirectoryGrefs, uint[] DataGrefs, CommandResult? Error);

    /// <summary>
    /// Walks the page directory chain. Each directory page is mapped, copied out (the guest may change it
    /// under us) and unmapped. With <paramref name="fill"/> (be-alloc) the grefs are written into the pages instead.
    /// </summary>
    private DirectoryWalk WalkDirectory(uint first, int dataPages, uint[]? fill)
    {
        int dirPages = PageDirectory.DirectoryPageCount(dataPages);
        var dirGrefs = new uint[dirPages];
        var data = fill ?? new uint[dataPages];
        Span<byte> copy = stackalloc byte[Page];
        uint gref = first;
        for (int d = 0; d < dirPages; d++)
        {
            if (gref == 0) return new(dirGrefs, data, CommandResult.Fail(EINVAL, $"page directory ends after {d} of {dirPages} pages"));
            if (Array.IndexOf(dirGrefs, gref, 0, d) >= 0) return new(dirGrefs, data, CommandResult.Fail(EINVAL, $"page directory loops back to gref {gref}"));
            dirGrefs[d] = gref;
            GrantMapping map;
            try { map = xen.Gnttab.Map(frontDomId, gref, readOnly: fill is null); }
            catch (XenException e) { return new(dirGrefs, data, GrantFailure($"directory page {d}", e)); }
            try
            {
                int start = d * PageDirectory.GrefsPerPage, count = Math.Min(PageDirectory.GrefsPerPage, dataPages - start);
                map.ReadOnlySpan.CopyTo(copy);
                if (fill is null)
                {
                    PageDirectory.ReadGrefs(copy, data.AsSpan(start, count));
                    for (int i = 0; i < count; i++)
                        if (data[start + i] == 0) return new(dirGrefs, data, CommandResult.Fail(EINVAL, $"data gref {start + i} is 0"));
                }
                else
                {
                    // Keep the guest's next-page link, write our grefs after it.
                    PageDirectory.Write(map.Span, PageDirectory.Next(copy), fill.AsSpan(start, count));
                }
                gref = PageDirectory.Next(copy);
            }
            finally { xen.Gnttab.Unmap(map); }
        }
        return new(dirGrefs, data, null);
    }

    /// <summary>
    /// A gref the guest named could not be mapped: -ENOENT when it is not live, -EPERM when it is granted
    /// to another domain or read-only where we must write, -ESRCH when the guest is gone; -EINVAL otherwise.
    /// </summary>
    private static CommandResult GrantFailure(string what, XenException e) =>
        CommandResult.Fail(e.Errno is ENOENT or EPERM or ESRCH ? e.Errno : EINVAL, $"{what}: {e.Message}");

    private CommandResult DbufDestroy(DbufDestroyRequest r, ConnectorState conn)
    {
        if (r.DbufCookie == 0) return CommandResult.Fail(EINVAL, "dbuf_cookie 0 is invalid");
        var dbuf = store.Dbuf(r.DbufCookie);
        if (dbuf is null) return CommandResult.Fail(ENOENT, $"no dbuf {PacketDecoder.Hex(r.DbufCookie)}");
        if (GuestMapsPages(dbuf))
            return CommandResult.Fail(EBUSY, "the guest still maps the buffer's pages");
        // Another ring may destroy the same cookie at once: only the one that removes the dbuf releases it.
        if (!store.TryRemoveDbuf(dbuf, out var detached)) return CommandResult.Fail(ENOENT, $"no dbuf {PacketDecoder.Hex(r.DbufCookie)}");
        conn.Device.ForgetFramebuffers(detached);
        Release(dbuf);
        // Answer only once nothing reads the guest's pages any more: it ends its grants after our answer.
        int released = memory.WaitReleased(dbuf);
        return released == 0 ? CommandResult.Ok
            : CommandResult.Fail(-released, $"buffer object still referenced after {options.DbufReleaseTimeout.TotalMilliseconds:0} ms");
    }

    /// <summary>Unmaps a frontend-allocated dbuf's pages, or frees a backend-allocated one's.</summary>
    internal void Release(DisplayBuffer dbuf)
    {
        if (GuestMapsPages(dbuf))
            // The guest still maps some (it may be gone or restarting): those are freed once it lets go.
            logger.LogDebug("dbuf {Cookie}: pages still mapped by the guest, freed later", PacketDecoder.Hex(dbuf.Cookie));
        memory.Release(dbuf);
    }

    /// <summary>Whether the guest maps any page of a backend-allocated dbuf right now.</summary>
    private bool GuestMapsPages(DisplayBuffer dbuf) => dbuf.Shared is { } shared && shared.Any(xen.Gntshr.IsInUse);

    private CommandResult FbAttach(FbAttachRequest r)
    {
        if (r.FbCookie == 0) return CommandResult.Fail(EINVAL, "fb_cookie 0 is invalid");
        if (r.DbufCookie == 0) return CommandResult.Fail(EINVAL, "dbuf_cookie 0 is invalid");
        var dbuf = store.Dbuf(r.DbufCookie);
        if (dbuf is null) return CommandResult.Fail(ENOENT, $"no dbuf {PacketDecoder.Hex(r.DbufCookie)}");
        if (store.ContainsFb(r.FbCookie)) return CommandResult.Fail(EEXIST, $"fb {PacketDecoder.Hex(r.FbCookie)} exists");
        if (!PixelFormats.IsSupported(r.PixelFormat)) return CommandResult.Fail(EINVAL, $"pixel format {PacketDecoder.FourCc(r.PixelFormat)} is not supported");
        var format = (PixelFormat)r.PixelFormat;
        int bpp = PixelFormats.BitsPerPixel(format);
        if (r.Width == 0 || r.Height == 0 || r.Width > Displif.Displif.MaxBufferDimension || r.Height > Displif.Displif.MaxBufferDimension) return CommandResult.Fail(EINVAL, $"bad size {r.Width}x{r.Height}");
        if (dbuf.Width != 0)
        {
            if (dbuf.Bpp != bpp) return CommandResult.Fail(EINVAL, $"{PacketDecoder.FourCc(r.PixelFormat)} is {bpp} bpp, the dbuf {dbuf.Bpp}");
            if (r.Width > dbuf.Width || r.Height > dbuf.Height) return CommandResult.Fail(EINVAL, $"fb {r.Width}x{r.Height} larger than its dbuf {dbuf.Width}x{dbuf.Height}");
        }
        ulong need = dbuf.DataOfs + (ulong)dbuf.PitchFor(r.Width, bpp) * (r.Height - 1) + ((ulong)r.Width * (ulong)bpp + 7) / 8;
        if (need > dbuf.BufferSz) return CommandResult.Fail(EINVAL, $"fb {r.Width}x{r.Height} needs {need} bytes of a {dbuf.BufferSz}-byte dbuf");
        // The dbuf may have been destroyed on another ring since the lookup: attached only if it is still there.
        return store.TryAttach(new Framebuffer(r.FbCookie, dbuf, r.Width, r.Height, format)) switch
        {
            0 => CommandResult.Ok,
            -ENOENT => CommandResult.Fail(ENOENT, $"dbuf {PacketDecoder.Hex(r.DbufCookie)} destroyed meanwhile"),
            _ => CommandResult.Fail(EEXIST, $"fb {PacketDecoder.Hex(r.FbCookie)} exists"),
        };
    }

    private CommandResult FbDetach(FbDetachRequest r, ConnectorState conn)
    {
        if (r.FbCookie == 0) return CommandResult.Fail(EINVAL, "fb_cookie 0 is invalid");
        // Looked up and removed at once: of two detaches on two rings, one finds the fb.
        if (store.TryRemoveFb(r.FbCookie) is not { } fb) return CommandResult.Fail(ENOENT, $"no fb {PacketDecoder.Hex(r.FbCookie)}");
        conn.Device.ForgetFramebuffers([fb]);
        return CommandResult.Ok;
    }

    private CommandResult SetConfig(SetConfigRequest r, ConnectorState conn)
    {
        if (r.IsReset)
        {
            conn.Config = null;
            return new CommandResult(0, Blank: true);
        }
        var fb = store.Fb(r.FbCookie);
        if (fb is null) return CommandResult.Fail(r.FbCookie == 0 ? EINVAL : ENOENT, $"no fb {PacketDecoder.Hex(r.FbCookie)}");
        if (r.Width == 0 || r.Height == 0) return CommandResult.Fail(EINVAL, "width and height must not be 0");
        if ((ulong)r.X + r.Width > (ulong)conn.Width || (ulong)r.Y + r.Height > (ulong)conn.Height)
            return CommandResult.Fail(EINVAL, $"{r.Width}x{r.Height}+{r.X}+{r.Y} exceeds the connector's {conn.Width}x{conn.Height}");
        if (r.Width > fb.Width || r.Height > fb.Height) return CommandResult.Fail(EINVAL, $"{r.Width}x{r.Height} larger than fb {fb.Width}x{fb.Height}");
        if (r.Bpp != PixelFormats.BitsPerPixel(fb.Format)) return CommandResult.Fail(EINVAL, $"bpp {r.Bpp} does not match the fb's {PacketDecoder.FourCc((uint)fb.Format)}");
        conn.Config = new ScanoutConfig(fb.Cookie, (int)r.X, (int)r.Y, (int)r.Width, (int)r.Height);
        return new CommandResult(0, Show: fb);
    }

    private CommandResult PgFlip(PgFlipRequest r, ConnectorState conn)
    {
        if (r.FbCookie == 0) return CommandResult.Fail(EINVAL, "fb_cookie 0 is invalid");
        var fb = store.Fb(r.FbCookie);
        if (fb is null) return CommandResult.Fail(ENOENT, $"no fb {PacketDecoder.Hex(r.FbCookie)}");
        if (conn.Config is not { } cfg) return CommandResult.Fail(EINVAL, "the connector has no configuration (SET_CONFIG first)");
        if (fb.Width < cfg.Width || fb.Height < cfg.Height) return CommandResult.Fail(EINVAL, $"fb {fb.Width}x{fb.Height} smaller than the mode {cfg.Width}x{cfg.Height}");
        conn.Config = cfg with { FbCookie = fb.Cookie };
        return new CommandResult(0, Show: fb, FlipEvent: true);
    }

    private CommandResult GetEdid(GetEdidRequest r, ConnectorState conn)
    {
        if (r.BufferSz < Displif.Displif.EdidMaxSize) return CommandResult.Fail(EINVAL, $"buffer_sz {r.BufferSz} under XENDISPL_EDID_MAX_SIZE {Displif.Displif.EdidMaxSize}");
        if (r.BufferSz > options.MaxBufferBytes) return CommandResult.Fail(EINVAL, $"buffer_sz {r.BufferSz} over the limit {options.MaxBufferBytes}");
        if (r.GrefDirectory == 0) return CommandResult.Fail(EINVAL, "gref_directory 0 is invalid");
        int dataPages = PageDirectory.DataPageCount(r.BufferSz);
        var walk = WalkDirectory(r.GrefDirectory, dataPages, fill: null);
        if (walk.Error is { } err) return err;
        byte[] edid;
        try { edid = Edid.Create(conn.Width, conn.Height, conn.UniqueId); }
        catch (ArgumentOutOfRangeException e) { return CommandResult.Fail(EOPNOTSUPP, $"no EDID for {conn.Width}x{conn.Height}: {e.Message}"); }
        // The EDID is 128 bytes: it fits the first data page.
        GrantMapping map;
        try { map = xen.Gnttab.Map(frontDomId, walk.DataGrefs[0], readOnly: false); }
        catch (XenException e) { return GrantFailure("EDID page", e); }
        try { edid.CopyTo(map.Span); }
        finally { xen.Gnttab.Unmap(map); }
        return new CommandResult(0, EdidSz: (uint)edid.Length);
    }
}

/// <summary>The configuration a connector scans out (SET_CONFIG), following each flip's framebuffer.</summary>
public readonly record struct ScanoutConfig(ulong FbCookie, int X, int Y, int Width, int Height);
