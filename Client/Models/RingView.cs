namespace XenDisplayWeb.Client.Models;

/// <summary>
/// One connector's request ring and event page as the backend serves them (<c>GET /api/rings</c>).
/// The shared indices are read from the pages now; the last packets are the backend's own copies, decoded.
/// </summary>
/// <param name="ReqCons">The backend's private req_cons.</param>
/// <param name="RspProdPvt">The backend's private rsp_prod_pvt.</param>
/// <param name="LastRequest">The last request decoded ("" before the first).</param>
/// <param name="LastRequestHex">Its 64 bytes in hexadecimal.</param>
public sealed record RingView(int DomId, int Index, string UniqueId,
    uint ReqRingRef, int ReqPort, uint EvtRingRef, int EvtPort,
    uint ReqProd, uint RspProd, uint ReqEvent, uint RspEvent, uint ReqCons, uint RspProdPvt,
    uint InProd, uint InCons, long EventsDropped, long RequestsHandled, long FlipEventsSent,
    string LastRequest, string LastRequestHex, string LastResponse, string LastResponseHex);
