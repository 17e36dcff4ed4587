using XenDisplayWeb.Shared.Backend;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Host;

namespace XenDisplayWeb.Shared.Tests.Host;

public class SimulatedSystemControlsTests
{
    private static (SimulatedSystem System, RecordingSink Sink) Start(bool beAlloc = false, params (int W, int H)[] modes)
    {
        var sink = new RecordingSink();
        var system = new SimulatedSystem(sink);
        if (modes.Length == 0) modes = [(320, 200)];
        system.StartGuest(new GuestSpec(1, "guest1", beAlloc,
            modes.Select((m, i) => new GuestConnector(m.W, m.H, $"conn{i}", "testpattern", 120)).ToList()));
        return (system, sink);
    }

    /// <summary>Both ends connected with these modes, and each connector has shown a frame of its mode since <paramref name="framesBefore"/>.</summary>
    private static void WaitShowing(SimulatedSystem system, RecordingSink sink, (int W, int H)[] modes, int[]? framesBefore = null)
    {
        TestRig.WaitUntil(() =>
        {
            var device = system.Backend.Device(1);
            var drm = system.Guest(1)!.Front.Device;
            if (device is not { State: XenbusState.Connected } || drm is null) return false;
            if (drm.Connectors.Count != modes.Length || device.Connectors.Count != modes.Length) return false;
            for (int i = 0; i < modes.Length; i++)
            {
                var screen = sink.Of(1, i);
                if (drm.Connectors[i].Width != modes[i].W || drm.Connectors[i].Height != modes[i].H) return false;
                if (screen.FrameWidth != modes[i].W || screen.FrameHeight != modes[i].H) return false;
                if (framesBefore is not null && i < framesBefore.Length && screen.Frames <= framesBefore[i]) return false;
            }
            return true;
        }, $"the guest to show {string.Join(", ", modes.Select(m => $"{m.W}x{m.H}"))}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_new_resolution_reconnects_the_device_and_the_guest_draws_at_the_new_size(bool beAlloc)
    {
        var (system, sink) = Start(beAlloc, (320, 200));
        using var _ = system;
        WaitShowing(system, sink, [(320, 200)]);
        var states = new List<XenbusState>();
        system.Guest(1)!.Front.StateChanged += f => { lock (states) states.Add(f.State); };

        await system.SetResolutionAsync(1, 0, 640, 360);

        WaitShowing(system, sink, [(640, 360)]);
        lock (states) Assert.Contains(XenbusState.Reconfiguring, states);
        Assert.Equal("640x360", system.Host.Store.Connect(0).Read($"{XenDisplayWeb.Shared.Displif.Displif.FrontendPath(1, 0)}/0/resolution"));
        Assert.Equal(640, system.Backend.Device(1)!.Connectors[0].Width);
        Assert.Equal(640, system.Guest(1)!.Spec.Connectors[0].Width);
    }

    [Fact]
    public async Task Adding_then_removing_a_connector_gives_the_guest_a_second_screen_then_takes_it_away()
    {
        var (system, sink) = Start(false, (320, 200));
        using var _ = system;
        WaitShowing(system, sink, [(320, 200)]);

        int index = await system.AddConnectorAsync(1, new GuestConnector(256, 128, "extra", "motion", 120));

        Assert.Equal(1, index);
        WaitShowing(system, sink, [(320, 200), (256, 128)]);
        Assert.Equal("motion", system.Guest(1)!.Settings[1].Workload);

        int[] before = [sink.Of(1, 0).Frames];
        await system.RemoveConnectorAsync(1, 1);

        WaitShowing(system, sink, [(320, 200)], before);
        Assert.Single(system.Guest(1)!.Spec.Connectors);
        Assert.Null(system.Host.Store.Connect(0).Read($"{XenDisplayWeb.Shared.Displif.Displif.FrontendPath(1, 0)}/1/resolution"));
    }

    [Fact]
    public async Task The_last_connector_cannot_be_removed_and_unknown_ones_are_named()
    {
        var (system, sink) = Start(false, (320, 200));
        using var _ = system;
        WaitShowing(system, sink, [(320, 200)]);

        var last = await Assert.ThrowsAsync<ControlException>(() => system.RemoveConnectorAsync(1, 0));
        Assert.Equal(ControlFailure.Conflict, last.Failure);
        var noConnector = await Assert.ThrowsAsync<ControlException>(() => system.SetResolutionAsync(1, 3, 640, 480));
        Assert.Equal(ControlFailure.UnknownConnector, noConnector.Failure);
        Assert.Contains("1/3", noConnector.Message);
        var noDomain = await Assert.ThrowsAsync<ControlException>(() => system.AddConnectorAsync(7, new GuestConnector(64, 64, "x", "motion")));
        Assert.Equal(ControlFailure.UnknownDomain, noDomain.Failure);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => system.SetResolutionAsync(1, 0, 5000, 480));
    }

    [Fact]
    public async Task A_fifth_connector_is_refused()
    {
        var (system, sink) = Start(false, (64, 64), (64, 64), (64, 64), (64, 64));
        using var _ = system;
        WaitShowing(system, sink, [(64, 64), (64, 64), (64, 64), (64, 64)]);
        var e = await Assert.ThrowsAsync<ControlException>(() => system.AddConnectorAsync(1, new GuestConnector(64, 64, "fifth", "motion")));
        Assert.Equal(ControlFailure.Conflict, e.Failure);
    }

    [Fact]
    public void Link_down_disconnects_the_guests_connector_and_link_up_resumes_flipping()
    {
        var (system, sink) = Start(false, (320, 200));
        using var _ = system;
        WaitShowing(system, sink, [(320, 200)]);
        var conn = system.Guest(1)!.Front.Device!.Connectors[0];

        system.SetLink(1, 0, up: false);
        Assert.False(conn.LinkConnected);

        int shown = sink.Of(1, 0).Frames;
        system.SetLink(1, 0, up: true);
        Assert.True(conn.LinkConnected);
        TestRig.WaitUntil(() => sink.Of(1, 0).Frames > shown + 2, "frames after the link came back");
    }

    [Fact]
    public void A_workload_change_applies_to_the_running_compositor()
    {
        var (system, sink) = Start(false, (320, 200));
        using var _ = system;
        var settings = system.SetWorkload(1, 0, "motion", 30);
        Assert.Same(settings, system.Guest(1)!.Settings[0]);
        Assert.Equal(("motion", 30.0), (settings.Workload, settings.FramesPerSecond));
        Assert.Throws<ArgumentException>(() => system.SetWorkload(1, 0, "nonsense", null));
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(GuestSpecLimits.MaxFramesPerSecond + 1)]
    [InlineData(double.NaN)]
    public void A_frame_rate_outside_the_one_limit_is_refused_and_keeps_the_rate(double fps)
    {
        var (system, _) = Start(false, (320, 200));
        using var _s = system;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => system.SetWorkload(1, 0, null, fps));
        Assert.Contains(GuestSpecLimits.FramesPerSecondProblem(fps)!, e.Message);
        Assert.Equal(system.Guest(1)!.Spec.Connectors[0].FramesPerSecond, system.Guest(1)!.Settings[0].FramesPerSecond);
    }

    [Fact]
    public async Task A_resolution_change_while_the_backend_is_dead_is_served_once_it_restarts()
    {
        var (system, sink) = Start(false, (320, 200));
        using var _ = system;
        WaitShowing(system, sink, [(320, 200)]);
        system.KillBackend();

        await system.SetResolutionAsync(1, 0, 400, 300);
        system.RestartBackend();

        WaitShowing(system, sink, [(400, 300)]);
    }
}
