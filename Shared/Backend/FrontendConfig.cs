using XenDisplayWeb.Shared.Xen;
using D = XenDisplayWeb.Shared.Displif.Displif;

namespace XenDisplayWeb.Shared.Backend;

/// <summary>A frontend's XenStore configuration breaks a rule of displif: the device is refused, for this reason.</summary>
internal sealed class FrontendConfigException(string reason) : Exception(reason);

/// <summary>
/// Reads a frontend's protocol version and connectors from its XenStore directory. On real Xen the guest can
/// write there, so every name and value is checked against displif's limits (<see cref="D"/>) before the
/// backend maps or allocates anything for it.
/// </summary>
internal static class FrontendConfig
{
    /// <summary>How much of a refused value a reason quotes: it goes to the log, the trace and the dashboard.</summary>
    private const int QuotedChars = 32;

    /// <summary>The version the frontend chose among <see cref="D.BackendVersions"/>; 1 when it wrote none.</summary>
    public static int ReadVersion(IXenStore xs, string frontendPath)
    {
        string? text = xs.Read($"{frontendPath}/{D.Field.FeVersion}");
        if (text is null) return 1;
        if (D.TryParseDecimal(text, out uint v) && D.BackendVersions.Split(D.ListSeparator).Contains(text)) return (int)v;
        throw new FrontendConfigException($"{D.Field.FeVersion} {Quote(text)} is not one of the backend's versions {D.BackendVersions}");
    }

    /// <summary>The connectors, in index order: 1 to <see cref="D.MaxConnectors"/>, numbered "0", "1", ... without a gap.</summary>
    public static List<ConnectorConfig> ReadConnectors(IXenStore xs, string frontendPath)
    {
        // Names made of digits are connector indices; the others are the device's own fields.
        var names = xs.Directory(frontendPath).Where(n => n.Length > 0 && n.All(char.IsAsciiDigit)).ToList();
        if (names.Count == 0) throw new FrontendConfigException("no connectors");
        if (names.Count > D.MaxConnectors) throw new FrontendConfigException($"{names.Count} connectors, at most {D.MaxConnectors}");
        var indices = new List<int>(names.Count);
        foreach (var name in names)
        {
            if (!D.TryParseDecimal(name, out uint index) || index >= D.MaxConnectors)
                throw new FrontendConfigException($"connector {Quote(name)}: conn-idx must be one of \"0\" to \"{D.MaxConnectors - 1}\", in plain decimal");
            indices.Add((int)index);
        }
        indices.Sort();
        if (indices.Where((index, i) => index != i).Any())
            throw new FrontendConfigException($"connectors {string.Join(", ", indices)}: conn-idx must count from 0 without a gap");

        var list = new List<ConnectorConfig>(indices.Count);
        foreach (int index in indices)
        {
            var c = ReadConnector(xs, $"{frontendPath}/{index}", index);
            foreach (var other in list)
                if (other.UniqueId == c.UniqueId)
                    throw new FrontendConfigException($"connector {index}: {D.Field.UniqueId} {Quote(c.UniqueId)} is connector {other.Index}'s too");
            list.Add(c);
        }
        return list;
    }

    private static ConnectorConfig ReadConnector(IXenStore xs, string path, int index)
    {
        string? resolution = xs.Read($"{path}/{D.Field.Resolution}");
        if (!D.TryParseResolution(resolution, out int width, out int height))
            throw new FrontendConfigException($"connector {index}: {D.Field.Resolution} {Quote(resolution)} must be WxH within 1x1 to {D.MaxWidth}x{D.MaxHeight}");
        if (D.ModeProblem(width, height) is var (side, mode))
            throw new FrontendConfigException($"connector {index}: {D.Field.Resolution} {Quote(resolution)}: {side} {mode}");
        string? uniqueId = xs.Read($"{path}/{D.Field.UniqueId}");
        if (D.UniqueIdProblem(uniqueId) is { } rule)
            throw new FrontendConfigException($"connector {index}: {D.Field.UniqueId} {Quote(uniqueId)} {rule}");
        return new ConnectorConfig(index, width, height, uniqueId!,
            GrantRef(xs, path, D.Field.ReqRingRef, index), Port(xs, path, D.Field.ReqChannel, index),
            GrantRef(xs, path, D.Field.EvtRingRef, index), Port(xs, path, D.Field.EvtChannel, index));
    }

    /// <summary>A grant_ref_t: a uint32, and never 0.</summary>
    private static uint GrantRef(IXenStore xs, string path, string field, int index)
    {
        string? text = xs.Read($"{path}/{field}");
        if (D.TryParseDecimal(text, out uint gref) && gref != 0) return gref;
        throw new FrontendConfigException($"connector {index}: {field} {Quote(text)} is not a grant reference (1 to {uint.MaxValue})");
    }

    /// <summary>An evtchn_port_t: a uint32, never 0.</summary>
    private static int Port(IXenStore xs, string path, string field, int index)
    {
        string? text = xs.Read($"{path}/{field}");
        if (D.TryParseDecimal(text, out uint port) && port is >= 1 and <= D.MaxEventChannelPort) return (int)port;
        throw new FrontendConfigException($"connector {index}: {field} {Quote(text)} is not an event channel port (1 to {D.MaxEventChannelPort})");
    }

    /// <summary>A guest's value as a reason may show it: quoted, control characters as '?', cut short.</summary>
    private static string Quote(string? value)
    {
        if (value is null) return "(absent)";
        var shown = new string(value.Take(QuotedChars).Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return $"'{shown}{(value.Length > QuotedChars ? "..." : "")}'";
    }
}
