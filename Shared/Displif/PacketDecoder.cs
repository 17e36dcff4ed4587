using System.Globalization;

namespace XenDisplayWeb.Shared.Displif;

/// <summary>Human-readable decodes of displif packets, for traces and the rings page.</summary>
public static class PacketDecoder
{
    public static string DescribeRequest(ReadOnlySpan<byte> p)
    {
        byte op = PacketHeader.Operation(p);
        string fields = op switch
        {
            (byte)XendisplOp.DbufCreate => Format(DbufCreateRequest.Read(p)),
            (byte)XendisplOp.DbufDestroy => $"dbuf_cookie={Hex(DbufDestroyRequest.Read(p).DbufCookie)}",
            (byte)XendisplOp.FbAttach => Format(FbAttachRequest.Read(p)),
            (byte)XendisplOp.FbDetach => $"fb_cookie={Hex(FbDetachRequest.Read(p).FbCookie)}",
            (byte)XendisplOp.SetConfig => Format(SetConfigRequest.Read(p)),
            (byte)XendisplOp.PgFlip => $"fb_cookie={Hex(PgFlipRequest.Read(p).FbCookie)}",
            (byte)XendisplOp.GetEdid => Format(GetEdidRequest.Read(p)),
            _ => "",
        };
        return $"{Displif.OpName(op)} id={PacketHeader.Id(p)}{(fields.Length > 0 ? " " + fields : "")}";
    }

    public static string DescribeResponse(ReadOnlySpan<byte> p)
    {
        var r = DisplifResponse.Read(p);
        string edid = r.Operation == (byte)XendisplOp.GetEdid ? $" edid_sz={r.EdidSz}" : "";
        return $"{Displif.OpName(r.Operation)} id={r.Id} status={Xen.XenErrno.Describe(r.Status)}{edid}";
    }

    public static string DescribeEvent(ReadOnlySpan<byte> p)
    {
        byte type = PgFlipEvent.Type(p);
        return type == (byte)XendisplEvent.PgFlip
            ? $"EVT_PG_FLIP id={PacketHeader.Id(p)} fb_cookie={Hex(PgFlipEvent.Read(p).FbCookie)}"
            : $"EVT_0x{type:x2} id={PacketHeader.Id(p)}";
    }

    public static string Hex(ulong v) => "0x" + v.ToString("x", CultureInfo.InvariantCulture);

    private static string Format(DbufCreateRequest r) =>
        $"dbuf_cookie={Hex(r.DbufCookie)} width={r.Width} height={r.Height} bpp={r.Bpp} buffer_sz={r.BufferSz} flags={Hex(r.Flags)} gref_directory={r.GrefDirectory} data_ofs={r.DataOfs}";

    private static string Format(FbAttachRequest r) =>
        $"dbuf_cookie={Hex(r.DbufCookie)} fb_cookie={Hex(r.FbCookie)} width={r.Width} height={r.Height} pixel_format={FourCc(r.PixelFormat)}";

    private static string Format(SetConfigRequest r) =>
        r.IsReset ? "reset" : $"fb_cookie={Hex(r.FbCookie)} x={r.X} y={r.Y} width={r.Width} height={r.Height} bpp={r.Bpp}";

    private static string Format(GetEdidRequest r) => $"buffer_sz={r.BufferSz} gref_directory={r.GrefDirectory}";

    public static string FourCc(uint code)
    {
        Span<char> c = stackalloc char[4];
        for (int i = 0; i < 4; i++)
        {
            char ch = (char)((code >> (8 * i)) & 0xff);
            c[i] = ch is >= ' ' and <= '~' ? ch : '?';
        }
        return new string(c);
    }
}
