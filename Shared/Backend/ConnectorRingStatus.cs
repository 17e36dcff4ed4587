namespace XenDisplayWeb.Shared.Backend;

/// <summary>
/// A read-only look at one connector's request ring and event page as the backend serves them, for
/// diagnosis. The shared indices are what the pages hold right now (the guest can change them at any
/// time); the last request and response are the backend's own copies.
/// </summary>
public sealed record ConnectorRingStatus(
    int Index,
    uint ReqRingRef, int ReqPort, uint EvtRingRef, int EvtPort,
    uint ReqProd, uint RspProd, uint ReqEvent, uint RspEvent, uint ReqCons, uint RspProdPvt,
    uint InProd, uint InCons, long EventsDropped,
    long RequestsHandled, long FlipEventsSent,
    byte[] LastRequest, byte[] LastResponse)
{
    /// <summary>When the guest carries its requests over a CTB instead of the ring: its descriptor and recent messages.</summary>
    public CtbStatus? Ctb { get; init; }
}
