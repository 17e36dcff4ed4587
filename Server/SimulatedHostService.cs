using Microsoft.Extensions.Options;
using XenDisplayWeb.Shared.Backend;
using XenDisplayWeb.Shared.Host;

namespace XenDisplayWeb.Server;

/// <summary>Runs the embedded simulated Xen host, the display backend and the demo guests.</summary>
public sealed class SimulatedHostService(IOptions<DemoOptions> demo, IOptions<TimeoutOptions> timeouts, IOptions<BackendSettings> backend, IDisplaySinkFactory sinks,
    ILoggerFactory loggers, TimeProvider time)
    : IHostedService, IDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger<SimulatedHostService>();
    private SimulatedSystem? _system;

    /// <summary>The running system; null before start.</summary>
    public SimulatedSystem? System => _system;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _system = new SimulatedSystem(sinks, backend.Value.ToOptions(), time, loggers, demo.Value.MaxDomId, backend.Value.Input);
        _system.Timeouts.Request = TimeSpan.FromMilliseconds(timeouts.Value.RequestMs);
        _system.Timeouts.FrameDone = TimeSpan.FromMilliseconds(timeouts.Value.FrameDoneMs);
        foreach (var g in demo.Value.Guests)
        {
            _system.StartGuest(new GuestSpec(g.DomId, g.Name, g.BeAlloc,
                g.Connectors.Select(c => new GuestConnector(c.Width, c.Height, c.UniqueId, c.Workload, c.FramesPerSecond)).ToList(), g.Transport));
            _system.SetZeroCopy(g.DomId, g.ZeroCopy);
            _logger.LogInformation("Guest {DomId} ({Name}) started with {Count} connector(s), be-alloc {BeAlloc}", g.DomId, g.Name, g.Connectors.Count, g.BeAlloc);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _system, null)?.Dispose(); // once, even when the host is stopped twice at the same time
        return Task.CompletedTask;
    }

    public void Dispose() => Interlocked.Exchange(ref _system, null)?.Dispose();
}
