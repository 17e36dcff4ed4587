using XenDisplayWeb.Shared.Kbdif;
using XenDisplayWeb.Shared.Rings;

namespace XenDisplayWeb.Shared.Tests.Conformance;

// The namespaces XenDisplayWeb.Shared.Kbdif and XenDisplayWeb.Shared.Tests.Kbdif would hide the class of the same name.
using Kbdif = global::XenDisplayWeb.Shared.Kbdif.Kbdif;

/// <summary>
/// The shared page the C program filled through kbdif.h's structs and ring macros (<c>write</c>), decoded with
/// the C# code, and the steps that filled it replayed through the C# event rings: same decisions, same bytes.
/// </summary>
[Collection(KbdifCCollection.Name)]
public sealed class KbdifCWrittenFilesTests(KbdifC c)
{
    private KbdifCWrittenFiles Files => c.CWritten;
    private IEnumerable<ManifestRecord> Records(string kind) => Files.Manifest.Where(r => r.Kind == kind);

    [Fact]
    public void ThePageHeaderReadsThroughTheLayouts()
    {
        var page = Assert.Single(Records("page"));
        Assert.Equal(page.U32("in_cons"), XenkbdPage.InRing.Cons(Files.Page));
        Assert.Equal(page.U32("in_prod"), XenkbdPage.InRing.Prod(Files.Page));
        Assert.Equal(page.U32("out_cons"), XenkbdPage.OutRing.Cons(Files.Page));
        Assert.Equal(page.U32("out_prod"), XenkbdPage.OutRing.Prod(Files.Page));
        Assert.True(XenkbdPage.InRing.Prod(Files.Page) < 1000, "the scenario should wrap the u32 in indices");
    }

    [Fact]
    public void EveryInSlotDecodesToTheEventTheCWrote()
    {
        var slots = Records("in").ToList();
        Assert.Equal(Kbdif.InRingLen, slots.Select(r => XenkbdPage.InRing.SlotOffset(r.U32("idx"))).Distinct().Count());
        foreach (var r in slots)
        {
            var evt = XenkbdInEvent.Read(Files.Page.AsSpan(XenkbdPage.InRing.SlotOffset(r.U32("idx")), Kbdif.InEventSize));
            Assert.NotNull(evt);
            Assert.True(KbdifWireText.Format("in", r.U32("idx"), evt) == r.Line, $"C wrote '{r}', C# read {evt}");
        }
        // Every type and every touch sub-type is among them.
        Assert.Equal(4, slots.Select(r => r.U8("type")).Distinct().Count());
        Assert.Equal(6, slots.Where(r => r.Has("event_type")).Select(r => r.U8("event_type")).Distinct().Count());
    }

    [Fact]
    public void EveryOutSlotHoldsWhatTheCWrote()
    {
        var slots = Records("out").ToList();
        Assert.Equal(Kbdif.OutRingLen, slots.Select(r => XenkbdPage.OutRing.SlotOffset(r.U32("idx"))).Distinct().Count());
        foreach (var r in slots)
        {
            var slot = Files.Page.AsSpan(XenkbdPage.OutRing.SlotOffset(r.U32("idx")), Kbdif.OutEventSize);
            Assert.Equal(r.U8("type"), XenkbdOutEvent.Type(slot));
            Assert.True(slot.SequenceEqual(KbdifWireText.OutEvent(r.U8("type"), r.U8("fill"))), $"{r}: {Convert.ToHexString(slot)}");
        }
    }

