using System.Collections.Concurrent;
using XenDisplayWeb.Shared.Backend;

namespace XenDisplayWeb.Shared.Host;

public sealed partial class SimulatedSystem
{
    private readonly ConcurrentDictionary<int, bool> _zeroCopy = new();

    /// <summary>
    /// Switches zero copy for a guest at run time (off: the backend copies each shown frame into its own
    /// buffer first). Kept across backend restarts. Throws <see cref="ControlException"/> for an unknown guest.
    /// </summary>
    public void SetZeroCopy(int domId, bool enabled)
    {
        if (Guest(domId) is null) throw new ControlException(ControlFailure.UnknownDomain, $"no guest domain {domId}");
        _zeroCopy[domId] = enabled;
        Backend.SetZeroCopy(domId, enabled);
    }

    public bool IsZeroCopy(int domId) => Backend.IsZeroCopy(domId);

    private DisplayBackend ApplyZeroCopy(DisplayBackend backend)
    {
        foreach (var (dom, on) in _zeroCopy) backend.SetZeroCopy(dom, on);
        return backend;
    }
}
