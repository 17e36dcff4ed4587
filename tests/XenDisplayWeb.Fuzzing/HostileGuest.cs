using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Host;
using XenDisplayWeb.Shared.Pixels;
using XenDisplayWeb.Shared.Xen;
using DisplifConst = XenDisplayWeb.Shared.Displif.Displif;

namespace XenDisplayWeb.Fuzzing;

/// <summary>
/// One hostile guest: everything it does goes through the guest console, the paths a guest's kernel
/// uses (its grant table, its memory, its request ring behind its own driver's lock, its event page).
/// Each step picks an action from the seeded random source.
/// </summary>
internal sealed class HostileGuest(GuestConsole console, int domId, Random rng)
{
    private static readonly uint[] Formats = [.. PixelFormats.All.Select(f => (uint)f), 0, 0x3231564e, uint.MaxValue];
    private readonly List<uint> _grefs = [];
    private readonly List<ulong> _cookies = [1, 0x10, 0x20];

    public int DomId { get; } = domId;
    public bool RingBroken { get; private set; }

    /// <summary>Requests that got no answer: the guest's ring is broken (a page it rewrote) or its device is closing.</summary>
    public int TimedOut { get; private set; }

    /// <summary>Does one hostile thing. Expected refusals (console errors) are part of the game; anything else escapes.</summary>
    public string Step()
    {
        int roll = rng.Next(1000);
        try
        {
            return roll switch
            {
                < 250 => Structured(),
                < 450 => RandomPacket(),
                < 600 => Grant(),
                < 720 => Rewrite(),
                < 820 => Revoke(),
                < 990 => Directory(),
                _ => BreakRing(),
            };
        }
        catch (GuestConsoleException e)
        {
            if (e.Error == GuestConsoleError.Timeout) TimedOut++;
            return $"refused: {e.Error}";
        }
    }

    private ulong Cookie() => rng.Next(10) switch
    {
        0 => 0,
        1 => (ulong)rng.NextInt64(),
        2 => ulong.MaxValue,
        _ => _cookies[rng.Next(_cookies.Count)],
    };

    private uint Gref() => _grefs.Count > 0 && rng.Next(5) > 0 ? _grefs[rng.Next(_grefs.Count)] : Interesting();

    private uint Interesting() => rng.Next(8) switch
    {
        0 => 0,
        1 => 1,
        2 => uint.MaxValue,
        3 => (uint)rng.Next(8, 64),
        4 => 4096,
        5 => (uint)rng.Next(0, 5000),
        6 => 0x8000_0000,
        _ => (uint)rng.NextInt64(0, 1L << 32),
    };

    private uint Size() => rng.Next(6) switch
    {
        0 => (uint)rng.Next(1, 4096 * 8),
        1 => 4096 * (uint)rng.Next(1, 9),
        2 => Interesting(),
        3 => 64 * 48 * 4,
        4 => 1024 * 4096 + (uint)rng.Next(0, 3) * 4096,
        _ => (uint)rng.Next(0, 64),
    };

    private ConsoleResponse Send(byte[] packet)
    {
        var r = console.SendRequestAsync(DomId, rng.Next(8) == 0 ? 1 : 0, packet).GetAwaiter().GetResult();
        if (r.Response.Length != DisplifConst.PacketSize) throw new InvalidOperationException($"response of {r.Response.Length} bytes");
        return r;
    }

    private string Structured()
    {
        ushort id = (ushort)rng.Next(65536);
        IDisplifRequest req = rng.Next(7) switch
        {
            0 => new DbufCreateRequest(Cookie(), Interesting() % 100, Interesting() % 100, rng.Next(3) == 0 ? Interesting() : (uint)(8 * rng.Next(5)),
                Size(), rng.Next(3) == 0 ? DisplifConst.FlagReqAlloc : Interesting(), Gref(), rng.Next(3) == 0 ? Interesting() : 0),
            1 => new DbufDestroyRequest(Cookie()),
            2 => new FbAttachRequest(Cookie(), Cookie(), Interesting() % 128, Interesting() % 128, Formats[rng.Next(Formats.Length)]),
            3 => new FbDetachRequest(Cookie()),
            4 => rng.Next(4) == 0 ? new SetConfigRequest(0, 0, 0, 0, 0, 0) : new SetConfigRequest(Cookie(), Interesting() % 80, Interesting() % 80, Interesting() % 80, Interesting() % 80, (uint)(8 * rng.Next(5))),
            5 => new PgFlipRequest(Cookie()),
            _ => new GetEdidRequest(rng.Next(2) == 0 ? (uint)DisplifConst.EdidMaxSize : Size(), Gref()),
        };
        var packet = req.ToPacket(id);
        if (rng.Next(4) == 0) packet[rng.Next(3, 64)] ^= (byte)rng.Next(1, 256); // stale bytes
        var r = Send(packet);
        if (req is DbufCreateRequest c && r.Status == 0) _cookies.Add(c.DbufCookie);
        if (req is FbAttachRequest f && r.Status == 0) _cookies.Add(f.FbCookie);
        return $"{DisplifConst.OpName((byte)req.Operation)} -> {r.Status}";
    }