    [Fact]
    public void TheConsumersTakeThePendingEventsInOrder()
    {
        var page = (byte[])Files.Page.Clone();
        var byIdx = Records("in").ToDictionary(r => r.U32("idx"));
        var consumer = new EventRingConsumer(XenkbdPage.InRing, page);
        Assert.True(consumer.TryReadProducer(out uint prod));
        Assert.True(consumer.Unconsumed(prod) > 0);
        var copy = new byte[Kbdif.InEventSize];
        while (consumer.Cons != prod)
        {
            uint idx = consumer.Cons;
            consumer.CopyNext(copy);
            Assert.Equal(byIdx[idx].Line, KbdifWireText.Format("in", idx, XenkbdInEvent.Read(copy)!));
        }
        consumer.Publish();
        Assert.Equal(prod, XenkbdPage.InRing.Cons(page));

        var outConsumer = new EventRingConsumer(XenkbdPage.OutRing, page);
        Assert.True(outConsumer.TryReadProducer(out uint outProd));
        Assert.Equal(Assert.Single(Records("page")).U32("out_prod") - Assert.Single(Records("page")).U32("out_cons"), (uint)outConsumer.Unconsumed(outProd));
    }

    [Fact]
    public void ReplayingTheStepsInCSharpGivesTheSameDecisionsAndBytes()
    {
        var page = new byte[SharedRing.PageSize];
        EventRingProducer? inProducer = null, outProducer = null;
        EventRingConsumer? inConsumer = null;
        var put = new Dictionary<uint, string>();
        var evt = new byte[Kbdif.InEventSize];
        int steps = 0, full = 0;
        foreach (var s in Records("do"))
        {
            steps++;
            switch (s.Step)
            {
                case "in.attach":
                    XenkbdPage.InRing.SetCons(page, s.U32("in_cons"));
                    inProducer = new EventRingProducer(XenkbdPage.InRing, page);
                    inConsumer = new EventRingConsumer(XenkbdPage.InRing, page);
                    break;
                case "in.put" or "in.full":
                    Expect(s, inProducer!.Prod == s.U32("idx"), $"in_prod is {inProducer.Prod}");
                    KbdifWireText.Build(s).Write(evt);
                    var result = inProducer.Put(evt);
                    Expect(s, result == (s.Step == "in.put" ? EventPutResult.Put : EventPutResult.Full), $"C# said {result}");
                    if (result == EventPutResult.Put) put[s.U32("idx")] = s.Line["do in.put ".Length..];
                    else full++;
                    break;
                case "in.consume":
                    Expect(s, inConsumer!.TryReadProducer(out uint prod), "C# rejects in_prod");
                    for (var copy = new byte[Kbdif.InEventSize]; inConsumer.Cons != s.U32("in_cons");)
                    {
                        uint idx = inConsumer.Cons;
                        Expect(s, inConsumer.Unconsumed(prod) > 0, "C# ran out of events");
                        inConsumer.CopyNext(copy);
                        Expect(s, KbdifWireText.Format("", idx, XenkbdInEvent.Read(copy)!)[1..] == put[idx], $"event {idx} came back otherwise");
                    }
                    inConsumer.Publish();
                    break;
                case "out.attach":
                    outProducer = new EventRingProducer(XenkbdPage.OutRing, page);
                    break;
                case "out.put":
                    Expect(s, outProducer!.Prod == s.U32("idx"), $"out_prod is {outProducer.Prod}");
                    Expect(s, outProducer.TryPut(KbdifWireText.OutEvent(s.U8("type"), s.U8("fill"))), "the C# producer dropped it");
                    break;
                case "out.consume":
                    XenkbdPage.OutRing.SetCons(page, s.U32("out_cons")); // the backend, which does not read out events yet
                    Expect(s, outProducer!.TryReadConsumer(out _), "C# rejects out_cons");
                    break;
                default:
                    Assert.Fail($"unknown step: {s}");
                    break;
            }
        }
        Assert.True(steps > 200 && full > 0, $"{steps} steps, {full} dropped: the scenario should fill the ring");
        Assert.Equal(full, inProducer!.Dropped);
        CWrittenFilesTests.AssertSameBytes(Files.Page, page, "kbdif page");
    }

    private static void Expect(ManifestRecord step, bool ok, string detail) => Assert.True(ok, $"step '{step}': {detail}");
}
