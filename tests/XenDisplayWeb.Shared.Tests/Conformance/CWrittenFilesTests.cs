using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Rings;

namespace XenDisplayWeb.Shared.Tests.Conformance;

// The namespace XenDisplayWeb.Shared.Displif would hide the class of the same name.
using Displif = global::XenDisplayWeb.Shared.Displif.Displif;

/// <summary>
/// Pages the C program made with the real ring.h/displif.h macros (<c>write</c>), decoded with the C# code, and
/// the steps that made them replayed through the C# rings: same notify decisions, same bytes.
/// </summary>
[Collection(DisplifCCollection.Name)]
public sealed class CWrittenFilesTests(DisplifC c)
{
    private CWrittenFiles Files => c.CWritten;
    private IEnumerable<ManifestRecord> Records(string kind) => Files.Manifest.Where(r => r.Kind == kind);
    private ManifestRecord Single(string kind) => Assert.Single(Records(kind));

    [Fact]
    public void RingHeaderReadsThroughTheViews()
    {
        var ring = Single("ring");
        var front = new FrontRing(Files.Ring);
        Assert.Equal(ring.U32("req_prod"), front.SharedReqProd);
        Assert.Equal(ring.U32("req_event"), front.SharedReqEvent);
        Assert.Equal(ring.U32("rsp_prod"), front.SharedRspProd);
        Assert.Equal(ring.U32("rsp_event"), front.SharedRspEvent);
        Assert.True(front.SharedReqProd > SharedRing.Size, "the scenario should wrap the 32 slots");

        var back = new BackRing(Files.Ring);
        Assert.Equal(ring.U32("rsp_prod"), back.ReqCons);
        Assert.Equal(ring.U32("rsp_prod"), back.RspProdPvt);
        Assert.Equal(ring.U32("req_prod") - ring.U32("rsp_prod"), (uint)back.UnconsumedRequests(back.SharedReqProd));
        Assert.False(back.IsRequestProdOverflow(back.SharedReqProd));
    }

    [Fact]
    public void BackRingCopiesThePendingRequestsOfEveryOp()
    {
        var expected = Records("req").ToDictionary(r => r.U32("idx"));
        var back = new BackRing(Files.Ring);
        var packet = new byte[Displif.PacketSize];
        var seen = new List<XendisplOp>();
        for (int n = back.UnconsumedRequests(back.SharedReqProd); n > 0; n--)
        {
            uint idx = back.ReqCons;
            back.CopyRequest(packet);
            Assert.True(expected.TryGetValue(idx, out var want), $"request {idx} is not in the manifest");
            AssertRequest(want, packet);
            seen.Add((XendisplOp)PacketHeader.Operation(packet));
        }
        Assert.Equal(expected.Count, seen.Count);
        Assert.Equal(WireText.AllOps.Order(), seen.Order());
    }

    [Fact]
    public void EverySlotDecodes()
    {
        var slots = Records("req").Concat(Records("rsp")).ToList();
        Assert.Equal(SharedRing.Size, slots.Select(r => SharedRing.SlotOffset(r.U32("idx"))).Distinct().Count());
        foreach (var r in slots)
        {
            var packet = Files.Ring.AsSpan(SharedRing.SlotOffset(r.U32("idx")), Displif.PacketSize);
            if (r.Kind == "req")
            {
                AssertRequest(r, packet);
                continue;
            }
            var rsp = DisplifResponse.Read(packet);
            var want = new DisplifResponse(r.U16("id"), r.U8("op"), r.I32("status"), r.Has("edid_sz") ? r.U32("edid_sz") : 0);
            Assert.True(want == rsp, $"{r}: C# read {rsp}");
        }
        Assert.Contains(slots, r => r.Kind == "rsp" && r.U8("op") == (byte)XendisplOp.GetEdid && r.U32("edid_sz") != 0);
        Assert.Contains(slots, r => r.Kind == "rsp" && r.I32("status") < 0);
    }

