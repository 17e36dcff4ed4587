using XenDisplayWeb.Client.Models;

namespace XenDisplayWeb.Client.Contract;

/// <summary>
/// Every message the hub sends a page, typed: the one contract for the JSON and the MessagePack protocols
/// (docs/dashboard-contract.md). Frame payloads are bytes: raw in MessagePack, base64 in JSON.
/// </summary>
public interface IDashboardClient
{
    /// <summary>A connector's next frame for this viewer (to "Ack" once drawn).</summary>
    Task Frame(FrameMessage frame);

    /// <summary>The connector shows nothing.</summary>
    Task Blank(BlankMessage blank);

    /// <summary>Every domain and connector, when anything about them changed (group "topology").</summary>
    Task Topology(IReadOnlyList<DomainView> domains);

    /// <summary>Protocol trace entries since the last batch (group "trace").</summary>
    Task Trace(IReadOnlyList<TraceEntryView> entries);

    /// <summary>A dbuf or fb came or went (group "buffers").</summary>
    Task Buffers(BufferEvent change);

    /// <summary>Last second's figures of every watched connector (group "stats").</summary>
    Task Stats(IReadOnlyList<ConnectorStats> stats);
}
