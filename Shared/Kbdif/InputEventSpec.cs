namespace XenDisplayWeb.Shared.Kbdif;

/// <summary>
/// An input event as a person or a script names it (the HTTP API's and the hub's body): <c>type</c> "key"
/// (<c>code</c>, <c>pressed</c>), "pos" (<c>x</c>, <c>y</c>, <c>z</c>), "motion" (<c>dx</c>, <c>dy</c>, <c>dz</c>) or
/// "mtouch" (<c>event</c> down, motion, up, syn, shape or orient; <c>contact</c>; <c>x</c>, <c>y</c> for down
/// and motion; <c>major</c>, <c>minor</c> for shape; <c>orientation</c> for orient).
/// </summary>
public sealed record InputEventSpec(
    string? Type, int? Code = null, bool? Pressed = null,
    int? X = null, int? Y = null, int? Z = null,
    int? Dx = null, int? Dy = null, int? Dz = null,
    string? Event = null, int? Contact = null, long? Major = null, long? Minor = null, int? Orientation = null);

/// <summary>One home for the limits of what may be sent to a guest's input, and the one validation of them.</summary>
public static class InputLimits
{
    /// <summary>Events in one request: a 1000-event burst with room to spare.</summary>
    public const int MaxEventsPerBatch = 4096;

    /// <summary>The largest relative move or wheel step in one event, either way.</summary>
    public const int MaxRelative = 1 << 16;

    public const int MinOrientation = -180, MaxOrientation = 180;

    public static readonly IReadOnlyList<string> Types = ["key", "pos", "motion", "mtouch"];
    public static readonly IReadOnlyList<string> TouchEvents = ["down", "motion", "up", "syn", "shape", "orient"];

    /// <summary>
    /// Turns a batch into kbdif events for a connector of <paramref name="width"/> x <paramref name="height"/>
    /// with <paramref name="contacts"/> touch contacts. On the first broken event, null with the field (as
    /// "events[3].code") and the rule it breaks; nothing of the batch is sent then.
    /// </summary>
    public static IReadOnlyList<IXenkbdInEvent>? Convert(IReadOnlyList<InputEventSpec?>? events, int width, int height, int contacts,
        out string field, out string rule)
    {
        field = "events";
        if (events is null || events.Count == 0) { rule = "is required: at least one event"; return null; }
        if (events.Count > MaxEventsPerBatch) { rule = $"holds {events.Count} events, at most {MaxEventsPerBatch} in one request"; return null; }
        var result = new IXenkbdInEvent[events.Count];
        for (int i = 0; i < events.Count; i++)
        {
            string? broken = null;
            string name = "type";
            var e = events[i];
            if (e is null) broken = "is required";
            else result[i] = Convert(e, width, height, contacts, ref name, ref broken)!;
            if (broken is not null)
            {
                field = e is null ? $"events[{i}]" : $"events[{i}].{name}";
                rule = broken;
                return null;
            }
        }
        field = rule = "";
        return result;
    }

    private static IXenkbdInEvent? Convert(InputEventSpec e, int width, int height, int contacts, ref string field, ref string? rule)
    {
        switch (e.Type)
        {
            case "key":
                if (Need(e.Code, "code", ref field, ref rule) is not { } code) return null;
                if (!LinuxInput.IsValidKeycode((uint)code) || code < 0) return Fail("code", $"must be a Linux KEY_* or BTN_* code 1..{LinuxInput.KEY_MAX}, not {code}", ref field, ref rule);
                if (e.Pressed is not { } pressed) return Fail("pressed", "is required (true or false)", ref field, ref rule);
                return new XenkbdKey(pressed, (uint)code);
            case "pos":
                if (Coordinate(e.X, "x", width, ref field, ref rule) is not { } x || Coordinate(e.Y, "y", height, ref field, ref rule) is not { } y) return null;
                if (Relative(e.Z, "z", ref field, ref rule) is not { } z) return null;
                return new XenkbdPosition(x, y, z);
            case "motion":
                if (Relative(e.Dx, "dx", ref field, ref rule) is not { } dx || Relative(e.Dy, "dy", ref field, ref rule) is not { } dy
                    || Relative(e.Dz, "dz", ref field, ref rule) is not { } dz) return null;
                return new XenkbdMotion(dx, dy, dz);
            case "mtouch":
                return Touch(e, width, height, contacts, ref field, ref rule);
            default:
                return Fail("type", e.Type is null ? $"is required: one of {string.Join(", ", Types)}" : $"must be one of {string.Join(", ", Types)}, not '{e.Type}'", ref field, ref rule);
        }
    }

