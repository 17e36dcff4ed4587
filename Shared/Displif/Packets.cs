using System.Buffers.Binary;

namespace XenDisplayWeb.Shared.Displif;

/// <summary>
/// The common head of every displif packet: id u16 @0, operation/type u8 @2, then reserved bytes
/// up to the op union at @8. All fields little-endian.
/// </summary>
public static class PacketHeader
{
    public const int IdOffset = 0;
    public const int OperationOffset = 2;
    public const int OpOffset = 8;

    public static ushort Id(ReadOnlySpan<byte> p) => BinaryPrimitives.ReadUInt16LittleEndian(p);
    public static byte Operation(ReadOnlySpan<byte> p) => p[OperationOffset];

    /// <summary>Writes id and operation only, as Linux's be_prepare_req does: the rest of the slot keeps what it held.</summary>
    public static void Write(Span<byte> p, ushort id, byte operation)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(p, id);
        p[OperationOffset] = operation;
    }

    internal static ulong U64(ReadOnlySpan<byte> p, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(p[offset..]);
    internal static uint U32(ReadOnlySpan<byte> p, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(p[offset..]);
    internal static void U64(Span<byte> p, int offset, ulong v) => BinaryPrimitives.WriteUInt64LittleEndian(p[offset..], v);
    internal static void U32(Span<byte> p, int offset, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(p[offset..], v);
}

/// <summary>A request body that can be written into a ring slot and read back from a copied packet.</summary>
public interface IDisplifRequest
{
    XendisplOp Operation { get; }

    /// <summary>Writes the header's id and operation and this op's fields; other bytes are left as they are.</summary>
    void WriteTo(Span<byte> packet, ushort id);
}

public static class DisplifRequestExtensions
{
    /// <summary>A fresh, zero-filled 64-byte packet.</summary>
    public static byte[] ToPacket(this IDisplifRequest request, ushort id)
    {
        var p = new byte[Displif.PacketSize];
        request.WriteTo(p, id);
        return p;
    }
}

/// <summary>XENDISPL_OP_DBUF_CREATE.</summary>
public readonly record struct DbufCreateRequest(
    ulong DbufCookie, uint Width, uint Height, uint Bpp, uint BufferSz, uint Flags, uint GrefDirectory, uint DataOfs) : IDisplifRequest
{
    public const int DbufCookieOffset = 8, WidthOffset = 16, HeightOffset = 20, BppOffset = 24,
        BufferSzOffset = 28, FlagsOffset = 32, GrefDirectoryOffset = 36, DataOfsOffset = 40;

    public XendisplOp Operation => XendisplOp.DbufCreate;
    public bool BackendAllocates => (Flags & Displif.FlagReqAlloc) != 0;

    public void WriteTo(Span<byte> p, ushort id)
    {
        PacketHeader.Write(p, id, (byte)Operation);
        PacketHeader.U64(p, DbufCookieOffset, DbufCookie);
        PacketHeader.U32(p, WidthOffset, Width);
        PacketHeader.U32(p, HeightOffset, Height);
        PacketHeader.U32(p, BppOffset, Bpp);
        PacketHeader.U32(p, BufferSzOffset, BufferSz);
        PacketHeader.U32(p, FlagsOffset, Flags);
        PacketHeader.U32(p, GrefDirectoryOffset, GrefDirectory);
        PacketHeader.U32(p, DataOfsOffset, DataOfs);
    }

    public static DbufCreateRequest Read(ReadOnlySpan<byte> p) => new(
        PacketHeader.U64(p, DbufCookieOffset), PacketHeader.U32(p, WidthOffset), PacketHeader.U32(p, HeightOffset),
        PacketHeader.U32(p, BppOffset), PacketHeader.U32(p, BufferSzOffset), PacketHeader.U32(p, FlagsOffset),
        PacketHeader.U32(p, GrefDirectoryOffset), PacketHeader.U32(p, DataOfsOffset));
}

/// <summary>XENDISPL_OP_DBUF_DESTROY.</summary>
public readonly record struct DbufDestroyRequest(ulong DbufCookie) : IDisplifRequest
{
    public const int DbufCookieOffset = 8;
    public XendisplOp Operation => XendisplOp.DbufDestroy;

    public void WriteTo(Span<byte> p, ushort id)
    {
        PacketHeader.Write(p, id, (byte)Operation);
        PacketHeader.U64(p, DbufCookieOffset, DbufCookie);
    }

    public static DbufDestroyRequest Read(ReadOnlySpan<byte> p) => new(PacketHeader.U64(p, DbufCookieOffset));
}

/// <summary>XENDISPL_OP_FB_ATTACH.</summary>
public readonly record struct FbAttachRequest(ulong DbufCookie, ulong FbCookie, uint Width, uint Height, uint PixelFormat) : IDisplifRequest
{
    public const int DbufCookieOffset = 8, FbCookieOffset = 16, WidthOffset = 24, HeightOffset = 28, PixelFormatOffset = 32;
    public XendisplOp Operation => XendisplOp.FbAttach;

    public void WriteTo(Span<byte> p, ushort id)
    {
        PacketHeader.Write(p, id, (byte)Operation);
        PacketHeader.U64(p, DbufCookieOffset, DbufCookie);
        PacketHeader.U64(p, FbCookieOffset, FbCookie);
        PacketHeader.U32(p, WidthOffset, Width);
        PacketHeader.U32(p, HeightOffset, Height);
        PacketHeader.U32(p, PixelFormatOffset, PixelFormat);
    }

    public static FbAttachRequest Read(ReadOnlySpan<byte> p) => new(
        PacketHeader.U64(p, DbufCookieOffset), PacketHeader.U64(p, FbCookieOffset),
        PacketHeader.U32(p, WidthOffset), PacketHeader.U32(p, HeightOffset), PacketHeader.U32(p, PixelFormatOffset));
}

/// <summary>XENDISPL_OP_FB_DETACH.</summary>
public readonly record struct FbDetachRequest(ulong FbCookie) : IDisplifRequest
{
    public const int FbCookieOffset = 8;
    public XendisplOp Operation => XendisplOp.FbDetach;

    public void WriteTo(Span<byte> p, ushort id)
    {
        PacketHeader.Write(p, id, (byte)Operation);
        PacketHeader.U64(p, FbCookieOffset, FbCookie);
    }

    public static FbDetachRequest Read(ReadOnlySpan<byte> p) => new(PacketHeader.U64(p, FbCookieOffset));
}

/// <summary>XENDISPL_OP_SET_CONFIG. All fields zero resets (disables) the connector.</summary>
public readonly record struct SetConfigRequest(ulong FbCookie, uint X, uint Y, uint Width, uint Height, uint Bpp) : IDisplifRequest
{
    // The header's ASCII diagram puts bpp at 40; the struct (and so the wire) has it at 32.
    public const int FbCookieOffset = 8, XOffset = 16, YOffset = 20, WidthOffset = 24, HeightOffset = 28, BppOffset = 32;
    public XendisplOp Operation => XendisplOp.SetConfig;
    public bool IsReset => FbCookie == 0 && X == 0 && Y == 0 && Width == 0 && Height == 0 && Bpp == 0;

    public void WriteTo(Span<byte> p, ushort id)
    {
        PacketHeader.Write(p, id, (byte)Operation);
        PacketHeader.U64(p, FbCookieOffset, FbCookie);
        PacketHeader.U32(p, XOffset, X);
        PacketHeader.U32(p, YOffset, Y);
        PacketHeader.U32(p, WidthOffset, Width);
        PacketHeader.U32(p, HeightOffset, Height);
        PacketHeader.U32(p, BppOffset, Bpp);
    }

    public static SetConfigRequest Read(ReadOnlySpan<byte> p) => new(
        PacketHeader.U64(p, FbCookieOffset), PacketHeader.U32(p, XOffset), PacketHeader.U32(p, YOffset),
        PacketHeader.U32(p, WidthOffset), PacketHeader.U32(p, HeightOffset), PacketHeader.U32(p, BppOffset));
}

/// <summary>XENDISPL_OP_PG_FLIP.</summary>
public readonly record struct PgFlipRequest(ulong FbCookie) : IDisplifRequest
{
    public const int FbCookieOffset = 8;
    public XendisplOp Operation => XendisplOp.PgFlip;

    public void WriteTo(Span<byte> p, ushort id)
    {
        PacketHeader.Write(p, id, (byte)Operation);
        PacketHeader.U64(p, FbCookieOffset, FbCookie);
    }

    public static PgFlipRequest Read(ReadOnlySpan<byte> p) => new(PacketHeader.U64(p, FbCookieOffset));
}

/// <summary>XENDISPL_OP_GET_EDID (protocol version 2).</summary>
public readonly record struct GetEdidRequest(uint BufferSz, uint GrefDirectory) : IDisplifRequest
{
    public const int BufferSzOffset = 8, GrefDirectoryOffset = 12;
    public XendisplOp Operation => XendisplOp.GetEdid;

    public void WriteTo(Span<byte> p, ushort id)
    {
        PacketHeader.Write(p, id, (byte)Operation);
        PacketHeader.U32(p, BufferSzOffset, BufferSz);
        PacketHeader.U32(p, GrefDirectoryOffset, GrefDirectory);
    }

    public static GetEdidRequest Read(ReadOnlySpan<byte> p) => new(PacketHeader.U32(p, BufferSzOffset), PacketHeader.U32(p, GrefDirectoryOffset));
}

/// <summary>A response: id u16 @0, operation u8 @2, status i32 @4; GET_EDID adds edid_sz u32 @8.</summary>
public readonly record struct DisplifResponse(ushort Id, byte Operation, int Status, uint EdidSz = 0)
{
    public const int StatusOffset = 4, EdidSzOffset = 8;

    /// <summary>Writes the whole 64-byte slot: nothing of an earlier packet leaks through.</summary>
    public void WriteTo(Span<byte> p)
    {
        p[..Displif.PacketSize].Clear();
        PacketHeader.Write(p, Id, Operation);
        BinaryPrimitives.WriteInt32LittleEndian(p[StatusOffset..], Status);
        if (Operation == (byte)XendisplOp.GetEdid) PacketHeader.U32(p, EdidSzOffset, EdidSz);
    }

    public static DisplifResponse Read(ReadOnlySpan<byte> p)
    {
        byte op = PacketHeader.Operation(p);
        return new(PacketHeader.Id(p), op, BinaryPrimitives.ReadInt32LittleEndian(p[StatusOffset..]),
            op == (byte)XendisplOp.GetEdid ? PacketHeader.U32(p, EdidSzOffset) : 0);
    }
}

/// <summary>The PG_FLIP event on the event page: id u16 @0, type u8 @2, fb_cookie u64 @8.</summary>
public readonly record struct PgFlipEvent(ushort Id, ulong FbCookie)
{
    public const int TypeOffset = 2, FbCookieOffset = 8;

    public void WriteTo(Span<byte> p)
    {
        p[..Displif.PacketSize].Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(p, Id);
        p[TypeOffset] = (byte)XendisplEvent.PgFlip;
        PacketHeader.U64(p, FbCookieOffset, FbCookie);
    }

    public static byte Type(ReadOnlySpan<byte> p) => p[TypeOffset];
    public static PgFlipEvent Read(ReadOnlySpan<byte> p) => new(PacketHeader.Id(p), PacketHeader.U64(p, FbCookieOffset));
}
