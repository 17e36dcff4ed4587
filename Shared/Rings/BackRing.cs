namespace XenDisplayWeb.Shared.Rings;

/// <summary>
/// The backend's private view of a shared ring (ring.h's BACK_RING_*): it consumes requests and
/// produces responses. Nothing the guest writes into the shared header is trusted.
/// </summary>
public sealed class BackRing
{
    private readonly byte[] _page;
    private readonly int _ofs;

    /// <summary>BACK_RING_ATTACH: starts from the shared response producer.</summary>
    public BackRing(byte[] page, int offset = 0)
    {
        if (offset < 0 || page.Length - offset < SharedRing.PageSize) throw new ArgumentException("a ring needs a whole page", nameof(page));
        _page = page;
        _ofs = offset;
        RspProdPvt = SharedRing.Load(page, offset + SharedRing.RspProdOffset);
        ReqCons = RspProdPvt;
    }

    public uint ReqCons { get; private set; }
    public uint RspProdPvt { get; private set; }

    /// <summary>The guest's req_prod, read once: pass it to the checks below rather than reading it again.</summary>
    public uint SharedReqProd => SharedRing.Load(_page, _ofs + SharedRing.ReqProdOffset);

    /// <summary>
    /// RING_REQUEST_PROD_OVERFLOW: a producer more than a ring ahead of our responses is a broken or
    /// hostile frontend.
    /// </summary>
    public bool IsRequestProdOverflow(uint reqProd) => unchecked(reqProd - RspProdPvt) > SharedRing.Size;

    /// <summary>RING_HAS_UNCONSUMED_REQUESTS, bounded by the free response slots.</summary>
    public int UnconsumedRequests(uint reqProd)
    {
        uint req = unchecked(reqProd - ReqCons);
        uint rsp = unchecked(SharedRing.Size - (ReqCons - RspProdPvt));
        return (int)Math.Min(Math.Min(req, rsp), SharedRing.Size);
    }

    /// <summary>RING_FINAL_CHECK_FOR_REQUESTS: if none are pending, asks to be notified of the next, then looks again.</summary>
    public bool FinalCheckForRequests(out uint reqProd)
    {
        reqProd = SharedReqProd;
        if (UnconsumedRequests(reqProd) > 0) return true;
        SharedRing.Store(_page, _ofs + SharedRing.ReqEventOffset, ReqCons + 1);
        Interlocked.MemoryBarrier();
        reqProd = SharedReqProd;
        return UnconsumedRequests(reqProd) > 0;
    }

    /// <summary>RING_COPY_REQUEST: the guest can rewrite the slot at any time, so take one copy and work on that.</summary>
    public void CopyRequest(Span<byte> destination)
    {
        _page.AsSpan(_ofs + SharedRing.SlotOffset(ReqCons), SharedRing.EntrySize).CopyTo(destination);
        ReqCons++;
    }

    /// <summary>RING_GET_RESPONSE at rsp_prod_pvt; advance with <see cref="ProduceResponse"/>.</summary>
    public Span<byte> NextResponseSlot() => _page.AsSpan(_ofs + SharedRing.SlotOffset(RspProdPvt), SharedRing.EntrySize);

    public void ProduceResponse() => RspProdPvt++;

    /// <summary>RING_PUSH_RESPONSES_AND_CHECK_NOTIFY: returns true when the frontend must be notified.</summary>
    public bool PushResponsesAndCheckNotify()
    {
        uint old = SharedRing.Load(_page, _ofs + SharedRing.RspProdOffset);
        uint now = RspProdPvt;
        SharedRing.Store(_page, _ofs + SharedRing.RspProdOffset, now);
        Interlocked.MemoryBarrier();
        return SharedRing.NeedsNotify(now, old, SharedRing.Load(_page, _ofs + SharedRing.RspEventOffset));
    }

    public uint SharedRspProd => SharedRing.Load(_page, _ofs + SharedRing.RspProdOffset);
    public uint SharedReqEvent => SharedRing.Load(_page, _ofs + SharedRing.ReqEventOffset);
    public uint SharedRspEvent => SharedRing.Load(_page, _ofs + SharedRing.RspEventOffset);
}
