using System.Buffers.Binary;
using XenDisplayWeb.Shared.Rings;

namespace XenDisplayWeb.Shared.Tests.Rings;

public class EventRingLayoutTests
{
    // A layout shaped like kbdif's out ring: indices after another pair, a slot count that is not a power of two.
    internal static readonly EventRingLayout Odd = new("test ring", 8, 12, 3072, 40, 25);

    [Fact]
    public void Slots_are_indexed_modulo_the_count_and_wrap_like_the_C_macro()
    {
        Assert.Equal(3072, Odd.SlotOffset(0));
        Assert.Equal(3072 + 24 * 40, Odd.SlotOffset(24));
        Assert.Equal(3072, Odd.SlotOffset(25));
        Assert.Equal(3072 + 40, Odd.SlotOffset(26));
        // (u32)idx % 25: 0xffffffff % 25 = 20, then 0 after the wrap.
        Assert.Equal(3072 + 20 * 40, Odd.SlotOffset(uint.MaxValue));
        Assert.Equal(1000, Odd.RingSize);
        Assert.Equal(4072, Odd.Extent);
    }

    [Fact]
    public void Indices_are_in_range_from_equal_to_a_full_ring_ahead()
    {
        Assert.True(Odd.InRange(5, 5));
        Assert.True(Odd.InRange(30, 5));
        Assert.False(Odd.InRange(31, 5)); // 26 pending in 25 slots
        Assert.False(Odd.InRange(4, 5)); // the producer behind the consumer
        Assert.True(Odd.InRange(3, uint.MaxValue - 20)); // across the u32 wrap: 24 pending
    }

    [Theory]
    [InlineData(0, 4, 4096 - 40 * 25 + 1, 40, 25)] // slots past the page
    [InlineData(0, 0, 64, 64, 63)] // cons and prod the same word
    [InlineData(0, 2, 64, 64, 63)] // overlapping, unaligned
    [InlineData(64, 4, 64, 64, 63)] // cons inside the slots
    [InlineData(0, 4, 64, 0, 63)]
    [InlineData(0, 4, 64, 64, 0)]
    public void Impossible_layouts_are_refused(int cons, int prod, int ring, int slotSize, int count) =>
        Assert.ThrowsAny<ArgumentException>(() => new EventRingLayout("bad", cons, prod, ring, slotSize, count));

    [Fact]
    public void A_page_too_small_for_the_layout_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new EventRingProducer(Odd, new byte[4071]));
        Assert.Throws<ArgumentException>(() => new EventRingConsumer(Odd, new byte[8192], 4096 + 32));
        Assert.Throws<ArgumentException>(() => new EventRingProducer(Odd, new byte[8192], 2)); // unaligned indices
        _ = new EventRingConsumer(Odd, new byte[8192], 4096);
    }
}

public class EventRingProducerTests
{
    private static readonly EventRingLayout Odd = EventRingLayoutTests.Odd;

    private static byte[] Event(uint n)
    {
        var e = new byte[Odd.SlotSize];
        BinaryPrimitives.WriteUInt32LittleEndian(e, n);
        e[^1] = (byte)~n;
        return e;
    }

    [Fact]
    public void Attach_resets_prod_to_cons_and_puts_fill_the_ring_across_the_wrap()
    {
        var page = new byte[4096];
        Odd.SetCons(page, 20);
        Odd.SetProd(page, 999); // stale: dropped on attach
        var producer = new EventRingProducer(Odd, page);
        Assert.Equal(20u, Odd.Prod(page));
        Assert.Equal(25, producer.Free);
        for (uint i = 0; i < 25; i++) Assert.Equal(EventPutResult.Put, producer.Put(Event(i)));
        Assert.Equal(EventPutResult.Full, producer.Put(Event(99)));
        Assert.Equal(1, producer.Dropped);
        Assert.Equal(0, producer.Free);
        Assert.Equal(45u, Odd.Prod(page));
        // Event 5 has index 25: slot 0. Nothing was written outside the slots.
        Assert.Equal(Event(5), page.AsSpan(Odd.SlotOffset(25), Odd.SlotSize).ToArray());
        Assert.Equal(Event(5), page.AsSpan(3072, 40).ToArray());
        Assert.True(page.AsSpan(16, 3072 - 16).IndexOfAnyExcept((byte)0) < 0);
        Assert.True(page.AsSpan(4072).IndexOfAnyExcept((byte)0) < 0);
        Odd.SetCons(page, 44);
        Assert.Equal(24, producer.Free);
        Assert.True(producer.TryPut(Event(100)));
    }

