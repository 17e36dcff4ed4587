namespace XenDisplayWeb.Shared.Kbdif.Backend;

/// <summary>What the vkbd backend advertises and how much it holds for a guest that does not keep up.</summary>
public sealed class KbdOptions
{
    public bool FeatureAbsPointer { get; set; } = true;
    public bool FeatureMultiTouch { get; set; } = true;
    public bool FeatureRawPointer { get; set; }
    public bool FeatureDisableKeyboard { get; set; }
    public bool FeatureDisablePointer { get; set; }

    /// <summary>multi-touch-num-contacts: contact ids are 0 to this minus 1.</summary>
    public int MtNumContacts { get; set; } = 10;

    /// <summary>Events held per device while the in ring is full, releases reserved for every held key and contact.</summary>
    public int BacklogCapacity { get; set; } = 256;

    /// <summary>Events kept per device for inspection.</summary>
    public int RecentEvents { get; set; } = 32;

    /// <summary>
    /// Pointer moves per device the trace shows each second (the others are counted, not traced); keys, buttons
    /// and touch down/up are always traced. 0 traces no moves.
    /// </summary>
    public int TraceMovesPerSecond { get; set; } = 10;

    public const int MaxTraceMovesPerSecond = 1000;
    public const int MaxContacts = 256; // contact_id is a u8
    public const int MaxBacklog = 1 << 16;

    /// <summary>Each setting out of range, as "Name: why"; empty when the options are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MtNumContacts is < 1 or > MaxContacts) errors.Add($"{nameof(MtNumContacts)}: 1 to {MaxContacts}, got {MtNumContacts}");
        // A held key's release and the press itself must always fit, whatever is held: room for every key and contact at once would be wasteful, 2 is the floor.
        if (BacklogCapacity is < 2 or > MaxBacklog) errors.Add($"{nameof(BacklogCapacity)}: 2 to {MaxBacklog}, got {BacklogCapacity}");
        if (RecentEvents is < 0 or > 4096) errors.Add($"{nameof(RecentEvents)}: 0 to 4096, got {RecentEvents}");
        if (TraceMovesPerSecond is < 0 or > MaxTraceMovesPerSecond)
            errors.Add($"{nameof(TraceMovesPerSecond)}: 0 to {MaxTraceMovesPerSecond}, got {TraceMovesPerSecond}");
        return errors;
    }
}

/// <summary>The display connector a vkbd device follows: its mode sets width/height and the touch area, its unique-id is the device's.</summary>
public readonly record struct KbdMode(int Width, int Height, string UniqueId);

/// <summary>Where the backend learns each device's connector mode (the host wires it to the display backend).</summary>
public interface IConnectorModes
{
    /// <summary>The mode of the connector vkbd device <paramref name="devId"/> of <paramref name="frontDomId"/> follows, if known.</summary>
    KbdMode? ModeOf(int frontDomId, int devId);
}

/// <summary>What Accept did with a batch: how many went (or will go) to the guest, and each one's seq (-1 when refused).</summary>
public sealed record KbdAcceptResult(int Accepted, long FirstSeq, IReadOnlyList<long> Seqs);

/// <summary>One event as the backend sent it (or holds it), with its seq.</summary>
public readonly record struct KbdSentEvent(long Seq, IXenkbdInEvent Event);

/// <summary>A vkbd device at one moment, for the rings page.</summary>
public sealed record KbdDeviceStatus(
    int FrontDomId, int DevId, string State, string? Misbehaving,
    uint? PageGref, int? EventChannel, uint InCons, uint InProd, uint OutCons, uint OutProd,
    KbdOptions Features, bool RequestAbsPointer, bool RequestRawPointer, bool RequestMultiTouch,
    int Backlog, long Dropped, long Coalesced, long Refused, long OutEvents, long NextSeq,
    IReadOnlyList<KbdSentEvent> Recent, string UniqueId, long MovesNotTraced);
