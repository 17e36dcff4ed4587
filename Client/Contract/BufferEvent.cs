namespace XenDisplayWeb.Client.Contract;

/// <summary>A <c>Buffers</c> message: a dbuf the backend created or destroyed for a guest.</summary>
/// <param name="Event">"created" or "destroyed".</param>
/// <param name="Cookie">The dbuf_cookie in hexadecimal with 0x, as the buffers page and the PNG URL write it (a JSON number would lose bits above 2^53).</param>
public sealed record BufferEvent(int DomId, string Event, string Cookie);
