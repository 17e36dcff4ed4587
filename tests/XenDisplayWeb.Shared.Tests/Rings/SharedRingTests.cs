using XenDisplayWeb.Shared.Rings;

namespace XenDisplayWeb.Shared.Tests.Rings;

public class SharedRingTests
{
    private static (byte[] Page, FrontRing Front, BackRing Back) NewRing()
    {
        var page = new byte[4096];
        var front = FrontRing.Init(page);
        return (page, front, new BackRing(page));
    }

    [Fact]
    public void Init_sets_producers_to_0_and_events_to_1()
    {
        var (page, _, _) = NewRing();
        Assert.Equal(0u, BitConverter.ToUInt32(page, 0));
        Assert.Equal(1u, BitConverter.ToUInt32(page, 4));
        Assert.Equal(0u, BitConverter.ToUInt32(page, 8));
        Assert.Equal(1u, BitConverter.ToUInt32(page, 12));
        Assert.Equal(32, SharedRing.Size);
    }

    [Fact]
    public void First_request_notifies_then_pushes_are_held_off_until_the_backend_asks_again()
    {
        var (_, front, back) = NewRing();
        front.ProduceRequest();
        Assert.True(front.PushRequestsAndCheckNotify()); // req_event 1 passed
        front.ProduceRequest();
        Assert.False(front.PushRequestsAndCheckNotify()); // backend has not asked for more: hold off

        Span<byte> req = stackalloc byte[64];
        Assert.True(back.FinalCheckForRequests(out uint prod));
        while (back.UnconsumedRequests(prod) > 0) back.CopyRequest(req);
        Assert.False(back.FinalCheckForRequests(out _)); // sets req_event = req_cons + 1
        Assert.Equal(3u, back.SharedReqEvent);

        front.ProduceRequest();
        Assert.True(front.PushRequestsAndCheckNotify());
    }

    [Fact]
    public void Responses_notify_only_when_the_frontend_waits()
    {
        var (_, front, back) = NewRing();
        Span<byte> req = stackalloc byte[64];
        for (int i = 0; i < 2; i++) { front.ProduceRequest(); front.PushRequestsAndCheckNotify(); }
        back.FinalCheckForRequests(out uint prod);
        back.CopyRequest(req);
        back.ProduceResponse();
        Assert.True(back.PushResponsesAndCheckNotify()); // rsp_event 1
        back.CopyRequest(req);
        back.ProduceResponse();
        Assert.False(back.PushResponsesAndCheckNotify()); // frontend did not re-arm
        Assert.True(front.FinalCheckForResponses());
        front.ConsumeResponse();
        front.ConsumeResponse();
        Assert.False(front.FinalCheckForResponses()); // re-arms rsp_event = rsp_cons + 1
        Assert.Equal(3u, front.SharedRspEvent);
    }

    [Fact]
    public void Indices_wrap_the_32_slots_and_the_u32_counter()
    {
        var page = new byte[4096];
        FrontRing.Init(page);
        // Start near the u32 wrap.
        BitConverter.TryWriteBytes(page.AsSpan(0), uint.MaxValue - 3);
        BitConverter.TryWriteBytes(page.AsSpan(8), uint.MaxValue - 3);
        var front = new FrontRing(page);
        var back = new BackRing(page);
        Span<byte> req = stackalloc byte[64];
        for (uint i = 0; i < 100; i++)
        {
            front.NextRequestSlot()[0] = (byte)i;
            front.ProduceRequest();
            front.PushRequestsAndCheckNotify();
            Assert.True(back.FinalCheckForRequests(out uint prod));
            Assert.False(back.IsRequestProdOverflow(prod));
            back.CopyRequest(req);
            Assert.Equal((byte)i, req[0]);
            back.ProduceResponse();
            back.PushResponsesAndCheckNotify();
            Assert.Equal(1, front.UnconsumedResponses);
            front.ConsumeResponse();
        }
        Assert.Equal(unchecked(uint.MaxValue - 3 + 100), front.ReqProdPvt);
    }

    [Fact]
    public void A_full_ring_has_no_free_requests_and_a_producer_beyond_it_is_overflow()
    {
        var (page, front, back) = NewRing();
        for (int i = 0; i < 32; i++) front.ProduceRequest();
        Assert.True(front.IsFull);
        front.PushRequestsAndCheckNotify();
        Assert.False(back.IsRequestProdOverflow(back.SharedReqProd));
        Assert.Equal(32, back.UnconsumedRequests(back.SharedReqProd));
        BitConverter.TryWriteBytes(page.AsSpan(0), 33u); // a guest writing req_prod past the ring
        Assert.True(back.IsRequestProdOverflow(back.SharedReqProd));
    }

    [Fact]
    public void Unconsumed_requests_are_bounded_by_free_response_slots_whatever_req_prod_says()
    {
        var (page, _, back) = NewRing();
        BitConverter.TryWriteBytes(page.AsSpan(0), 0x8000_0000u);
        Assert.Equal(32, back.UnconsumedRequests(back.SharedReqProd));
    }
}

public class EventPageTests
{
    [Fact]
    public void Slots_are_indexed_modulo_63_and_wrap()
    {
        Assert.Equal(63, EventPage.RingLength);
        Assert.Equal(64, EventPage.SlotOffset(0));
        Assert.Equal(64 + 62 * 64, EventPage.SlotOffset(62));
        Assert.Equal(64, EventPage.SlotOffset(63));
        Assert.Equal(64 + 2 * 64, EventPage.SlotOffset(65));
    }

    [Fact]
    public void Producer_writes_across_the_wrap_and_drops_when_full()
    {
        var page = new byte[4096];
        EventPage.SetInCons(page, 60);
        var producer = new EventPageProducer(page);
        Assert.Equal(60u, EventPage.InProd(page)); // reset to in_cons on attach
        var evt = new byte[64];
        for (int i = 0; i < 63; i++)
        {
            evt[0] = (byte)i;
            Assert.True(producer.TryPut(evt));
        }
        Assert.False(producer.TryPut(evt)); // full: 63 unconsumed
        Assert.Equal(1, producer.Dropped);
        Assert.Equal(123u, EventPage.InProd(page));
        // Event 3 (index 63) went to slot 0 after the wrap.
        Assert.Equal(3, page[EventPage.SlotOffset(63)]);
        Assert.Equal(3, page[64]);
        EventPage.SetInCons(page, 123);
        Assert.True(producer.TryPut(evt));
    }

    [Fact]
    public void A_consumer_index_out_of_range_is_detected()
    {
        var page = new byte[4096];
        var producer = new EventPageProducer(page);
        var evt = new byte[64];
        producer.TryPut(evt);
        Assert.True(producer.TryReadConsumer(out _));
        EventPage.SetInCons(page, 5); // ahead of in_prod 1
        Assert.False(producer.TryReadConsumer(out _));
    }
}
