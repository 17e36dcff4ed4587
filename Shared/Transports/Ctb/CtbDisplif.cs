using System.Buffers.Binary;
using XenDisplayWeb.Shared.Displif;

namespace XenDisplayWeb.Shared.Transports.Ctb;

/// <summary>
/// displif requests carried over a CTB instead of the request ring: action = the opcode, data = the
/// request body (the 56 bytes after the 8-byte header, 14 dwords), the fence's low 16 bits stand for the
/// request id. The status comes back as the positive errno in the descriptor (0 = success). There is no
/// room for a reply payload, so GET_EDID answers EOPNOTSUPP and the frontend uses the XenStore resolution.
/// The page is advertised as <c>ctb-ref</c> beside the connector's ring refs; the guest notifies on the
/// request event channel; frame-done events stay on the event page.
/// </summary>
public static class CtbDisplif
{
    /// <summary>XenStore node under the frontend's connector directory: the gref of the CTB page.</summary>
    public const string CtbRefField = "ctb-ref";

    public const int BodyDwords = (Displif.Displif.PacketSize - 8) / 4;

    /// <summary>The body of a written request packet as 14 dwords.</summary>
    public static void BodyOf(ReadOnlySpan<byte> packet, Span<uint> body)
    {
        for (int i = 0; i < BodyDwords; i++) body[i] = BinaryPrimitives.ReadUInt32LittleEndian(packet[(8 + i * 4)..]);
    }

    /// <summary>The backend's 64-byte request from a message: id from the fence, operation from the action, the body from the data.</summary>
    public static void ToPacket(in CtbMessage message, ReadOnlySpan<uint> data, Span<byte> packet)
    {
        packet.Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(packet, (ushort)message.Fence);
        packet[2] = (byte)message.Action;
        int n = Math.Min(message.DataDwords, BodyDwords);
        for (int i = 0; i < n; i++) BinaryPrimitives.WriteUInt32LittleEndian(packet[(8 + i * 4)..], data[i]);
    }

    /// <summary>A displif status (0 or -errno) as the descriptor's status (0 or errno) and back.</summary>
    public static uint ToCtbStatus(int displifStatus) => (uint)-Math.Min(displifStatus, 0);
    public static int ToDisplifStatus(uint ctbStatus) => ctbStatus is 0 or > int.MaxValue ? (ctbStatus == 0 ? 0 : -Xen.XenErrno.EIO) : -(int)ctbStatus;
}