    private string RandomPacket()
    {
        var packet = new byte[DisplifConst.PacketSize];
        rng.NextBytes(packet);
        if (rng.Next(3) > 0) packet[2] = (byte)rng.Next(0x10, 0x17);
        if (rng.Next(2) == 0) BitConverter.TryWriteBytes(packet.AsSpan(8), _cookies[rng.Next(_cookies.Count)]);
        return $"random op 0x{packet[2]:x2} -> {Send(packet).Status}";
    }

    private string Grant()
    {
        var data = new byte[rng.Next(0, 4097)];
        if (rng.Next(2) == 0) rng.NextBytes(data);
        _grefs.Add(console.GrantPage(DomId, data, readOnly: rng.Next(4) == 0));
        return "grant";
    }

    private string Rewrite()
    {
        var data = new byte[rng.Next(0, 4097)];
        rng.NextBytes(data);
        console.WritePage(DomId, Gref(), data);
        return "rewrite";
    }

    private string Revoke()
    {
        uint gref = Gref();
        console.EndGrant(DomId, gref);
        _grefs.Remove(gref);
        return "revoke";
    }

    /// <summary>A DBUF_CREATE over a directory of console grants: valid, or broken in one way.</summary>
    private string Directory()
    {
        int pages = rng.Next(20) == 0 ? 1024 + rng.Next(1, 40) : rng.Next(1, 9);
        bool beAlloc = rng.Next(3) == 0;
        var data = beAlloc ? new uint[pages] : Enumerable.Range(0, pages).Select(_ => console.GrantPage(DomId, [], readOnly: rng.Next(5) == 0)).ToArray();
        int dirPages = PageDirectory.DirectoryPageCount(pages);
        var dirs = Enumerable.Range(0, dirPages).Select(_ => console.GrantPage(DomId, [], false)).ToArray();
        int fault = rng.Next(8);
        for (int d = 0; d < dirPages; d++)
        {
            var page = new byte[4096];
            uint next = d + 1 < dirPages ? dirs[d + 1] : 0;
            if (fault == 1 && d == dirPages - 1) next = dirs[0]; // loop
            if (fault == 2 && d == 0 && dirPages > 1) next = 0; // ends early
            var grefs = data.Skip(d * PageDirectory.GrefsPerPage).Take(PageDirectory.GrefsPerPage).ToArray();
            if (fault == 3 && grefs.Length > 0) grefs[rng.Next(grefs.Length)] = Interesting();
            PageDirectory.Write(page, next, grefs);
            console.WritePage(DomId, dirs[d], page);
        }
        _grefs.AddRange(data.Where(g => g != 0));
        _grefs.AddRange(dirs);
        ulong cookie = fault == 4 ? Cookie() : (ulong)rng.NextInt64(1, long.MaxValue);
        uint size = (uint)pages * 4096 - (uint)rng.Next(0, 4096);
        var req = new DbufCreateRequest(cookie, 0, 0, 0, fault == 5 ? Size() : size, beAlloc ? DisplifConst.FlagReqAlloc : 0,
            fault == 6 ? Gref() : dirs[0], 0);
        var r = Send(req.ToPacket((ushort)rng.Next(65536)));
        if (r.Status == 0)
        {
            _cookies.Add(cookie);
            if (rng.Next(2) == 0)
            {
                var fb = new FbAttachRequest(cookie, (ulong)rng.NextInt64(1, long.MaxValue), (uint)rng.Next(1, 64), (uint)rng.Next(1, 48), Formats[rng.Next(Formats.Length)]);
                if (Send(fb.ToPacket(1)).Status == 0)
                {
                    _cookies.Add(fb.FbCookie);
                    Send(new SetConfigRequest(fb.FbCookie, 0, 0, fb.Width, fb.Height, (uint)PixelFormats.BitsPerPixel((PixelFormat)fb.PixelFormat)).ToPacket(2));
                    Send(new PgFlipRequest(fb.FbCookie).ToPacket(3));
                }
            }
        }
        return $"directory of {pages} pages fault {fault} -> {r.Status}";
    }

    /// <summary>Rare: ring indices a broken guest writes. Bad ones end the device (misbehaving).</summary>
    private string BreakRing()
    {
        uint? Maybe() => rng.Next(2) == 0 ? Interesting() : null;
        var write = new RingWrite(Maybe(), Maybe(), Maybe(), Maybe());
        console.WriteRingAsync(DomId, rng.Next(2), write).GetAwaiter().GetResult();
        RingBroken = true;
        return $"ring write {write}";
    }
}
