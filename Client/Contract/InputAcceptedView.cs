namespace XenDisplayWeb.Client.Contract;

/// <summary>
/// What the guest's vkbd device took: <c>accepted</c> events, numbered from <c>firstSeq</c> to <c>lastSeq</c> (moves
/// merged into a waiting move share its number), the numbers the strip's row 2 shows once the guest has consumed
/// them; <c>refused</c> ones the guest did not ask for (e.g. touch without multi-touch) or that found no room.
/// </summary>
public sealed record InputAcceptedView(int DomId, int Index, int Accepted, long FirstSeq, long LastSeq, int Refused);
