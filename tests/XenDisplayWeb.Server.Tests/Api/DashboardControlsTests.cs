using Microsoft.Extensions.DependencyInjection;
using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Shared.Host;
using static XenDisplayWeb.Server.Tests.ApiPolling;

namespace XenDisplayWeb.Server.Tests.Api;

/// <summary>The controls' service called as a page's component calls it: directly, on the running simulated host.</summary>
public class DashboardControlsTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    private IDashboardControls Controls => factory.Services.GetRequiredService<IDashboardControls>();

    private SimulatedSystem System => factory.Services.GetRequiredService<SimulatedHostService>().System!;

    private async Task<HttpClient> ConnectedAsync()
    {
        var op = factory.Operator();
        await op.WaitForDomainsAsync(d => d.Domain(1).ConnectedWith(2) && d.Domain(2).ConnectedWith(1), "guests 1 and 2 connected");
        return op;
    }

    [Fact]
    public async Task An_added_connector_is_answered_202_with_its_settings_and_where_it_lives_and_the_guest_connects_it()
    {
        var op = await ConnectedAsync();

        var added = await Controls.AddConnectorAsync(2, new AddConnectorRequest(320, 240, "svc-added"));

        Assert.Equal((202, "/api/domains/2/connectors/1"), (added.Status, added.Location));
        Assert.True(added.Succeeded);
        Assert.Equal(new ConnectorSettingsView(2, 1, 320, 240, "svc-added", "testpattern", 60), added.Value);
        Assert.Equal("""202 Accepted: {"domId":2,"index":1,"width":320,"height":240,"uniqueId":"svc-added","workload":"testpattern","framesPerSecond":60}""", added.Text);
        await op.WaitForDomainsAsync(d => d.Domain(2).ConnectedWith(2), "guest 2 connected with the added connector");

        var removed = await Controls.RemoveConnectorAsync(2, 1);

        Assert.Equal("""202 Accepted: {"domId":2,"index":1,"connectors":1}""", removed.Text);
        Assert.Single(System.Guest(2)!.Spec.Connectors);
    }

    [Fact]
    public async Task A_width_out_of_range_is_answered_400_naming_the_field_and_changes_nothing()
    {
        await ConnectedAsync();

        var outcome = await Controls.SetResolutionAsync(1, 0, new ResolutionRequest(0, 480));

        Assert.Equal(400, outcome.Status);
        Assert.False(outcome.Succeeded);
        Assert.Equal(["must be 1..4095, not 0"], outcome.Problem!.Errors!["width"]);
        Assert.Equal("400 Invalid width — width: must be 1..4095, not 0", outcome.Text);
        Assert.Equal(1920, System.Guest(1)!.Spec.Connectors[0].Width);
    }

    [Fact]
    public async Task A_control_on_a_domain_there_is_not_is_answered_404_with_the_reason()
    {
        await ConnectedAsync();

        var outcome = Controls.SetLink(99, 0, new LinkRequest(false));

        Assert.Equal("404 Unknown domain — no guest domain 99", outcome.Text);
    }

    [Fact]
    public async Task A_link_set_down_unplugs_the_guests_monitor_and_up_plugs_it_back()
    {
        await ConnectedAsync();
        var connector = System.Guest(1)!.Front.Device!.Connectors.Single(c => c.Index == 1);

        var down = Controls.SetLink(1, 1, new LinkRequest(false));

        Assert.Equal(new LinkView(1, 1, false), down.Value);
        Assert.False(connector.LinkConnected);
        Assert.Equal("""200 OK: {"domId":1,"index":1,"up":false}""", down.Text);

        Controls.SetLink(1, 1, new LinkRequest(true));
        Assert.True(connector.LinkConnected);
    }

    [Fact]
    public void Faults_set_reach_the_backend_and_absent_ones_keep_their_value()
    {
        var faults = System.Backend.Faults;
        try
        {
            var outcome = Controls.SetFaults(new FaultsRequest(ResponseDelayMs: 5, DropResponses: 2));

            Assert.Equal(200, outcome.Status);
            Assert.Equal((TimeSpan.FromMilliseconds(5), 2, 0), (faults.ResponseDelay, faults.DropResponses, faults.DropFrameDone));
            var view = Assert.IsType<FaultsView>(outcome.Value);
            Assert.Equal((5, 2, 0, false), (view.ResponseDelayMs, view.DropResponses, view.DropFrameDone, view.Paused));

            Controls.SetFaults(new FaultsRequest(DropFrameDone: -1));
            Assert.Equal((TimeSpan.FromMilliseconds(5), -1), (faults.ResponseDelay, faults.DropFrameDone));
        }
        finally { Controls.SetFaults(new FaultsRequest(0, 0, 0, false)); }
    }

    [Fact]
    public async Task A_reconnect_is_carried_out_when_its_caller_stops_waiting_for_the_answer()
    {
        var op = await ConnectedAsync();
        using var gone = new CancellationTokenSource();
        gone.Cancel();

        // The answer may be there before the wait starts (the simulated host can reconnect at once); a caller gone
        // before it gets none. Either way the connector is added.
        try { await Controls.AddConnectorAsync(2, new AddConnectorRequest(200, 100, "svc-gone"), gone.Token); }
        catch (OperationCanceledException) { }

        try
        {
            var domains = await op.WaitForDomainsAsync(d => d.Domain(2).ConnectedWith(2), "guest 2 connected with the connector its caller left");
            Assert.Equal(200, (int)Connector(domains.Domain(2), 1)["width"]!);
        }
        finally { await Controls.RemoveConnectorAsync(2, 1); }
    }

    [Fact]
    public async Task A_workload_set_through_the_service_is_told_to_every_open_page()
    {
        await ConnectedAsync();
        var feed = factory.Services.GetRequiredService<Client.Services.IDashboardFeed>();
        // Quiet first: nothing else is changing what the overview shows.
        await WaitForQuietAsync(feed);
        var before = feed.Domains().Single(d => d.DomId == 1).Connectors[1];
        int told = 0;
        void Count(Client.Services.DashboardChange c) { if (c.HasFlag(Client.Services.DashboardChange.Topology)) Interlocked.Increment(ref told); }
        feed.Changed += Count;
        try
        {
            var set = Controls.SetWorkload(1, 1, new WorkloadRequest("motion", 24));
            Assert.True(set.Succeeded, set.Text);
            await Pages.Poll.UntilAsync(() => Task.FromResult(Volatile.Read(ref told) > 0), "no page was told of the workload set through the service");
            Assert.Contains(feed.Domains(), d => d.DomId == 1 && d.Connectors[1].Workload == "motion");
        }
        finally
        {
            feed.Changed -= Count;
            Controls.SetWorkload(1, 1, new WorkloadRequest(before.Workload, before.FramesPerSecond));
        }
    }

    /// <summary>Waits until the feed has gone a second without a topology change.</summary>
    private static async Task WaitForQuietAsync(Client.Services.IDashboardFeed feed)
    {
        var last = DateTime.UtcNow;
        void Note(Client.Services.DashboardChange c) { if (c.HasFlag(Client.Services.DashboardChange.Topology)) last = DateTime.UtcNow; }
        feed.Changed += Note;
        try { await Pages.Poll.UntilAsync(() => Task.FromResult(DateTime.UtcNow - last > TimeSpan.FromSeconds(1)), "the topology never settled"); }
        finally { feed.Changed -= Note; }
    }
}
