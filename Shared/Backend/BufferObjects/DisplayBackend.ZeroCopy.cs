using System.Collections.Concurrent;
using XenDisplayWeb.Shared.Xen.DmaBuf;

namespace XenDisplayWeb.Shared.Backend;

public sealed partial class DisplayBackend
{
    private readonly ConcurrentDictionary<int, bool> _zeroCopy = new();

    /// <summary>The backend's gntdev dma-buf handle: every device's buffer objects, be-alloc grants taken from <see cref="GrantPool"/>.</summary>
    public GntDmaBuf DmaBuf { get; }

    /// <summary>Dom0's grants for be-alloc buffers, shared between the guests (<see cref="BackendOptions.GrantPool"/>).</summary>
    public GrantPool GrantPool => DmaBuf.Pool!;

    /// <summary>Whether a guest's frames are shown from its pages in place; <see cref="BackendOptions.ZeroCopy"/> unless switched.</summary>
    public bool IsZeroCopy(int domId) => _zeroCopy.TryGetValue(domId, out bool on) ? on : Options.ZeroCopy;

    /// <summary>Switches zero copy for a guest at run time; the next frame it shows follows. Kept across reconnects.</summary>
    public void SetZeroCopy(int domId, bool enabled) => _zeroCopy[domId] = enabled;

    private readonly ConcurrentDictionary<int, DbufMemory> _memories = new();

    /// <summary>A guest's buffer handling (its release waits included), kept across reconnects; null before it first connected.</summary>
    public DbufMemory? BufferMemory(int domId) => _memories.GetValueOrDefault(domId);

    internal DbufMemory NewDbufMemory(int domId) => _memories.GetOrAdd(domId,
        d => new(DmaBuf, () => IsZeroCopy(d), () => Options.DbufReleaseTimeout, Time));

    /// <summary>
    /// The guest's domain was destroyed: what the backend kept for it across reconnects (its zero-copy switch, its
    /// buffer handling) and what the sinks keep for its connectors go, so a domain given its id later starts afresh.
    /// </summary>
    public void GuestGone(int domId)
    {
        _zeroCopy.TryRemove(domId, out _);
        _memories.TryRemove(domId, out _);
        Sinks.GuestGone(domId);
    }
}
