namespace XenDisplayWeb.Shared.Rings;

/// <summary>The frontend's private view of a shared ring (ring.h's FRONT_RING_*): it produces requests.</summary>
public sealed class FrontRing
{
    private readonly byte[] _page;

    /// <summary>FRONT_RING_INIT: initialises the shared page too.</summary>
    public static FrontRing Init(byte[] page)
    {
        SharedRing.Init(page);
        return new FrontRing(page);
    }

    /// <summary>FRONT_RING_ATTACH to a page that is already initialised.</summary>
    public FrontRing(byte[] page)
    {
        if (page.Length < SharedRing.PageSize) throw new ArgumentException("a ring needs a whole page", nameof(page));
        _page = page;
        ReqProdPvt = SharedRing.Load(page, SharedRing.ReqProdOffset);
        RspCons = SharedRing.Load(page, SharedRing.RspProdOffset);
    }

    public uint ReqProdPvt { get; private set; }
    public uint RspCons { get; private set; }

    public int FreeRequests => SharedRing.Size - (int)unchecked(ReqProdPvt - RspCons);
    public bool IsFull => FreeRequests == 0;

    /// <summary>RING_GET_REQUEST at req_prod_pvt; advance with <see cref="ProduceRequest"/>.</summary>
    public Span<byte> NextRequestSlot() => _page.AsSpan(SharedRing.SlotOffset(ReqProdPvt), SharedRing.EntrySize);

    public void ProduceRequest() => ReqProdPvt++;

    /// <summary>RING_PUSH_REQUESTS_AND_CHECK_NOTIFY: returns true when the backend must be notified.</summary>
    public bool PushRequestsAndCheckNotify()
    {
        uint old = SharedRing.Load(_page, SharedRing.ReqProdOffset);
        uint now = ReqProdPvt;
        SharedRing.Store(_page, SharedRing.ReqProdOffset, now); // release: the request bodies are visible first
        Interlocked.MemoryBarrier();
        return SharedRing.NeedsNotify(now, old, SharedRing.Load(_page, SharedRing.ReqEventOffset));
    }

    public int UnconsumedResponses => (int)unchecked(SharedRing.Load(_page, SharedRing.RspProdOffset) - RspCons);

    /// <summary>RING_FINAL_CHECK_FOR_RESPONSES: if none are pending, asks to be notified of the next, then looks again.</summary>
    public bool FinalCheckForResponses()
    {
        if (UnconsumedResponses > 0) return true;
        SharedRing.Store(_page, SharedRing.RspEventOffset, RspCons + 1);
        Interlocked.MemoryBarrier();
        return UnconsumedResponses > 0;
    }

    /// <summary>RING_GET_RESPONSE at rsp_cons; advance with <see cref="ConsumeResponse"/>.</summary>
    public ReadOnlySpan<byte> NextResponseSlot() => _page.AsSpan(SharedRing.SlotOffset(RspCons), SharedRing.EntrySize);

    public void ConsumeResponse() => RspCons++;

    public uint SharedReqProd => SharedRing.Load(_page, SharedRing.ReqProdOffset);
    public uint SharedRspProd => SharedRing.Load(_page, SharedRing.RspProdOffset);
    public uint SharedReqEvent => SharedRing.Load(_page, SharedRing.ReqEventOffset);
    public uint SharedRspEvent => SharedRing.Load(_page, SharedRing.RspEventOffset);
}
