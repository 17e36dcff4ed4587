using XenDisplayWeb.Shared.Rings;

namespace XenDisplayWeb.Shared.Kbdif;

/// <summary>In event types (XENKBD_TYPE_*). Frontends ignore types they do not know.</summary>
public enum XenkbdType : byte
{
    Motion = 1,
    Reserved = 2,
    Key = 3,
    Pos = 4,
    Mtouch = 5,
}

/// <summary>Multi-touch event sub-codes (XENKBD_MT_EV_*).</summary>
public enum XenkbdMtEv : byte
{
    Down = 0,
    Up = 1,
    Motion = 2,
    Syn = 3,
    Shape = 4,
    Orient = 5,
}

/// <summary>Protocol constants and XenStore field names of io/kbdif.h.</summary>
public static class Kbdif
{
    /// <summary>XENKBD_DRIVER_NAME: the XenBus device type.</summary>
    public const string DriverName = "vkbd";

    /// <summary>XENKBD_IN_EVENT_SIZE: every backend-to-frontend event.</summary>
    public const int InEventSize = 40;
    /// <summary>XENKBD_OUT_EVENT_SIZE: every frontend-to-backend event (none are defined).</summary>
    public const int OutEventSize = 40;

    public const int InRingSize = 2048;
    /// <summary>XENKBD_IN_RING_LEN = 2048 / 40 = 51: slots are <c>idx % 51</c>.</summary>
    public const int InRingLen = InRingSize / InEventSize;
    public const int InRingOffs = 1024;

    public const int OutRingSize = 1024;
    /// <summary>XENKBD_OUT_RING_LEN = 1024 / 40 = 25.</summary>
    public const int OutRingLen = OutRingSize / OutEventSize;
    public const int OutRingOffs = InRingOffs + InRingSize;

    /// <summary>Raw (unscaled) absolute coordinates (feature-raw-pointer) are in [0, 0x7fff].</summary>
    public const int RawPointerMax = 0x7fff;

    /// <summary>XENKBD_FIELD_*: the XenStore nodes, backend's then frontend's.</summary>
    public static class Field
    {
        public const string FeatDsblKeybrd = "feature-disable-keyboard";
        public const string FeatDsblPointer = "feature-disable-pointer";
        public const string FeatAbsPointer = "feature-abs-pointer";
        public const string FeatRawPointer = "feature-raw-pointer";
        public const string FeatMtouch = "feature-multi-touch";
        public const string Width = "width";
        public const string Height = "height";
        public const string MtWidth = "multi-touch-width";
        public const string MtHeight = "multi-touch-height";
        public const string MtNumContacts = "multi-touch-num-contacts";
        public const string UniqueId = "unique-id";

        public const string ReqAbsPointer = "request-abs-pointer";
        public const string ReqRawPointer = "request-raw-pointer";
        public const string ReqMtouch = "request-multi-touch";
        public const string RingGref = "page-gref";
        public const string EvtChannel = "event-channel";
        /// <summary>OBSOLETE in the header (the PFN of the shared page); still read from old frontends.</summary>
        public const string RingRef = "page-ref";
    }

    public static string TypeName(byte type) => type switch
    {
        (byte)XenkbdType.Motion => "MOTION",
        (byte)XenkbdType.Reserved => "RESERVED",
        (byte)XenkbdType.Key => "KEY",
        (byte)XenkbdType.Pos => "POS",
        (byte)XenkbdType.Mtouch => "MTOUCH",
        _ => $"TYPE_{type}",
    };

    public static string MtEvName(byte eventType) => eventType switch
    {
        (byte)XenkbdMtEv.Down => "DOWN",
        (byte)XenkbdMtEv.Up => "UP",
        (byte)XenkbdMtEv.Motion => "MOTION",
        (byte)XenkbdMtEv.Syn => "SYN",
        (byte)XenkbdMtEv.Shape => "SHAPE",
        (byte)XenkbdMtEv.Orient => "ORIENT",
        _ => $"MT_EV_{eventType}",
    };
}

/// <summary>
/// The shared page (struct xenkbd_page): in_cons @0, in_prod @4, out_cons @8, out_prod @12; the in ring of
/// 51 slots of 40 bytes at 1024 (backend produces), the out ring of 25 slots at 3072 (frontend produces).
/// </summary>
public static class XenkbdPage
{
    public const int InConsOffset = 0;
    public const int InProdOffset = 4;
    public const int OutConsOffset = 8;
    public const int OutProdOffset = 12;
    /// <summary>sizeof(struct xenkbd_page): the four indices.</summary>
    public const int HeaderSize = 16;

    public static readonly EventRingLayout InRing =
        new("xenkbd in ring", InConsOffset, InProdOffset, Kbdif.InRingOffs, Kbdif.InEventSize, Kbdif.InRingLen);

    public static readonly EventRingLayout OutRing =
        new("xenkbd out ring", OutConsOffset, OutProdOffset, Kbdif.OutRingOffs, Kbdif.OutEventSize, Kbdif.OutRingLen);
}
