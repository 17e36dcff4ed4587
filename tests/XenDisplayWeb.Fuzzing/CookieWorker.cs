using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Host;
using XenDisplayWeb.Shared.Pixels;
using DisplifConst = XenDisplayWeb.Shared.Displif.Displif;

namespace XenDisplayWeb.Fuzzing;

/// <summary>
/// Drives one connector's ring of a guest through the console, on a thread of its own, while other workers
/// may drive the guest's other connectors: DBUF_CREATE, FB_ATTACH, SET_CONFIG, PG_FLIP, FB_DETACH and
/// DBUF_DESTROY of cookies from one small space that all of them share, so their requests collide, with
/// hostile fields now and then. Its decisions come from its own seeded <see cref="Random"/>.
/// </summary>
internal sealed class CookieWorker(GuestConsole console, int domId, int connector, GuestPages pages, bool beAlloc, int cookieSpace, Random rng)
{
    private static readonly (uint W, uint H)[] Sizes = [(64, 48), (32, 32), (64, 64)];
    private long _requests;
    private bool _corrupt;

    public int Connector { get; } = connector;
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>The console no longer knows the guest: it was destroyed or shut down.</summary>
    public bool GuestGone { get; private set; }

    /// <summary>A cookie of the shared space: 1..<c>cookieSpace</c>.</summary>
    public ulong Cookie() => (ulong)rng.Next(1, cookieSpace + 1);

    /// <summary>One request picked at random, its fields now and then hostile. Refusals by the console are part of the game; anything else escapes.</summary>
    public string Step()
    {
        _corrupt = rng.Next(12) == 0;
        try
        {
            return rng.Next(100) switch
            {
                < 22 => Create(Cookie(), large: rng.Next(8) == 0),
                < 36 => Destroy(Cookie()),
                < 54 => Attach(Cookie(), Cookie()),
                < 62 => Detach(Cookie()),
                < 72 => Configure(Cookie()),
                < 92 => Flip(Cookie()),
                _ => Hostile(),
            };
        }
        finally { _corrupt = false; }
    }

    /// <summary>DBUF_CREATE of a small dbuf (of <paramref name="size"/> pixels at 32 bpp, else random) or of a 4 MiB one, on the guest's directories.</summary>
    public string Create(ulong cookie, bool large, (uint W, uint H)? size = null)
    {
        var (w, h) = size ?? Sizes[rng.Next(Sizes.Length)];
        bool sized = !large && (size is not null || rng.Next(2) == 0);
        uint bytes = large ? GuestPages.LargePages * (uint)PageDirectory.PageSize : sized ? w * h * 4 : (uint)rng.Next(1, GuestPages.SmallPages + 1) * (uint)PageDirectory.PageSize;
        bool alloc = _corrupt ? rng.Next(2) == 0 : beAlloc;
        return Send(new DbufCreateRequest(cookie, sized ? w : 0, sized ? h : 0, sized ? 32u : 0, bytes,
            alloc ? DisplifConst.FlagReqAlloc : 0, large ? pages.LargeDirectory : pages.SmallDirectory, 0));
    }

    public string Destroy(ulong cookie) => Send(new DbufDestroyRequest(cookie));

    /// <summary>FB_ATTACH of <paramref name="size"/> (else a random one) in XRGB8888, now and then RGB565 when not told the size.</summary>
    public string Attach(ulong dbufCookie, ulong fbCookie, (uint W, uint H)? size = null)
    {
        var (w, h) = size ?? Sizes[rng.Next(Sizes.Length)];
        uint format = size is null && rng.Next(10) == 0 ? (uint)PixelFormat.Rgb565 : (uint)PixelFormat.Xrgb8888;
        return Send(new FbAttachRequest(dbufCookie, fbCookie, w, h, format));
    }

    public string Detach(ulong fbCookie) => Send(new FbDetachRequest(fbCookie));

    /// <summary>SET_CONFIG of the fb at (0,0) in a mode that fits the 64x48 connectors, or now and then a reset.</summary>
    public string Configure(ulong fbCookie, bool mayReset = true) => mayReset && rng.Next(8) == 0
        ? Send(new SetConfigRequest(0, 0, 0, 0, 0, 0))
        : Send(new SetConfigRequest(fbCookie, 0, 0, mayReset && rng.Next(2) == 0 ? 64u : 32u, 32, 32));

    public string Flip(ulong fbCookie) => Send(new PgFlipRequest(fbCookie));

    /// <summary>A packet with hostile fields: an operation on a shared cookie with random bytes, or random throughout.</summary>
    private string Hostile()
    {
        var packet = new byte[DisplifConst.PacketSize];
        rng.NextBytes(packet);
        packet[2] = (byte)rng.Next(0x10, 0x17);
        if (rng.Next(3) > 0) BitConverter.TryWriteBytes(packet.AsSpan(8), Cookie());
        if (rng.Next(3) > 0) BitConverter.TryWriteBytes(packet.AsSpan(16), Cookie());
        KeepGrefsOwn(packet);
        return Send(packet);
    }

    private string Send(IDisplifRequest req)
    {
        var packet = req.ToPacket((ushort)rng.Next(65536));
        if (_corrupt)
        {
            packet[rng.Next(3, 64)] ^= (byte)rng.Next(1, 256); // a stale or hostile byte
            KeepGrefsOwn(packet);
        }
        return Send(packet);
    }

    /// <summary>
    /// Where the backend writes into a page a gref names (a be-alloc directory, the EDID page), naming a page of
    /// its rings would let the guest break its own ring: this guest names only its directories or grefs never
    /// granted. The EDID goes to the directory's first data page, which under be-alloc holds dom0's grefs.
    /// </summary>
    private void KeepGrefsOwn(byte[] packet)
    {
        bool edid = packet[2] == (byte)XendisplOp.GetEdid;
        if (!edid && packet[2] != (byte)XendisplOp.DbufCreate) return;
        uint gref = rng.Next(3) switch
        {
            0 when !(edid && beAlloc) => pages.SmallDirectory,
            1 when !(edid && beAlloc) => pages.LargeDirectory,
            _ => (uint)rng.Next(1 << 24, int.MaxValue),
        };
        BitConverter.TryWriteBytes(packet.AsSpan(edid ? GetEdidRequest.GrefDirectoryOffset : DbufCreateRequest.GrefDirectoryOffset), gref);
    }

    private string Send(byte[] packet)
    {
        Interlocked.Increment(ref _requests);
        try
        {
            var r = console.SendRequestAsync(domId, Connector, packet).GetAwaiter().GetResult();
            if (r.Response.Length != DisplifConst.PacketSize) throw new InvalidOperationException($"response of {r.Response.Length} bytes");
            return $"conn{Connector} {PacketDecoder.DescribeRequest(packet)} -> {r.Status}";
        }
        catch (GuestConsoleException e)
        {
            if (e.Error == GuestConsoleError.NotFound) GuestGone = true;
            return $"conn{Connector} {PacketDecoder.DescribeRequest(packet)} refused: {e.Error}";
        }
    }
}
