using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Client.Services;
using XenDisplayWeb.Server;
using XenDisplayWeb.Server.Tests.Pages;
using XenDisplayWeb.Shared.Host;

namespace XenDisplayWeb.Client.Tests;

/// <summary>
/// The server's services on its simulated host with the demo guests (guest 1: two connectors, guest 2: one): the
/// real <see cref="IDashboardControls"/> and <see cref="IDashboardFeed"/>, so a control submitted on a page acts on
/// the system. Shared by the tests of <see cref="SimulatedHostCollection"/>, one at a time; each leaves the system as
/// it found it.
/// </summary>
public sealed class SimulatedDashboard : WebApplicationFactory<Program>
{
    /// <summary>The demo guests and how many connectors each has.</summary>
    public static readonly IReadOnlyDictionary<int, int> DemoConnectors = new Dictionary<int, int> { [1] = 2, [2] = 1 };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // The guests draw slowly: these tests look at controls, not frames, and share two cores.
        builder.UseSetting("Demo:Guests:0:Connectors:0:FramesPerSecond", "5");
        builder.UseSetting("Demo:Guests:0:Connectors:1:FramesPerSecond", "5");
        builder.UseSetting("Demo:Guests:1:Connectors:0:FramesPerSecond", "5");
    }

    public IDashboardControls Controls => Services.GetRequiredService<IDashboardControls>();

    public IDashboardFeed Feed => Services.GetRequiredService<IDashboardFeed>();

    public SimulatedSystem System => Services.GetRequiredService<SimulatedHostService>().System!;

    /// <summary>Waits until the backend runs and every demo guest is connected with its demo connectors.</summary>
    public Task ReadyAsync() => Poll.UntilAsync(() => Task.FromResult(Ready()), "the backend running and the demo guests connected", TimeSpan.FromSeconds(30));

    private bool Ready()
    {
        if (Feed.BackendState != "running") return false;
        var domains = Feed.Domains();
        return DemoConnectors.All(demo => domains.SingleOrDefault(d => d.DomId == demo.Key) is { State: "Connected", BackendState: "Connected" } d
            && d.Connectors.Count == demo.Value && d.Connectors.All(c => c.State == "Connected"));
    }
}

/// <summary>The tests that act on the one simulated host, run one after the other.</summary>
[CollectionDefinition(Name)]
public sealed class SimulatedHostCollection : ICollectionFixture<SimulatedDashboard>
{
    public const string Name = "simulated host";
}
