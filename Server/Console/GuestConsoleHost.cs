using XenDisplayWeb.Shared.Host;

namespace XenDisplayWeb.Server.Console;

/// <summary>The guest console of the running simulated system (one per system: it remembers its pages).</summary>
public sealed class GuestConsoleHost(SimulatedHostService host)
{
    private readonly object _lock = new();
    private GuestConsole? _console;

    public GuestConsole Console
    {
        get
        {
            var system = host.System ?? throw new GuestConsoleException(GuestConsoleError.Conflict, "the simulated host is not running");
            lock (_lock)
            {
                if (_console?.System != system) _console = new GuestConsole(system);
                return _console;
            }
        }
    }
}