    [Fact]
    public void A_consumer_index_out_of_range_is_reported_and_nothing_is_written()
    {
        var page = new byte[4096];
        var producer = new EventRingProducer(Odd, page);
        producer.Put(Event(1));
        Assert.True(producer.TryReadConsumer(out _));

        foreach (uint cons in new uint[] { 2, 0x8000_0000, uint.MaxValue - 24 }) // ahead of prod 1, far off, 26 behind
        {
            Odd.SetCons(page, cons);
            Assert.False(producer.TryReadConsumer(out uint seen));
            Assert.Equal(cons, seen);
            Assert.Equal(-1, producer.Free);
            var before = page.ToArray();
            Assert.Equal(EventPutResult.ConsumerOutOfRange, producer.Put(Event(2)));
            Assert.Equal(before, page); // the slot and in_prod untouched
        }
        Assert.Equal(3, producer.Dropped);
        Assert.Equal(1u, producer.Prod);
    }

    [Fact]
    public void The_producer_index_in_the_page_is_written_never_read()
    {
        var page = new byte[4096];
        var producer = new EventRingProducer(Odd, page);
        producer.Put(Event(1));
        Odd.SetProd(page, 20); // the guest scribbles on it
        producer.Put(Event(2));
        Assert.Equal(2u, Odd.Prod(page));
        Assert.Equal(Event(2), page.AsSpan(Odd.SlotOffset(1), 40).ToArray());
    }

    [Fact]
    public void An_event_shorter_than_a_slot_is_refused() =>
        Assert.Throws<ArgumentException>(() => new EventRingProducer(Odd, new byte[4096]).Put(new byte[39]));
}

public class EventRingConsumerTests
{
    private static readonly EventRingLayout Odd = EventRingLayoutTests.Odd;

    [Fact]
    public void The_consumer_copies_events_out_and_publishes_its_index_after()
    {
        var page = new byte[4096];
        var producer = new EventRingProducer(Odd, page);
        var consumer = new EventRingConsumer(Odd, page);
        var evt = new byte[40];
        for (byte i = 0; i < 3; i++) { evt[7] = i; producer.Put(evt); }

        Assert.True(consumer.TryReadProducer(out uint prod));
        Assert.Equal(3, consumer.Unconsumed(prod));
        var copy = new byte[40];
        consumer.CopyNext(copy);
        page[Odd.SlotOffset(0) + 7] = 0xee; // rewritten after the copy: the copy stands
        Assert.Equal(0, copy[7]);
        consumer.CopyNext(copy);
        Assert.Equal(1, copy[7]);
        Assert.Equal(0u, Odd.Cons(page)); // not handed back yet
        Assert.Equal(22, producer.Free); // the page still says 0 consumed
        consumer.Publish();
        Assert.Equal(2u, Odd.Cons(page));
        Assert.Equal(24, producer.Free);
    }

    [Theory]
    [InlineData(26u)] // more than a ring ahead
    [InlineData(0x8000_0000u)]
    [InlineData(uint.MaxValue)] // behind our index 0
    public void A_producer_index_out_of_range_is_reported_and_no_slot_counts_as_pending(uint prod)
    {
        var page = new byte[4096];
        var consumer = new EventRingConsumer(Odd, page);
        Odd.SetProd(page, prod);
        Assert.False(consumer.TryReadProducer(out uint seen));
        Assert.Equal(prod, seen);
        Assert.Equal(0, consumer.Unconsumed(prod));
        consumer.SkipTo(prod);
        Assert.Equal(prod, Odd.Cons(page));
        Assert.True(consumer.TryReadProducer(out _));
    }

    [Fact]
    public void The_consumer_index_in_the_page_is_written_never_read_back()
    {
        var page = new byte[4096];
        var producer = new EventRingProducer(Odd, page);
        var consumer = new EventRingConsumer(Odd, page);
        producer.Put(new byte[40]);
        producer.Put(new byte[40]);
        Odd.SetCons(page, 7); // someone else scribbles on it
        consumer.CopyNext(new byte[40]);
        consumer.Publish();
        Assert.Equal(1u, consumer.Cons);
        Assert.Equal(1u, Odd.Cons(page));
    }

    [Fact]
    public void Producer_and_consumer_agree_over_the_u32_wrap_in_random_batches()
    {
        var rng = new Random(1234);
        var page = new byte[4096];
        Odd.SetCons(page, uint.MaxValue - 300);
        var producer = new EventRingProducer(Odd, page);
        var consumer = new EventRingConsumer(Odd, page);
        uint sent = 0, received = 0;
        long dropped = 0;
        var evt = new byte[40];
        var copy = new byte[40];
        for (int round = 0; round < 200; round++)
        {
            for (int n = rng.Next(0, 30); n > 0; n--)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(evt.AsSpan(36), sent);
                if (producer.TryPut(evt)) sent++;
                else dropped++;
            }
            Assert.True(consumer.TryReadProducer(out uint prod));
            for (int n = Math.Min(rng.Next(0, 30), consumer.Unconsumed(prod)); n > 0; n--)
            {
                consumer.CopyNext(copy);
                Assert.Equal(received++, BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(36)));
            }
            consumer.Publish();
        }
        Assert.True(producer.Prod < uint.MaxValue - 300, $"the indices should have wrapped: prod {producer.Prod}");
        Assert.Equal(dropped, producer.Dropped);
        Assert.True(dropped > 0 && received > 1000, $"dropped {dropped}, received {received}");
    }
}
