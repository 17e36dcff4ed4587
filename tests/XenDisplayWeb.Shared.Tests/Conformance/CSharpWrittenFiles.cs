using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Rings;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.Tests.Conformance;

// The namespace XenDisplayWeb.Shared.Displif would hide the class of the same name.
using Displif = global::XenDisplayWeb.Shared.Displif.Displif;

/// <summary>
/// The files for the C program's <c>read</c>: a ring, an event page and a page directory made by the C# code,
/// and a manifest of what was meant to go in them (taken from the scenario, not read back).
/// </summary>
public sealed class CSharpWrittenFiles
{
    public const uint BufferSz = 1920 * 1080 * 4;

    private readonly List<string> _manifest = [];

    public byte[] Ring { get; } = new byte[SharedRing.PageSize];
    public byte[] Events { get; } = new byte[XenPage.Size];
    public byte[] PageDirectoryPages { get; }
    public IReadOnlyList<string> Manifest => _manifest;

    /// <summary>Ring index of each pending request, by operation.</summary>
    public Dictionary<XendisplOp, uint> PendingByOp { get; } = [];

    public CSharpWrittenFiles()
    {
        WriteRing();
        WriteEvents();
        PageDirectoryPages = WritePageDirectory();
    }

    public void SaveTo(string dir)
    {
        File.WriteAllBytes(Path.Combine(dir, "ring.bin"), Ring);
        File.WriteAllBytes(Path.Combine(dir, "events.bin"), Events);
        File.WriteAllBytes(Path.Combine(dir, "pgdir.bin"), PageDirectoryPages);
        File.WriteAllLines(Path.Combine(dir, "manifest.txt"), _manifest);
    }

    /// <summary>Full-width values, different from the C program's, so a field at the wrong place shows.</summary>
    private static ulong Value(uint seed, int k) => unchecked(0xd6e8feb86659fd93UL * (seed * 16UL + (ulong)k + 7));

    private void WriteRing()
    {
        var front = FrontRing.Init(Ring);
        var back = new BackRing(Ring);
        var slots = new Dictionary<uint, string>();
        var copy = new byte[Displif.PacketSize];
        ushort id = 0xfff0; // ids wrap through 0xffff
        int[] statuses = [0, -XenErrno.EINVAL, -XenErrno.ENOENT, 0, -XenErrno.EEXIST, -XenErrno.ETIMEDOUT, -XenErrno.EIO];
        int answered = 0;

        void Request(IDisplifRequest r)
        {
            uint idx = front.ReqProdPvt;
            r.WriteTo(front.NextRequestSlot(), id);
            slots[idx] = WireText.FormatRequest("req", idx, id, r);
            id = unchecked((ushort)(id + 1));
            front.ProduceRequest();
        }

        void Answer()
        {
            back.CopyRequest(copy);
            byte op = PacketHeader.Operation(copy);
            uint edidSz = op == (byte)XendisplOp.GetEdid ? (uint)(Displif.EdidBlockSize * (1 + answered % Displif.EdidMaxBlocks)) : 0;
            var rsp = new DisplifResponse(PacketHeader.Id(copy), op, statuses[answered++ % statuses.Length], edidSz);
            uint idx = back.RspProdPvt;
            rsp.WriteTo(back.NextResponseSlot());
            slots[idx] = WireText.FormatResponse("rsp", idx, rsp);
            back.ProduceResponse();
        }

        // 37 round trips, one request in flight: the indices pass 32 and every slot is reused.
        for (uint i = 0; i < 37; i++)
        {
            int k = 0;
            uint seed = i;
            Request(WireText.Build(WireText.AllOps[i % WireText.AllOps.Length], _ => Value(seed, k++)));
            front.PushRequestsAndCheckNotify();
            back.FinalCheckForRequests(out _);
            Answer();
            back.PushResponsesAndCheckNotify();
            back.FinalCheckForRequests(out _);
            front.FinalCheckForResponses();
            front.ConsumeResponse();
            front.FinalCheckForResponses();
        }

        // Two answered in one push, the answers left unconsumed.
        Request(new GetEdidRequest(Displif.EdidMaxSize, 0xdeadbeef));
        Request(new DbufCreateRequest(0x1122334455667788, 640, 480, 16, 640 * 480 * 2, 0, 77, 0));
        front.PushRequestsAndCheckNotify();
        back.FinalCheckForRequests(out _);
        Answer();
        Answer();
        back.PushResponsesAndCheckNotify();
        back.FinalCheckForRequests(out _);

        // One of each op with edge values, pending; the backend has copied two of them privately.
        IDisplifRequest[] pending =
        [
            new DbufCreateRequest(ulong.MaxValue, 1920, 1080, 32, BufferSz, Displif.FlagReqAlloc, uint.MaxValue, 0x80000001),
            new DbufDestroyRequest(0x8000000000000001),
            new FbAttachRequest(0x0102030405060708, 0xf0e0d0c0b0a09080, Displif.MaxWidth, Displif.MaxHeight, 0x34325258),
            new FbDetachRequest(0xfedcba9876543210),
            new SetConfigRequest(0xaaaaaaaa55555555, uint.MaxValue, 1, 4095, 2047, 32),
            new PgFlipRequest(0x100000000),
            new GetEdidRequest(0x00ff00ff, 0xff00ff00),
        ];
        foreach (var r in pending)
        {
            PendingByOp[r.Operation] = front.ReqProdPvt;
            Request(r);
            front.PushRequestsAndCheckNotify();
        }
        back.CopyRequest(copy);
        back.CopyRequest(copy);

        _manifest.Add($"ring req_prod={front.SharedReqProd} req_event={front.SharedReqEvent} rsp_prod={front.SharedRspProd} rsp_event={front.SharedRspEvent}");
        for (uint idx = front.ReqProdPvt - SharedRing.Size; idx != front.ReqProdPvt; idx++) _manifest.Add(slots[idx]);
    }

