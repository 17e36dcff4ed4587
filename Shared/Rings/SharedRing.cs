using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace XenDisplayWeb.Shared.Rings;

/// <summary>
/// The layout of a Xen shared ring page (ring.h's DEFINE_RING_TYPES for 64-byte entries):
/// req_prod @0, req_event @4, rsp_prod @8, rsp_event @12, padding to 64, then the entries.
/// </summary>
public static class SharedRing
{
    public const int PageSize = 4096;
    public const int ReqProdOffset = 0;
    public const int ReqEventOffset = 4;
    public const int RspProdOffset = 8;
    public const int RspEventOffset = 12;
    public const int HeaderSize = 64;
    public const int EntrySize = 64;

    /// <summary>__RD32((4096 - 64) / 64) = 32: the entries round down to a power of two.</summary>
    public const int Size = 32;

    /// <summary>SHARED_RING_INIT: producers 0, events 1.</summary>
    public static void Init(Span<byte> page)
    {
        page[..HeaderSize].Clear();
        BitConverter.TryWriteBytes(page[ReqEventOffset..], 1u);
        BitConverter.TryWriteBytes(page[RspEventOffset..], 1u);
    }

    public static int SlotOffset(uint idx) => HeaderSize + (int)(idx & (Size - 1)) * EntrySize;

    internal static ref uint Field(byte[] page, int offset) =>
        ref Unsafe.As<byte, uint>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(page), offset));

    internal static uint Load(byte[] page, int offset) => Volatile.Read(ref Field(page, offset));
    internal static void Store(byte[] page, int offset, uint value) => Volatile.Write(ref Field(page, offset), value);

    /// <summary>The notify test of RING_PUSH_*_AND_CHECK_NOTIFY: did the index pass the other side's event?</summary>
    public static bool NeedsNotify(uint newIdx, uint oldIdx, uint eventIdx) =>
        unchecked(newIdx - eventIdx) < unchecked(newIdx - oldIdx);
}