    private static XenkbdMtouch? Touch(InputEventSpec e, int width, int height, int contacts, ref string field, ref string? rule)
    {
        if (Need(e.Contact, "contact", ref field, ref rule) is not { } c) return null;
        if (c < 0 || c >= contacts) return Fail("contact", $"must be 0..{contacts - 1}, not {c}", ref field, ref rule);
        byte id = (byte)c;
        switch (e.Event)
        {
            case "down" or "motion":
                if (Coordinate(e.X, "x", width, ref field, ref rule) is not { } x || Coordinate(e.Y, "y", height, ref field, ref rule) is not { } y) return null;
                return e.Event == "down" ? XenkbdMtouch.Down(id, x, y) : XenkbdMtouch.Motion(id, x, y);
            case "up": return XenkbdMtouch.Up(id);
            case "syn": return XenkbdMtouch.Syn(id);
            case "shape":
                if (Size(e.Major, "major", ref field, ref rule) is not { } major || Size(e.Minor, "minor", ref field, ref rule) is not { } minor) return null;
                return XenkbdMtouch.Shape(id, major, minor);
            case "orient":
                if (Need(e.Orientation, "orientation", ref field, ref rule) is not { } o) return null;
                if (o is < MinOrientation or > MaxOrientation) return Fail("orientation", $"must be {MinOrientation}..{MaxOrientation} degrees, not {o}", ref field, ref rule);
                return XenkbdMtouch.Orient(id, (short)o);
            default:
                return Fail("event", e.Event is null ? $"is required: one of {string.Join(", ", TouchEvents)}" : $"must be one of {string.Join(", ", TouchEvents)}, not '{e.Event}'", ref field, ref rule);
        }
    }

    private static int? Need(int? value, string name, ref string field, ref string? rule) =>
        value ?? Fail<int>(name, "is required", ref field, ref rule);

    private static int? Coordinate(int? value, string name, int size, ref string field, ref string? rule)
    {
        if (Need(value, name, ref field, ref rule) is not { } v) return null;
        return v >= 0 && v < size ? v : Fail<int>(name, $"must be 0..{size - 1} (the connector is {size} pixels that way), not {v}", ref field, ref rule);
    }

    private static int? Relative(int? value, string name, ref string field, ref string? rule) =>
        value is not { } v ? 0
        : Math.Abs((long)v) <= MaxRelative ? v
        : Fail<int>(name, $"must be -{MaxRelative}..{MaxRelative}, not {v}", ref field, ref rule);

    private static uint? Size(long? value, string name, ref string field, ref string? rule) =>
        value is not { } v ? Fail<uint>(name, "is required", ref field, ref rule)
        : v is >= 0 and <= uint.MaxValue ? (uint)v
        : Fail<uint>(name, $"must be 0..{uint.MaxValue}, not {v}", ref field, ref rule);

    private static T? Fail<T>(string name, string why, ref string field, ref string? rule) where T : struct
    {
        field = name;
        rule = why;
        return null;
    }

    private static XenkbdMtouch? Fail(string name, string why, ref string field, ref string? rule) => Fail<XenkbdMtouch>(name, why, ref field, ref rule);
}
