namespace XenDisplayWeb.Shared.Rings;

/// <summary>The frontend's private view of a shared ring (ring.h's FRONT_RING_*): it produces requests.</summary>
public sealed class FrontRing
{
    private readonly byte[] _page;
    private readonly int _ofs;

    /// <summary>FRONT_RING_INIT: initialises the shared page too.</summary>
    public static FrontRing Init(byte[] page, int offset = 0)
    {
        SharedRing.Init(page.AsSpan(offset, SharedRing.PageSize));
        return new FrontRing(page, offset);
    }

    /// <summary>FRONT_RING_ATTACH to a page that is already initialised.</summary>
    public FrontRing(byte[] page, int offset = 0)
    {
        if (offset < 0 || page.Length - offset < SharedRing.PageSize) throw new ArgumentException("a ring needs a whole page", nameof(page));
        _page = page;
        _ofs = offset;
        ReqProdPvt = SharedRing.Load(page, offset + SharedRing.ReqProdOffset);
        RspCons = SharedRing.Load(page, offset + SharedRing.RspProdOffset);
    }

    public uint ReqProdPvt { get; private set; }
    public uint RspCons { get; private set; }

    public int FreeRequests => SharedRing.Size - (int)unchecked(ReqProdPvt - RspCons);
    public bool IsFull => FreeRequests == 0;

    /// <summary>RING_GET_REQUEST at req_prod_pvt; advance with <see cref="ProduceRequest"/>.</summary>
    public Span<byte> NextRequestSlot() => _page.AsSpan(_ofs + SharedRing.SlotOffset(ReqProdPvt), SharedRing.EntrySize);

    public void ProduceRequest() => ReqProdPvt++;

    /// <summary>Makes <paramref name="reqProd"/> the private producer (a guest that rewrote its shared req_prod).</summary>
    public void ResetRequestProducer(uint reqProd) => ReqProdPvt = reqProd;

    /// <summary>RING_PUSH_REQUESTS_AND_CHECK_NOTIFY: returns true when the backend must be notified.</summary>
    public bool PushRequestsAndCheckNotify()
    {
        uint old = SharedRing.Load(_page, _ofs + SharedRing.ReqProdOffset);
        uint now = ReqProdPvt;
        SharedRing.Store(_page, _ofs + SharedRing.ReqProdOffset, now); // release: the request bodies are visible first
        Interlocked.MemoryBarrier();
        return SharedRing.NeedsNotify(now, old, SharedRing.Load(_page, _ofs + SharedRing.ReqEventOffset));
    }

    public int UnconsumedResponses => (int)unchecked(SharedRing.Load(_page, _ofs + SharedRing.RspProdOffset) - RspCons);

    /// <summary>RING_FINAL_CHECK_FOR_RESPONSES: if none are pending, asks to be notified of the next, then looks again.</summary>
    public bool FinalCheckForResponses()
    {
        if (UnconsumedResponses > 0) return true;
        SharedRing.Store(_page, _ofs + SharedRing.RspEventOffset, RspCons + 1);
        Interlocked.MemoryBarrier();
        return UnconsumedResponses > 0;
    }

    /// <summary>RING_GET_RESPONSE at rsp_cons; advance with <see cref="ConsumeResponse"/>.</summary>
    public ReadOnlySpan<byte> NextResponseSlot() => _page.AsSpan(_ofs + SharedRing.SlotOffset(RspCons), SharedRing.EntrySize);

    public void ConsumeResponse() => RspCons++;

    public uint SharedReqProd => SharedRing.Load(_page, _ofs + SharedRing.ReqProdOffset);
    public uint SharedRspProd => SharedRing.Load(_page, _ofs + SharedRing.RspProdOffset);
    public uint SharedReqEvent => SharedRing.Load(_page, _ofs + SharedRing.ReqEventOffset);
    public uint SharedRspEvent => SharedRing.Load(_page, _ofs + SharedRing.RspEventOffset);
}
