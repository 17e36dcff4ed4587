using System.Globalization;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Rings;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.Tests.Conformance;

// The namespace XenDisplayWeb.Shared.Displif would hide the class of the same name.
using Displif = global::XenDisplayWeb.Shared.Displif.Displif;

/// <summary>Every size, offset and constant the real headers give (<c>layout</c>) against the C# constants.</summary>
[Collection(DisplifCCollection.Name)]
public sealed class LayoutConformanceTests(DisplifC c)
{
    private const int U8 = sizeof(byte), U16 = sizeof(ushort), U32 = sizeof(uint), U64 = sizeof(ulong);
    private static readonly uint[] SampleIndices = [0, 1, 31, 32, 33, 62, 63, 64, 70, uint.MaxValue];

    public static TheoryData<string, string> Expected()
    {
        var data = new TheoryData<string, string>();
        foreach (var (key, value) in Table()) data.Add(key, value);
        return data;
    }

    [Theory]
    [MemberData(nameof(Expected))]
    public void HeaderAgreesWithCSharp(string name, string csharp)
    {
        Assert.True(c.Layout.TryGetValue(name, out var header), $"the C program does not print {name}");
        Assert.True(header == csharp, $"{name}: the Xen header says {header}, the C# code says {csharp}");
    }

    [Fact]
    public void EveryValueTheHeaderGivesIsCompared()
    {
        var compared = Table().Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        var missing = c.Layout.Keys.Where(k => !compared.Contains(k)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "no C# expectation for: " + string.Join(", ", missing));
    }

