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

/// <summary>
/// What <c>GET /api/rings</c> answers and the rings page shows: each served display connector's rings
/// (<c>vdispl</c>) and each vkbd device's shared page (<c>vkbd</c>).
/// </summary>
public sealed record RingsView(IReadOnlyList<RingView> Vdispl, IReadOnlyList<KbdRingView> Vkbd);

/// <summary>
/// One vkbd device as the backend serves it: its shared page's four indices read now, with each ring's length
/// (51 in, 25 out) and fill (prod - cons, so a hostile index shows), the features it offers and the requests the
/// frontend made (XenStore names), its counters and its last events written, newest last.
/// </summary>
/// <param name="DevId">The device index: the display connector it follows.</param>
/// <param name="PageGref">null until connected (and after).</param>
/// <param name="MovesNotTraced">Pointer moves the trace's sampling held back.</param>
public sealed record KbdRingView(int DomId, int DevId, string UniqueId, int Width, int Height, string State, string? Misbehaving,
    uint? PageGref, int? EventChannel,
    uint InCons, uint InProd, int InRingLen, int InFill, uint OutCons, uint OutProd, int OutRingLen, int OutFill,
    IReadOnlyList<string> Features, int MtNumContacts, IReadOnlyList<string> Requests,
    int Backlog, long Dropped, long Coalesced, long Refused, long OutEvents, long NextSeq, long MovesNotTraced,
    IReadOnlyList<KbdEventView> Recent);

/// <summary>An in event as written: its seq, its XENKBD_TYPE_* name and its fields decoded ("KEY KEY_A press").</summary>
public sealed record KbdEventView(long Seq, string Type, string Text);
