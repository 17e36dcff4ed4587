using XenDisplayWeb.Shared.XenBus;

namespace XenDisplayWeb.Shared.Displif;

/// <summary>displif request operations (XENDISPL_OP_*). 0..15 are reserved.</summary>
public enum XendisplOp : byte
{
    DbufCreate = 0x10,
    DbufDestroy = 0x11,
    FbAttach = 0x12,
    FbDetach = 0x13,
    SetConfig = 0x14,
    PgFlip = 0x15,
    /// <summary>Protocol version 2 only.</summary>
    GetEdid = 0x16,
}

/// <summary>displif event types (XENDISPL_EVT_*).</summary>
public enum XendisplEvent : byte
{
    PgFlip = 0x00,
}

/// <summary>XenBus device states (io/xenbus.h).</summary>
public enum XenbusState
{
    Unknown = 0,
    Initialising = 1,
    InitWait = 2,
    Initialised = 3,
    Connected = 4,
    Closing = 5,
    Closed = 6,
    Reconfiguring = 7,
    Reconfigured = 8,
}

/// <summary>Protocol constants and XenStore field names of io/displif.h.</summary>
public static class Displif
{
    public const int ProtocolVersion = 2;
    /// <summary>What the backend publishes in "versions".</summary>
    public const string BackendVersions = "1,2";
    public const string DeviceType = "vdispl";
    public const int PacketSize = 64;

    /// <summary>DBUF_CREATE flags: the backend allocates the buffer.</summary>
    public const uint FlagReqAlloc = 1u << 0;

    public const int EdidBlockSize = 128;
    public const int EdidMaxBlocks = 256;
    /// <summary>XENDISPL_EDID_MAX_SIZE: a GET_EDID buffer must hold at least this.</summary>
    public const int EdidMaxSize = EdidBlockSize * EdidMaxBlocks;

    // What a frontend's XenStore directory may hold. conn-idx is a uint8 written in decimal, zero based and
    // contiguous; Linux's frontend serves at most MaxConnectors of them, with modes up to MaxWidth x MaxHeight.
    public const int MaxConnectors = 4;
    public const int MaxWidth = 4095;
    public const int MaxHeight = 2047;
    /// <summary>
    /// A dbuf's or fb's width and height (DBUF_CREATE, FB_ATTACH): a buffer, not a mode, so not bound by
    /// MaxWidth x MaxHeight. The header bounds neither, and a frontend makes buffers for more than the modes it
    /// sets; the backend only keeps the row and size arithmetic sane, well above any mode.
    /// </summary>
    public const int MaxBufferDimension = 16384;
    /// <summary>A unique-id names its connector in the dashboard's URLs: a short plain word (the header sets no length; UUIDs fit).</summary>
    public const int MaxUniqueIdLength = 64;
    /// <summary>req/evt-event-channel are evtchn_port_t (uint32); 0 is never a port, and no ABI numbers a port past this.</summary>
    public const uint MaxEventChannelPort = int.MaxValue;

    public static class Field
    {
        public const string BeVersions = "versions";
        public const string FeVersion = "version";
        public const string ReqRingRef = "req-ring-ref";
        public const string ReqChannel = "req-event-channel";
        public const string EvtRingRef = "evt-ring-ref";
        public const string EvtChannel = "evt-event-channel";
        public const string Resolution = "resolution";
        public const string BeAlloc = "be-alloc";
        public const string UniqueId = "unique-id";
        public const string State = XenBusPaths.Field.State;
        public const string Backend = XenBusPaths.Field.Backend;
        public const string BackendId = XenBusPaths.Field.BackendId;
        public const string Frontend = XenBusPaths.Field.Frontend;
        public const string FrontendId = XenBusPaths.Field.FrontendId;
    }

    public const char ListSeparator = ',';
    public const char ResolutionSeparator = 'x';

    public static string OpName(byte op) => op switch
    {
        (byte)XendisplOp.DbufCreate => "DBUF_CREATE",
        (byte)XendisplOp.DbufDestroy => "DBUF_DESTROY",
        (byte)XendisplOp.FbAttach => "FB_ATTACH",
        (byte)XendisplOp.FbDetach => "FB_DETACH",
        (byte)XendisplOp.SetConfig => "SET_CONFIG",
        (byte)XendisplOp.PgFlip => "PG_FLIP",
        (byte)XendisplOp.GetEdid => "GET_EDID",
        _ => $"OP_0x{op:x2}",
    };

    public static string FrontendPath(int domId, int devId) => XenBusPaths.FrontendPath(DeviceType, domId, devId);
    public static string BackendPath(int backendDomId, int frontDomId, int devId) => XenBusPaths.BackendPath(DeviceType, backendDomId, frontDomId, devId);
    public static string BackendRoot(int backendDomId) => XenBusPaths.BackendRoot(DeviceType, backendDomId);

    public static string FormatResolution(int width, int height) => $"{width}{ResolutionSeparator}{height}";

    /// <summary>"WxH" in canonical decimal, both at least 1 (no bound: <see cref="ResolutionFits"/> checks that).</summary>
    public static bool TryParseResolution(string? s, out int width, out int height)
    {
        width = height = 0;
        if (s is null) return false;
        int x = s.IndexOf(ResolutionSeparator);
        if (x <= 0 || !TryParseDecimal(s.AsSpan(0, x), out uint w) || !TryParseDecimal(s.AsSpan(x + 1), out uint h)
            || w is 0 or > int.MaxValue || h is 0 or > int.MaxValue) return false;
        (width, height) = ((int)w, (int)h);
        return true;
    }

    public static bool ResolutionFits(int width, int height) => ModeProblem(width, height) is null;

    /// <summary>
    /// The one check of a connector's mode, wherever one comes from (the API, the pages, the demo settings, the
    /// guest console, XenStore): the first side outside 1..MaxWidth x 1..MaxHeight ("width" or "height") and its
    /// rule, or null. A missing side is required.
    /// </summary>
    public static (string Field, string Rule)? ModeProblem(int? width, int? height) =>
        Bounds.Rule(width, 1, MaxWidth) is { } w ? ("width", w)
        : Bounds.Rule(height, 1, MaxHeight) is { } h ? ("height", h)
        : null;

    /// <summary>
    /// A uint32 as XenStore values are written: decimal digits only, no sign, no space, no leading zero ("0"
    /// itself aside), so each number has one spelling and "1" and "01" cannot name the same thing.
    /// </summary>
    public static bool TryParseDecimal(ReadOnlySpan<char> s, out uint value)
    {
        value = 0;
        if (s.IsEmpty || s.Length > 10 || (s[0] == '0' && s.Length > 1)) return false;
        ulong v = 0;
        foreach (char c in s)
        {
            if (!char.IsAsciiDigit(c)) return false;
            v = v * 10 + (uint)(c - '0');
        }
        if (v > uint.MaxValue) return false;
        value = (uint)v;
        return true;
    }

    /// <summary>Null when <paramref name="uniqueId"/> is a unique-id this project accepts, else the rule it breaks.</summary>
    public static string? UniqueIdProblem(string? uniqueId) =>
        uniqueId is { Length: >= 1 and <= MaxUniqueIdLength } && uniqueId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') ? null
        : $"must be 1..{MaxUniqueIdLength} characters of letters, digits, '-', '_' or '.'";
}
