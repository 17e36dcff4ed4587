using XenDisplayWeb.Client.Models;
using XenDisplayWeb.Server.Views;
using XenDisplayWeb.Shared.Diagnostics;

namespace XenDisplayWeb.Server.Events;

/// <summary>
/// Cuts the trace entries that arrived since the last batch into one bounded <c>Trace</c> message: the
/// newest <see cref="MaxBatch"/> entries, preceded by a note of how many were skipped (dropped off the
/// trace ring before they were read, or beyond the bound).
/// </summary>
public sealed class TraceBatcher(int maxBatch = TraceBatcher.DefaultMaxBatch)
{
    public const int DefaultMaxBatch = 500;
    public int MaxBatch { get; } = maxBatch > 0 ? maxBatch : throw new ArgumentOutOfRangeException(nameof(maxBatch));

    /// <summary>The batch for <paramref name="fresh"/> (entries after sequence <paramref name="after"/>, oldest first); empty when there is nothing new.</summary>
    public IReadOnlyList<TraceEntryView> Cut(IReadOnlyList<TraceEntry> fresh, long after, DateTimeOffset now)
    {
        if (fresh.Count == 0) return [];
        long skipped = Math.Max(0, fresh[0].Sequence - (after + 1));
        int start = Math.Max(0, fresh.Count - MaxBatch);
        skipped += start;
        var batch = new List<TraceEntryView>(fresh.Count - start + 1);
        if (skipped > 0)
            batch.Add(new TraceEntryView(fresh[start].Sequence - 1, now, -1, -1, -1, nameof(TraceKind.Note), 0, "TRACE", 0, null,
                $"{skipped} trace entries skipped (more than {MaxBatch} in a batch); GET /api/trace has what the ring still holds"));
        for (int i = start; i < fresh.Count; i++) batch.Add(DashboardViews.Trace(fresh[i]));
        return batch;
    }
}
