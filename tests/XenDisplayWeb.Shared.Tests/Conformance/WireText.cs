using System.Globalization;
using XenDisplayWeb.Shared.Displif;

namespace XenDisplayWeb.Shared.Tests.Conformance;

/// <summary>
/// One line of manifest.txt: a kind, bare words, then key=value pairs (see displif_conformance.c).
/// "do front.push notify=1" has kind "do", word "front.push" and the pair notify=1.
/// </summary>
public sealed class ManifestRecord
{
    private readonly Dictionary<string, string> _values;

    private ManifestRecord(string line, string kind, List<string> words, Dictionary<string, string> values)
    {
        Line = line;
        Kind = kind;
        Words = words;
        _values = values;
    }

    public string Line { get; }
    public string Kind { get; }
    public IReadOnlyList<string> Words { get; }
    public IReadOnlyDictionary<string, string> Values => _values;

    public string Step => Words.Count > 0 ? Words[0] : "";
    public bool Has(string key) => _values.ContainsKey(key);

    public string this[string key] =>
        _values.TryGetValue(key, out var v) ? v : throw new KeyNotFoundException($"no {key}= in '{Line}'");

    public ulong U64(string key) => ulong.Parse(this[key], CultureInfo.InvariantCulture);
    public uint U32(string key) => uint.Parse(this[key], CultureInfo.InvariantCulture);
    public ushort U16(string key) => ushort.Parse(this[key], CultureInfo.InvariantCulture);
    public byte U8(string key) => byte.Parse(this[key], CultureInfo.InvariantCulture);
    public int I32(string key) => int.Parse(this[key], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    public uint[] U32List(string key) =>
        this[key].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => uint.Parse(s, CultureInfo.InvariantCulture)).ToArray();

    public override string ToString() => Line;

    public static ManifestRecord? Parse(string line)
    {
        var tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0 || tokens[0].StartsWith('#')) return null;
        var words = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in tokens.Skip(1))
        {
            int eq = t.IndexOf('=');
            if (eq < 0) words.Add(t);
            else values.Add(t[..eq], t[(eq + 1)..]);
        }
        return new ManifestRecord(line, tokens[0], words, values);
    }

    public static IReadOnlyList<ManifestRecord> Load(string path) =>
        File.ReadLines(path).Select(Parse).OfType<ManifestRecord>().ToList();
}

/// <summary>displif packets as the manifest's text: the C field names of each op, decimal values.</summary>
public static class WireText
{
    public static readonly XendisplOp[] AllOps = Enum.GetValues<XendisplOp>();

    /// <summary>The fields of a request by their names in io/displif.h, in struct order.</summary>
    public static (string Name, ulong Value)[] Fields(IDisplifRequest request) => request switch
    {
        DbufCreateRequest r =>
        [
            ("dbuf_cookie", r.DbufCookie), ("width", r.Width), ("height", r.Height), ("bpp", r.Bpp),
            ("buffer_sz", r.BufferSz), ("flags", r.Flags), ("gref_directory", r.GrefDirectory), ("data_ofs", r.DataOfs),
        ],
        DbufDestroyRequest r => [("dbuf_cookie", r.DbufCookie)],
        FbAttachRequest r =>
        [
            ("dbuf_cookie", r.DbufCookie), ("fb_cookie", r.FbCookie), ("width", r.Width), ("height", r.Height),
            ("pixel_format", r.PixelFormat),
        ],
        FbDetachRequest r => [("fb_cookie", r.FbCookie)],
        SetConfigRequest r =>
        [
            ("fb_cookie", r.FbCookie), ("x", r.X), ("y", r.Y), ("width", r.Width), ("height", r.Height), ("bpp", r.Bpp),
        ],
        PgFlipRequest r => [("fb_cookie", r.FbCookie)],
        GetEdidRequest r => [("buffer_sz", r.BufferSz), ("gref_directory", r.GrefDirectory)],
        _ => throw new ArgumentException($"unknown request {request.GetType().Name}", nameof(request)),
    };

    /// <summary>Decodes a packet with the C# reader of its operation.</summary>
    public static IDisplifRequest Decode(ReadOnlySpan<byte> packet) => (XendisplOp)PacketHeader.Operation(packet) switch
    {
        XendisplOp.DbufCreate => DbufCreateRequest.Read(packet),
        XendisplOp.DbufDestroy => DbufDestroyRequest.Read(packet),
        XendisplOp.FbAttach => FbAttachRequest.Read(packet),
        XendisplOp.FbDetach => FbDetachRequest.Read(packet),
        XendisplOp.SetConfig => SetConfigRequest.Read(packet),
        XendisplOp.PgFlip => PgFlipRequest.Read(packet),
        XendisplOp.GetEdid => GetEdidRequest.Read(packet),
        var op => throw new ArgumentException($"unknown operation 0x{(byte)op:x2}", nameof(packet)),
    };

    /// <summary>Builds a request of <paramref name="op"/>, asking <paramref name="field"/> for each field in struct order.</summary>
    public static IDisplifRequest Build(XendisplOp op, Func<string, ulong> field) => op switch
    {
        XendisplOp.DbufCreate => new DbufCreateRequest(field("dbuf_cookie"), (uint)field("width"), (uint)field("height"),
            (uint)field("bpp"), (uint)field("buffer_sz"), (uint)field("flags"), (uint)field("gref_directory"), (uint)field("data_ofs")),
        XendisplOp.DbufDestroy => new DbufDestroyRequest(field("dbuf_cookie")),
        XendisplOp.FbAttach => new FbAttachRequest(field("dbuf_cookie"), field("fb_cookie"), (uint)field("width"),
            (uint)field("height"), (uint)field("pixel_format")),
        XendisplOp.FbDetach => new FbDetachRequest(field("fb_cookie")),
        XendisplOp.SetConfig => new SetConfigRequest(field("fb_cookie"), (uint)field("x"), (uint)field("y"),
            (uint)field("width"), (uint)field("height"), (uint)field("bpp")),
        XendisplOp.PgFlip => new PgFlipRequest(field("fb_cookie")),
        XendisplOp.GetEdid => new GetEdidRequest((uint)field("buffer_sz"), (uint)field("gref_directory")),
        _ => throw new ArgumentException($"unknown operation 0x{(byte)op:x2}", nameof(op)),
    };

    /// <summary>The request a manifest line describes (its op= and field pairs).</summary>
    public static IDisplifRequest Build(ManifestRecord record) => Build((XendisplOp)record.U8("op"), record.U64);

    public static string FormatRequest(string kind, uint idx, ushort id, IDisplifRequest request) =>
        Invariant($"{kind} idx={idx} id={id} op={(byte)request.Operation}")
        + string.Concat(Fields(request).Select(f => Invariant($" {f.Name}={f.Value}")));

    public static string FormatResponse(string kind, uint idx, DisplifResponse response) =>
        Invariant($"{kind} idx={idx} id={response.Id} op={response.Operation} status={response.Status}")
        + (response.Operation == (byte)XendisplOp.GetEdid ? Invariant($" edid_sz={response.EdidSz}") : "");

    public static string FormatEvent(string kind, uint idx, PgFlipEvent evt) =>
        Invariant($"{kind} idx={idx} id={evt.Id} type={(byte)XendisplEvent.PgFlip} fb_cookie={evt.FbCookie}");

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