    [Fact]
    public void EventPageDecodes()
    {
        var events = Single("events");
        Assert.Equal(events.U32("in_cons"), EventPage.InCons(Files.Events));
        Assert.Equal(events.U32("in_prod"), EventPage.InProd(Files.Events));
        var slots = Records("evt").ToList();
        Assert.Equal(EventPage.RingLength, slots.Select(e => EventPage.SlotOffset(e.U32("idx"))).Distinct().Count());
        Assert.Contains(slots, e => e.U32("idx") >= EventPage.RingLength); // the wrap
        foreach (var e in slots)
        {
            var slot = Files.Events.AsSpan(EventPage.SlotOffset(e.U32("idx")), EventPage.EventSize);
            Assert.Equal(e.U8("type"), PgFlipEvent.Type(slot));
            var evt = PgFlipEvent.Read(slot);
            Assert.True(new PgFlipEvent(e.U16("id"), e.U64("fb_cookie")) == evt, $"{e}: C# read {evt}");
        }
    }

    [Fact]
    public void PageDirectoryDecodes()
    {
        var info = Single("pgdir_info");
        int count = PageDirectory.DataPageCount(info.U32("buffer_sz"));
        Assert.Equal(info.U32("grefs"), (uint)count);
        Assert.Equal(info.U32("pages"), (uint)PageDirectory.DirectoryPageCount(count));
        Assert.Equal(PageDirectory.DirectoryPageCount(count) * PageDirectory.PageSize, Files.PageDirectory.Length);

        var all = new List<uint>();
        foreach (var rec in Records("pgdir"))
        {
            var page = Files.PageDirectory.AsSpan(rec.I32("page") * PageDirectory.PageSize, PageDirectory.PageSize);
            Assert.Equal(rec.U32("next"), PageDirectory.Next(page));
            var want = rec.U32List("grefs");
            var grefs = new uint[want.Length];
            PageDirectory.ReadGrefs(page, grefs);
            Assert.Equal(want, grefs);
            all.AddRange(grefs);
        }
        Assert.Equal(count, all.Count);
        Assert.Equal(0u, PageDirectory.Next(Files.PageDirectory.AsSpan(Files.PageDirectory.Length - PageDirectory.PageSize)));
    }

    [Fact]
    public void ReplayingTheRingStepsInCSharpGivesTheSameDecisionsAndBytes()
    {
        var page = new byte[SharedRing.PageSize];
        FrontRing? front = null;
        BackRing? back = null;
        var copy = new byte[Displif.PacketSize];
        int steps = 0;
        foreach (var s in Records("do").Where(r => r.Step.StartsWith("ring.") || r.Step.StartsWith("front.") || r.Step.StartsWith("back.")))
        {
            steps++;
            switch (s.Step)
            {
                case "ring.init":
                    front = FrontRing.Init(page);
                    back = new BackRing(page);
                    break;
                case "front.request":
                    Expect(s, front!.ReqProdPvt == s.U32("idx"), $"req_prod_pvt is {front.ReqProdPvt}");
                    WireText.Build(s).WriteTo(front.NextRequestSlot(), s.U16("id"));
                    front.ProduceRequest();
                    break;
                case "front.push":
                    Expect(s, front!.PushRequestsAndCheckNotify() == (s.I32("notify") != 0), "C# decided otherwise");
                    break;
                case "front.final_check":
                    Expect(s, front!.FinalCheckForResponses() == (s.I32("more") != 0), "C# decided otherwise");
                    Expect(s, front.UnconsumedResponses == s.I32("more"), $"C# sees {front.UnconsumedResponses}");
                    break;
                case "front.consume":
                    Expect(s, front!.RspCons == s.U32("idx"), $"rsp_cons is {front.RspCons}");
                    front.ConsumeResponse();
                    break;
                case "back.final_check":
                    Expect(s, back!.FinalCheckForRequests(out uint reqProd) == (s.I32("more") != 0), "C# decided otherwise");
                    Expect(s, back.UnconsumedRequests(reqProd) == s.I32("more"), $"C# sees {back.UnconsumedRequests(reqProd)}");
                    break;
                case "back.consume":
                    Expect(s, back!.ReqCons == s.U32("idx"), $"req_cons is {back.ReqCons}");
                    back.CopyRequest(copy);
                    break;
                case "back.respond":
                    Expect(s, back!.RspProdPvt == s.U32("idx"), $"rsp_prod_pvt is {back.RspProdPvt}");
                    new DisplifResponse(s.U16("id"), s.U8("op"), s.I32("status"), s.Has("edid_sz") ? s.U32("edid_sz") : 0)
                        .WriteTo(back.NextResponseSlot());
                    back.ProduceResponse();
                    break;
                case "back.push":
                    Expect(s, back!.PushResponsesAndCheckNotify() == (s.I32("notify") != 0), "C# decided otherwise");
                    break;
                default:
                    Assert.Fail($"unknown step: {s}");
                    break;
            }
        }
        Assert.True(steps > 400, $"only {steps} ring steps in the manifest");
        AssertSameBytes(Files.Ring, page, "ring page");
    }

