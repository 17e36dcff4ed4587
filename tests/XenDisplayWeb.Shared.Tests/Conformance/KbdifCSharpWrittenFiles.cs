using XenDisplayWeb.Shared.Kbdif;
using XenDisplayWeb.Shared.Rings;

namespace XenDisplayWeb.Shared.Tests.Conformance;

// The namespace XenDisplayWeb.Shared.Kbdif would hide the class of the same name.
using Kbdif = global::XenDisplayWeb.Shared.Kbdif.Kbdif;

/// <summary>
/// The files for the C program's <c>read</c>: a kbdif page filled by the C# rings and events, and a manifest of
/// what was meant to go in it (taken from the scenario, not read back).
/// </summary>
public sealed class KbdifCSharpWrittenFiles
{
    private readonly List<string> _manifest = [];

    public byte[] Page { get; } = new byte[SharedRing.PageSize];
    public IReadOnlyList<string> Manifest => _manifest;

    /// <summary>The in events still in their slots: index and manifest line.</summary>
    public List<(uint Idx, string Line)> InSlots { get; } = [];

    public KbdifCSharpWrittenFiles()
    {
        var inSlots = WriteIn();
        var outSlots = WriteOut();
        var inRing = XenkbdPage.InRing;
        var outRing = XenkbdPage.OutRing;
        _manifest.Add($"page in_cons={inRing.Cons(Page)} in_prod={inRing.Prod(Page)} out_cons={outRing.Cons(Page)} out_prod={outRing.Prod(Page)}");
        for (uint idx = inRing.Prod(Page) - Kbdif.InRingLen; idx != inRing.Prod(Page); idx++) InSlots.Add((idx, inSlots[idx]));
        _manifest.AddRange(InSlots.Select(s => s.Line));
        for (uint idx = outRing.Prod(Page) - Kbdif.OutRingLen; idx != outRing.Prod(Page); idx++) _manifest.Add(outSlots[idx]);
    }

    public void SaveTo(string dir)
    {
        File.WriteAllBytes(Path.Combine(dir, "page.bin"), Page);
        File.WriteAllLines(Path.Combine(dir, "manifest.txt"), _manifest);
    }

    /// <summary>Edge values first, then every kind again with values that differ from the C program's.</summary>
    private static IXenkbdInEvent Event(int n) => (n % 10) switch
    {
        0 => new XenkbdMotion(int.MinValue + n, int.MaxValue - n, -n),
        1 => new XenkbdKey(n % 4 == 1, (uint)LinuxInput.Keys[n % LinuxInput.Keys.Count].Keycode),
        2 => new XenkbdPosition(n * 7, int.MaxValue - n, int.MinValue + n),
        3 => XenkbdMtouch.Down((byte)(n % 256), n * 13, -n),
        4 => XenkbdMtouch.Shape((byte)(255 - n % 256), uint.MaxValue - (uint)n, (uint)n * 0x01010101u),
        5 => XenkbdMtouch.Orient((byte)n, (short)(n % 2 == 0 ? -180 : 180)),
        6 => XenkbdMtouch.Motion((byte)n, -n * 3, n * 5),
        7 => XenkbdMtouch.Syn((byte)n),
        8 => XenkbdMtouch.Up((byte)n),
        _ => new XenkbdKey(true, (uint)(n % 2 == 0 ? LinuxInput.BTN_TOUCH : LinuxInput.KEY_MAX)),
    };

    private Dictionary<uint, string> WriteIn()
    {
        var ring = XenkbdPage.InRing;
        ring.SetCons(Page, 1000);
        var producer = new EventRingProducer(ring, Page);
        var consumer = new EventRingConsumer(ring, Page);
        var slots = new Dictionary<uint, string>();
        var packet = new byte[Kbdif.InEventSize];
        var copy = new byte[Kbdif.InEventSize];
        // 140 events: the frontend keeps up a few behind, then leaves 40 pending.
        for (int n = 0; n < 140; n++)
        {
            var evt = Event(n);
            evt.Write(packet);
            uint idx = producer.Prod;
            Assert.Equal(EventPutResult.Put, producer.Put(packet));
            slots[idx] = KbdifWireText.Format("in", idx, evt);
            if (n % 9 == 8 && n < 100)
            {
                Assert.True(consumer.TryReadProducer(out uint prod));
                for (int k = consumer.Unconsumed(prod) - 3; k > 0; k--) consumer.CopyNext(copy);
                consumer.Publish();
            }
        }
        return slots;
    }

    private Dictionary<uint, string> WriteOut()
    {
        var ring = XenkbdPage.OutRing;
        var producer = new EventRingProducer(ring, Page);
        var slots = new Dictionary<uint, string>();
        for (uint i = 0; i < 70; i++)
        {
            byte type = (byte)(0x30 + i), fill = (byte)(0xff - i);
            uint idx = producer.Prod;
            Assert.True(producer.TryPut(KbdifWireText.OutEvent(type, fill)));
            slots[idx] = KbdifWireText.FormatOut("out", idx, type, fill);
            if (i % 6 == 5) ring.SetCons(Page, producer.Prod - 2); // the backend taking them
        }
        return slots;
    }
}
