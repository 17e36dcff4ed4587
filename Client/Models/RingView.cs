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
    string LastRequest, string LastRequestHex, string LastResponse, string LastResponseHex, CtbView? Ctb = null);

/// <summary>
/// A connector whose guest carries its requests over a CTB page instead of the ring: the descriptor as read
/// now (head and tail byte offsets into the 2048-byte command area) and the last messages, newest last.
/// </summary>
public sealed record CtbView(uint CtbRef, uint Addr, uint Size, uint Head, uint Tail, uint Fence, uint Status, long Consumed,
    IReadOnlyList<CtbMessageView> Recent);

/// <summary>One CTB message: its header dword (hex), fence, action (the displif opcode, named), len and the status written back.</summary>
public sealed record CtbMessageView(string Header, uint Fence, string Action, int Len, uint Status);