    private static IEnumerable<(string Key, string Value)> Table()
    {
        var t = new List<(string, string)>();
        void Add(string key, object value) => t.Add((key, Convert.ToString(value, CultureInfo.InvariantCulture)!));
        void Field(string key, int offset, int size)
        {
            Add(key + ".offset", offset);
            Add(key + ".size", size);
        }
        // sizeof a union member: from the op union's start to its last field's end, padded to the member's alignment.
        void Member(string name, int lastFieldEnd, int alignment)
        {
            int size = lastFieldEnd - PacketHeader.OpOffset;
            Add($"req.{name}.offset", PacketHeader.OpOffset);
            Add($"req.{name}.sizeof", (size + alignment - 1) / alignment * alignment);
        }

        const int opSize = Displif.PacketSize - PacketHeader.OpOffset;
        const int reserved = PacketHeader.OperationOffset + U8;

        Add("req.sizeof", Displif.PacketSize);
        Field("req.id", PacketHeader.IdOffset, U16);
        Field("req.operation", PacketHeader.OperationOffset, U8);
        Field("req.reserved", reserved, PacketHeader.OpOffset - reserved);
        Field("req.op", PacketHeader.OpOffset, opSize);

        Field("req.dbuf_create.dbuf_cookie", DbufCreateRequest.DbufCookieOffset, U64);
        Field("req.dbuf_create.width", DbufCreateRequest.WidthOffset, U32);
        Field("req.dbuf_create.height", DbufCreateRequest.HeightOffset, U32);
        Field("req.dbuf_create.bpp", DbufCreateRequest.BppOffset, U32);
        Field("req.dbuf_create.buffer_sz", DbufCreateRequest.BufferSzOffset, U32);
        Field("req.dbuf_create.flags", DbufCreateRequest.FlagsOffset, U32);
        Field("req.dbuf_create.gref_directory", DbufCreateRequest.GrefDirectoryOffset, U32);
        Field("req.dbuf_create.data_ofs", DbufCreateRequest.DataOfsOffset, U32);
        Member("dbuf_create", DbufCreateRequest.DataOfsOffset + U32, U64);

        Field("req.dbuf_destroy.dbuf_cookie", DbufDestroyRequest.DbufCookieOffset, U64);
        Member("dbuf_destroy", DbufDestroyRequest.DbufCookieOffset + U64, U64);

        Field("req.fb_attach.dbuf_cookie", FbAttachRequest.DbufCookieOffset, U64);
        Field("req.fb_attach.fb_cookie", FbAttachRequest.FbCookieOffset, U64);
        Field("req.fb_attach.width", FbAttachRequest.WidthOffset, U32);
        Field("req.fb_attach.height", FbAttachRequest.HeightOffset, U32);
        Field("req.fb_attach.pixel_format", FbAttachRequest.PixelFormatOffset, U32);
        Member("fb_attach", FbAttachRequest.PixelFormatOffset + U32, U64);

        Field("req.fb_detach.fb_cookie", FbDetachRequest.FbCookieOffset, U64);
        Member("fb_detach", FbDetachRequest.FbCookieOffset + U64, U64);

        Field("req.set_config.fb_cookie", SetConfigRequest.FbCookieOffset, U64);
        Field("req.set_config.x", SetConfigRequest.XOffset, U32);
        Field("req.set_config.y", SetConfigRequest.YOffset, U32);
        Field("req.set_config.width", SetConfigRequest.WidthOffset, U32);
        Field("req.set_config.height", SetConfigRequest.HeightOffset, U32);
        Field("req.set_config.bpp", SetConfigRequest.BppOffset, U32);
        Member("set_config", SetConfigRequest.BppOffset + U32, U64);

        Field("req.pg_flip.fb_cookie", PgFlipRequest.FbCookieOffset, U64);
        Member("pg_flip", PgFlipRequest.FbCookieOffset + U64, U64);

        Field("req.get_edid.buffer_sz", GetEdidRequest.BufferSzOffset, U32);
        Field("req.get_edid.gref_directory", GetEdidRequest.GrefDirectoryOffset, U32);
        Member("get_edid", GetEdidRequest.GrefDirectoryOffset + U32, U32);

        Add("resp.sizeof", Displif.PacketSize);
        Field("resp.id", PacketHeader.IdOffset, U16);
        Field("resp.operation", PacketHeader.OperationOffset, U8);
        Field("resp.reserved", reserved, DisplifResponse.StatusOffset - reserved);
        Field("resp.status", DisplifResponse.StatusOffset, sizeof(int));
        Field("resp.op", PacketHeader.OpOffset, opSize);
        Field("resp.get_edid.edid_sz", DisplifResponse.EdidSzOffset, U32);
        Add("resp.get_edid.sizeof", DisplifResponse.EdidSzOffset + U32 - PacketHeader.OpOffset);

        Add("evt.sizeof", EventPage.EventSize);
        Field("evt.id", PacketHeader.IdOffset, U16);
        Field("evt.type", PgFlipEvent.TypeOffset, U8);
        Field("evt.reserved", PgFlipEvent.TypeOffset + U8, PacketHeader.OpOffset - PgFlipEvent.TypeOffset - U8);
        Field("evt.op", PacketHeader.OpOffset, opSize);
        Field("evt.pg_flip.fb_cookie", PgFlipEvent.FbCookieOffset, U64);
        Add("evt.pg_flip.sizeof", PgFlipEvent.FbCookieOffset + U64 - PacketHeader.OpOffset);

        Add("event_page.sizeof", EventPage.RingOffset);
        Field("event_page.in_cons", EventPage.InConsOffset, U32);
        Field("event_page.in_prod", EventPage.InProdOffset, U32);
        Add("XENDISPL_EVENT_PAGE_SIZE", XenPage.Size);
        Add("XENDISPL_IN_RING_OFFS", EventPage.RingOffset);
        Add("XENDISPL_IN_RING_SIZE", EventPage.RingLength * EventPage.EventSize);
        Add("XENDISPL_IN_RING_LEN", EventPage.RingLength);
        foreach (var idx in SampleIndices) Add($"XENDISPL_IN_RING_REF.{idx}.offset", EventPage.SlotOffset(idx));

        Add("RING_IDX.sizeof", U32);
        Field("sring.req_prod", SharedRing.ReqProdOffset, U32);
        Field("sring.req_event", SharedRing.ReqEventOffset, U32);
        Field("sring.rsp_prod", SharedRing.RspProdOffset, U32);
        Field("sring.rsp_event", SharedRing.RspEventOffset, U32);
        Field("sring.ring", SharedRing.HeaderSize, SharedRing.EntrySize);
        Add("sring.entry.sizeof", SharedRing.EntrySize);
        Add("RING_SIZE", SharedRing.Size);
        Add("__CONST_RING_SIZE", SharedRing.Size);
        var page = new byte[SharedRing.PageSize];
        Array.Fill(page, (byte)0xa5);
        SharedRing.Init(page);
        Add("SHARED_RING_INIT.req_prod", BitConverter.ToUInt32(page, SharedRing.ReqProdOffset));
        Add("SHARED_RING_INIT.req_event", BitConverter.ToUInt32(page, SharedRing.ReqEventOffset));
        Add("SHARED_RING_INIT.rsp_prod", BitConverter.ToUInt32(page, SharedRing.RspProdOffset));
        Add("SHARED_RING_INIT.rsp_event", BitConverter.ToUInt32(page, SharedRing.RspEventOffset));
        foreach (var idx in SampleIndices) Add($"RING_GET_REQUEST.{idx}.offset", SharedRing.SlotOffset(idx));

        Add("grant_ref_t.sizeof", U32);
        Field("page_directory.gref_dir_next_page", PageDirectory.NextOffset, U32);
        Add("page_directory.gref.offset", PageDirectory.GrefsOffset);
        Add("page_directory.grefs_per_page", PageDirectory.GrefsPerPage);

        Add("XENDISPL_OP_DBUF_CREATE", (byte)XendisplOp.DbufCreate);
        Add("XENDISPL_OP_DBUF_DESTROY", (byte)XendisplOp.DbufDestroy);
        Add("XENDISPL_OP_FB_ATTACH", (byte)XendisplOp.FbAttach);
        Add("XENDISPL_OP_FB_DETACH", (byte)XendisplOp.FbDetach);
        Add("XENDISPL_OP_SET_CONFIG", (byte)XendisplOp.SetConfig);
        Add("XENDISPL_OP_PG_FLIP", (byte)XendisplOp.PgFlip);
        Add("XENDISPL_OP_GET_EDID", (byte)XendisplOp.GetEdid);
        Add("XENDISPL_EVT_PG_FLIP", (byte)XendisplEvent.PgFlip);
        Add("XENDISPL_DBUF_FLG_REQ_ALLOC", Displif.FlagReqAlloc);
        Add("XENDISPL_EDID_BLOCK_SIZE", Displif.EdidBlockSize);
        Add("XENDISPL_EDID_BLOCK_COUNT", Displif.EdidMaxBlocks);
        Add("XENDISPL_EDID_MAX_SIZE", Displif.EdidMaxSize);
        Add("XENDISPL_PROTOCOL_VERSION", Displif.ProtocolVersion);
        Add("XENDISPL_PROTOCOL_VERSION_INT", Displif.ProtocolVersion);
        Add("XENDISPL_DRIVER_NAME", Displif.DeviceType);
        Add("XENDISPL_LIST_SEPARATOR", Displif.ListSeparator);
        Add("XENDISPL_RESOLUTION_SEPARATOR", Displif.ResolutionSeparator);
        Add("XENDISPL_FIELD_BE_VERSIONS", Displif.Field.BeVersions);
        Add("XENDISPL_FIELD_FE_VERSION", Displif.Field.FeVersion);
        Add("XENDISPL_FIELD_REQ_RING_REF", Displif.Field.ReqRingRef);
        Add("XENDISPL_FIELD_REQ_CHANNEL", Displif.Field.ReqChannel);
        Add("XENDISPL_FIELD_EVT_RING_REF", Displif.Field.EvtRingRef);
        Add("XENDISPL_FIELD_EVT_CHANNEL", Displif.Field.EvtChannel);
        Add("XENDISPL_FIELD_RESOLUTION", Displif.Field.Resolution);
        Add("XENDISPL_FIELD_BE_ALLOC", Displif.Field.BeAlloc);
        Add("XENDISPL_FIELD_UNIQUE_ID", Displif.Field.UniqueId);

        Add("XEN_EPERM", XenErrno.EPERM);
        Add("XEN_ENOENT", XenErrno.ENOENT);
        Add("XEN_EIO", XenErrno.EIO);
        Add("XEN_E2BIG", XenErrno.E2BIG);
        Add("XEN_EAGAIN", XenErrno.EAGAIN);
        Add("XEN_ENOMEM", XenErrno.ENOMEM);
        Add("XEN_EACCES", XenErrno.EACCES);
        Add("XEN_EFAULT", XenErrno.EFAULT);
        Add("XEN_EBUSY", XenErrno.EBUSY);
        Add("XEN_EEXIST", XenErrno.EEXIST);
        Add("XEN_ENODEV", XenErrno.ENODEV);
        Add("XEN_EINVAL", XenErrno.EINVAL);
        Add("XEN_ENOSPC", XenErrno.ENOSPC);
        Add("XEN_EOPNOTSUPP", XenErrno.EOPNOTSUPP);
        Add("XEN_ETIMEDOUT", XenErrno.ETIMEDOUT);

        foreach (var state in Enum.GetValues<XenbusState>()) Add("XenbusState" + state, (int)state);
        return t;
    }
}