    private void WriteEvents()
    {
        var producer = new EventPageProducer(Events);
        var slots = new Dictionary<uint, string>();
        var packet = new byte[EventPage.EventSize];
        // 130 events: twice round the 63 slots; the frontend keeps up, a few behind.
        for (uint i = 0; i < 130; i++)
        {
            var evt = new PgFlipEvent(unchecked((ushort)(0xffc0 + i)), Value(1000 + i, 0));
            evt.WriteTo(packet);
            slots[producer.InProd] = WireText.FormatEvent("evt", producer.InProd, evt);
            Assert.True(producer.TryPut(packet));
            if (i % 10 == 9) EventPage.SetInCons(Events, producer.InProd - 4);
        }
        EventPage.SetInCons(Events, 126);
        _manifest.Add($"events in_cons=126 in_prod={producer.InProd}");
        for (uint idx = producer.InProd - EventPage.RingLength; idx != producer.InProd; idx++) _manifest.Add(slots[idx]);
    }

    private byte[] WritePageDirectory()
    {
        int count = PageDirectory.DataPageCount(BufferSz);
        int pages = PageDirectory.DirectoryPageCount(count);
        var grefs = Enumerable.Range(0, count).Select(i => 0x7fff0000u + 5u * (uint)i).ToArray();
        var dir = new byte[pages * PageDirectory.PageSize];
        for (int p = 0; p < pages; p++)
        {
            uint next = p + 1 < pages ? 0xabcdefu + (uint)p : 0;
            var slice = grefs.AsSpan(p * PageDirectory.GrefsPerPage, Math.Min(PageDirectory.GrefsPerPage, count - p * PageDirectory.GrefsPerPage));
            PageDirectory.Write(dir.AsSpan(p * PageDirectory.PageSize, PageDirectory.PageSize), next, slice);
            _manifest.Add($"pgdir page={p} next={next} grefs={string.Join(',', slice.ToArray())}");
        }
        _manifest.Add($"pgdir_info buffer_sz={BufferSz} grefs={count} pages={pages}");
        return dir;
    }
}
