using FsCheck.Xunit;
using XenDisplayWeb.Shared.Displif;

namespace XenDisplayWeb.Shared.Tests.Displif;

/// <summary>Random bytes never make a decoder throw; every packet and a page directory round-trip.</summary>
public class DecoderPropertyTests
{
    private static byte[] Packet(byte[]? bytes)
    {
        var p = new byte[64];
        (bytes ?? []).AsSpan(0, Math.Min(64, bytes?.Length ?? 0)).CopyTo(p);
        return p;
    }

    [Property(MaxTest = 500)]
    public bool Any_64_bytes_decode_and_describe_as_request_response_and_event_without_throwing(byte[]? bytes, byte op)
    {
        var p = Packet(bytes);
        p[2] = op;
        _ = DbufCreateRequest.Read(p); _ = DbufDestroyRequest.Read(p); _ = FbAttachRequest.Read(p); _ = FbDetachRequest.Read(p);
        _ = SetConfigRequest.Read(p); _ = PgFlipRequest.Read(p); _ = GetEdidRequest.Read(p); _ = DisplifResponse.Read(p); _ = PgFlipEvent.Read(p);
        return PacketDecoder.DescribeRequest(p).Length > 0 && PacketDecoder.DescribeResponse(p).Length > 0 && PacketDecoder.DescribeEvent(p).Length > 0;
    }

    [Property]
    public bool Dbuf_create_round_trips(ushort id, ulong cookie, uint w, uint h, uint bpp, uint size, uint flags, uint dir, uint ofs)
    {
        var r = new DbufCreateRequest(cookie, w, h, bpp, size, flags, dir, ofs);
        var p = r.ToPacket(id);
        return DbufCreateRequest.Read(p) == r && PacketHeader.Id(p) == id && PacketHeader.Operation(p) == (byte)XendisplOp.DbufCreate;
    }

    [Property]
    public bool Fb_attach_set_config_and_get_edid_round_trip(ushort id, ulong a, ulong b, uint w, uint h, uint x, uint y)
    {
        var fb = new FbAttachRequest(a, b, w, h, x);
        var cfg = new SetConfigRequest(a, x, y, w, h, (uint)id);
        var edid = new GetEdidRequest(w, h);
        return FbAttachRequest.Read(fb.ToPacket(id)) == fb && SetConfigRequest.Read(cfg.ToPacket(id)) == cfg && GetEdidRequest.Read(edid.ToPacket(id)) == edid
            && DbufDestroyRequest.Read(new DbufDestroyRequest(a).ToPacket(id)).DbufCookie == a
            && FbDetachRequest.Read(new FbDetachRequest(b).ToPacket(id)).FbCookie == b
            && PgFlipRequest.Read(new PgFlipRequest(a).ToPacket(id)).FbCookie == a;
    }

    [Property]
    public bool Responses_and_events_round_trip_and_overwrite_the_whole_slot(ushort id, bool edid, int status, uint edidSz, ulong cookie, byte[]? stale)
    {
        byte op = edid ? (byte)XendisplOp.GetEdid : (byte)XendisplOp.PgFlip;
        var rsp = new DisplifResponse(id, op, status, edid ? edidSz : 0);
        var slot = Packet(stale);
        rsp.WriteTo(slot);
        bool tailClean = slot.AsSpan(edid ? 12 : 8).IndexOfAnyExcept((byte)0) < 0;
        var evt = new PgFlipEvent(id, cookie);
        var eslot = Packet(stale);
        evt.WriteTo(eslot);
        return DisplifResponse.Read(slot) == rsp && tailClean && PgFlipEvent.Read(eslot) == evt && PgFlipEvent.Type(eslot) == 0;
    }

    [Property]
    public bool A_directory_page_round_trips_its_next_link_and_grefs(uint next, uint[]? grefs)
    {
        var list = (grefs ?? []).Take(PageDirectory.GrefsPerPage).ToArray();
        var page = new byte[4096];
        new Random(list.Length).NextBytes(page); // whatever was there before
        PageDirectory.Write(page, next, list);
        var back = new uint[list.Length];
        PageDirectory.ReadGrefs(page, back);
        return PageDirectory.Next(page) == next && back.SequenceEqual(list)
            && page.AsSpan(PageDirectory.GrefsOffset + list.Length * 4).IndexOfAnyExcept((byte)0) < 0;
    }

    [Property]
    public bool Page_counts_never_overflow(uint bufferSz)
    {
        int data = PageDirectory.DataPageCount(bufferSz);
        int dirs = PageDirectory.DirectoryPageCount(data);
        return data == (int)(((ulong)bufferSz + 4095) / 4096) && dirs >= 1 && (long)dirs * PageDirectory.GrefsPerPage >= data;
    }
}