    [Fact]
    public void ReplayingTheEventStepsInCSharpGivesTheSameBytes()
    {
        var page = new byte[XenDisplayWeb.Shared.Xen.XenPage.Size];
        EventPageProducer? producer = null;
        var evt = new byte[EventPage.EventSize];
        foreach (var s in Records("do").Where(r => r.Step.StartsWith("evt") || r.Step.StartsWith("events")))
        {
            switch (s.Step)
            {
                case "events.attach":
                    producer = new EventPageProducer(page);
                    break;
                case "evt.put":
                    Expect(s, producer!.InProd == s.U32("idx"), $"in_prod is {producer.InProd}");
                    new PgFlipEvent(s.U16("id"), s.U64("fb_cookie")).WriteTo(evt);
                    Expect(s, producer.TryPut(evt), "the C# producer dropped it");
                    break;
                case "evt.consume":
                    EventPage.SetInCons(page, s.U32("in_cons"));
                    Expect(s, producer!.TryReadConsumer(out _), "the C# producer rejects in_cons");
                    break;
                default:
                    Assert.Fail($"unknown step: {s}");
                    break;
            }
        }
        Assert.Equal(0, producer!.Dropped);
        AssertSameBytes(Files.Events, page, "event page");
    }

    [Fact]
    public void WritingThePageDirectoryInCSharpGivesTheSameBytes()
    {
        var pages = new byte[Files.PageDirectory.Length];
        foreach (var rec in Records("pgdir"))
            PageDirectory.Write(pages.AsSpan(rec.I32("page") * PageDirectory.PageSize, PageDirectory.PageSize), rec.U32("next"), rec.U32List("grefs"));
        AssertSameBytes(Files.PageDirectory, pages, "page directory");
    }

    [Fact]
    public void RequestsWrittenInCSharpMatchTheCBytesOfEveryOp()
    {
        // Each pending request, rewritten by C# over a copy of its own slot, leaves the slot unchanged.
        foreach (var r in Records("req"))
        {
            var slot = Files.Ring.AsSpan(SharedRing.SlotOffset(r.U32("idx")), Displif.PacketSize).ToArray();
            var rewritten = (byte[])slot.Clone();
            WireText.Build(r).WriteTo(rewritten, r.U16("id"));
            AssertSameBytes(slot, rewritten, r.ToString());
        }
    }

    private static void AssertRequest(ManifestRecord want, ReadOnlySpan<byte> packet)
    {
        Assert.Equal(want.U16("id"), PacketHeader.Id(packet));
        Assert.Equal(want.U8("op"), PacketHeader.Operation(packet));
        var fields = WireText.Fields(WireText.Decode(packet));
        var expected = want.Values.Keys.Where(k => k is not ("idx" or "id" or "op")).ToHashSet();
        Assert.True(expected.SetEquals(fields.Select(f => f.Name)),
            $"{want}: C# fields are {string.Join(", ", fields.Select(f => f.Name))}");
        foreach (var (name, value) in fields)
            Assert.True(want.U64(name) == value, $"{want}: C# read {name}={value}");
    }

    private static void Expect(ManifestRecord step, bool ok, string detail) => Assert.True(ok, $"step '{step}': {detail}");

    internal static void AssertSameBytes(byte[] expected, byte[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        int at = expected.AsSpan().CommonPrefixLength(actual);
        if (at == expected.Length) return;
        int from = at & ~15;
        Assert.Fail($"{what}: first difference at byte {at} ({at / 64} * 64 + {at % 64})\n" +
            $"C : {Convert.ToHexString(expected, from, Math.Min(32, expected.Length - from))}\n" +
            $"C#: {Convert.ToHexString(actual, from, Math.Min(32, actual.Length - from))}");
    }
}
