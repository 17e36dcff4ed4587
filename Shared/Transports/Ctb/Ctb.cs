using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace XenDisplayWeb.Shared.Transports.Ctb;

/// <summary>
/// The GVT-g PV command transport buffer (CTB) page: version at 0, the descriptor at PAGE/256 = 16
/// {addr, size, head, tail, fence, status: u32 each, head and tail byte offsets}, commands at PAGE/2 =
/// 2048 in a 2048-byte ring. A message is DW0 header (len bits 0..4 = dwords after the header, write-fence
/// bit 8, action bits 16..31), DW1 fence, then len-1 data dwords. The guest writes; the host consumes and
/// writes fence and status.
/// </summary>
public static class Ctb
{
    public const int PageSize = 4096;
    public const int VersionMajorOffset = 0;
    public const int VersionMinorOffset = 2;
    public const ushort VersionMajor = 0;
    public const ushort VersionMinor = 1;

    public const int DescOffset = PageSize / 256;
    public const int DescAddr = 0, DescSize = 4, DescHead = 8, DescTail = 12, DescFence = 16, DescStatus = 20;
    public const int DescBytes = 24;

    public const int CmdsOffset = PageSize / 2;
    public const int CmdsSize = PageSize / 2;

    public const int LenShift = 0;
    public const uint LenMask = 0x1F;
    public const uint WriteFenceToDesc = 1u << 8;
    public const int ActionShift = 16;
    public const uint ActionMask = 0xFFFF;

    /// <summary>The largest len (dwords after the header: the fence and 30 data dwords).</summary>
    public const int MaxLen = (int)LenMask;

    /// <summary>The header dword of a message: len, the write-fence flag, the action code.</summary>
    public static uint Header(int len, ushort action, bool writeFence = true) =>
        ((uint)len & LenMask) << LenShift | (writeFence ? WriteFenceToDesc : 0) | (uint)action << ActionShift;

    public static int Len(uint header) => (int)(header >> LenShift & LenMask);
    public static ushort Action(uint header) => (ushort)(header >> ActionShift & ActionMask);
    public static bool WritesFence(uint header) => (header & WriteFenceToDesc) != 0;

    /// <summary>The guest's set-up: version, descriptor (addr and size of the command area), empty ring.</summary>
    public static void Init(byte[] page, int offset)
    {
        page.AsSpan(offset, PageSize).Clear();
        BitConverter.TryWriteBytes(page.AsSpan(offset + VersionMajorOffset), VersionMajor);
        BitConverter.TryWriteBytes(page.AsSpan(offset + VersionMinorOffset), VersionMinor);
        Store(page, offset, DescAddr, CmdsOffset);
        Store(page, offset, DescSize, CmdsSize);
    }

    /// <summary>Dwords in use between head and tail (both in dwords); tail == head is empty.</summary>
    public static uint Used(uint head, uint tail, uint size) => tail < head ? size - head + tail : tail - head;

    private static ref uint Field(byte[] page, int offset) =>
        ref Unsafe.As<byte, uint>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(page), offset));

    /// <summary>A descriptor field, read once (the other side may change it).</summary>
    public static uint Load(byte[] page, int pageOffset, int field) => Volatile.Read(ref Field(page, pageOffset + DescOffset + field));
    public static void Store(byte[] page, int pageOffset, int field, uint value) => Volatile.Write(ref Field(page, pageOffset + DescOffset + field), value);

    internal static uint LoadCmd(byte[] page, int pageOffset, uint dword) => Volatile.Read(ref Field(page, pageOffset + CmdsOffset + (int)dword * 4));
    internal static void StoreCmd(byte[] page, int pageOffset, uint dword, uint value) => Volatile.Write(ref Field(page, pageOffset + CmdsOffset + (int)dword * 4), value);
}

/// <summary>The descriptor as read at one moment (for the dashboard and tests).</summary>
public readonly record struct CtbDescriptor(uint Addr, uint Size, uint Head, uint Tail, uint Fence, uint Status)
{
    public static CtbDescriptor Read(byte[] page, int offset) => new(
        Ctb.Load(page, offset, Ctb.DescAddr), Ctb.Load(page, offset, Ctb.DescSize), Ctb.Load(page, offset, Ctb.DescHead),
        Ctb.Load(page, offset, Ctb.DescTail), Ctb.Load(page, offset, Ctb.DescFence), Ctb.Load(page, offset, Ctb.DescStatus));
}
