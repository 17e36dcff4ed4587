using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Host;
using XenDisplayWeb.Shared.Xen;
using D = XenDisplayWeb.Shared.Displif.Displif;

namespace XenDisplayWeb.Shared.Tests.Host;

/// <summary>Everything a guest had goes when it goes, and its domain id comes back for a later guest, which starts afresh.</summary>
public class GuestLifetimeTests
{
    private static readonly GuestConnector Small = new(64, 48, "c0", "testpattern", 60);

    private static Guest Flipping(GuestConsole console, string name)
    {
        var g = console.CreateGuest(name, false, [Small]);
        TestRig.WaitUntil(() => console.System.Backend.Device(g.DomId)?.Connectors.FirstOrDefault()?.FramesShown > 0, $"{name} to show a frame");
        return g;
    }

    [Fact]
    public void A_guest_destroyed_through_the_console_leaves_no_timer_behind()
    {
        var clock = new ObservedTimeProvider();
        using var system = new SimulatedSystem(new RecordingSink(), time: clock);
        var console = new GuestConsole(system);
        int before = clock.LiveTimers;
        // On the fake clock the guest shows its first frame, then waits for the clock to draw the next.
        var g = Flipping(console, "timed");
        Assert.True(clock.LiveTimers > before);

        console.DestroyGuest(g.DomId);

        TestRig.WaitUntil(() => system.Backend.Device(g.DomId) is null, "the backend to drop the device");
        TestRig.WaitUntil(() => clock.LiveTimers == before, $"the timers to come back to the {before} of the system alone");
        Assert.Equal(0, g.Front.DeferredPages);
    }

    [Fact]
    public void A_destroyed_guest_leaves_no_node_in_the_backends_directory_when_the_backend_hears_of_its_frontend_last()
    {
        using var system = new SimulatedSystem(new RecordingSink());
        var console = new GuestConsole(system);
        var g = Flipping(console, "late");
        // The backend's watches run one at a time, in order, on its XenStore connection: hold them while the guest
        // goes, so the frontend's disappearance reaches the backend after the toolstack has removed the device's directory.
        using var hold = new ManualResetEventSlim();
        using var held = new ManualResetEventSlim();
        using var drained = new ManualResetEventSlim();
        using var registered = new ManualResetEventSlim();
        int phase = 0; // 0: the watch's first firing, 1: hold the watches, 2: say every earlier event has run
        var dom0 = system.Host.Dom0.Store;
        using var gate = dom0.Watch("/test-gate", "gate", (_, _) =>
        {
            switch (Volatile.Read(ref phase))
            {
                case 0: registered.Set(); break;
                case 1: held.Set(); hold.Wait(); break;
                case 2: drained.Set(); break;
            }
        });
        Assert.True(registered.Wait(TimeSpan.FromSeconds(10)), "the gate's watch fired once on registration");
        Volatile.Write(ref phase, 1);
        dom0.Write("/test-gate", "hold");
        Assert.True(held.Wait(TimeSpan.FromSeconds(10)), "the backend's watches are held");

        console.DestroyGuest(g.DomId);
        Volatile.Write(ref phase, 2);
        hold.Set();
        dom0.Write("/test-gate", "drain");
        Assert.True(drained.Wait(TimeSpan.FromSeconds(10)), "the backend's watches ran");

        Assert.Null(system.Backend.Device(g.DomId));
        Assert.False(dom0.Exists($"{D.BackendRoot(DomId.Dom0)}/{g.DomId}"), "the backend wrote its state into the removed directory");
    }

    /// <summary>Remembers every category asked for: a logger factory keeps one logger per category for good.</summary>
    private sealed class CategoryRecorder : ILoggerFactory
    {
        public System.Collections.Concurrent.ConcurrentDictionary<string, byte> Categories { get; } = new();
        public ILogger CreateLogger(string categoryName) { Categories.TryAdd(categoryName, 0); return NullLogger.Instance; }
        public void AddProvider(ILoggerProvider provider) { }
        public void Dispose() { }
    }

    [Fact]
    public void Guests_share_their_logger_categories_so_the_logger_factory_does_not_grow_with_each_one()
    {
        var loggers = new CategoryRecorder();
        using var system = new SimulatedSystem(new RecordingSink(), loggers: loggers);
        var console = new GuestConsole(system);
        console.DestroyGuest(Flipping(console, "first").DomId);
        int categories = loggers.Categories.Count;

        for (int i = 0; i < 3; i++) console.DestroyGuest(Flipping(console, $"next{i}").DomId);

        Assert.Equal(categories, loggers.Categories.Count);
    }

    [Fact]
    public void A_freed_domain_id_comes_back_after_the_ids_wrap_and_its_new_guest_inherits_nothing()
    {
        using var system = new SimulatedSystem(new RecordingSink(), maxDomId: 3);
        var console = new GuestConsole(system);
        var a = Flipping(console, "a");
        Flipping(console, "b");
        Assert.Equal(1, a.DomId);
        system.SetZeroCopy(a.DomId, false);

        console.DestroyGuest(a.DomId);
        TestRig.WaitUntil(() => system.Backend.Device(1) is null, "the backend to drop a's device");
        Assert.Null(system.Backend.BufferMemory(1));
        Assert.Equal(3, Flipping(console, "c").DomId);
        var d = Flipping(console, "d");

        Assert.Equal(1, d.DomId);
        Assert.True(system.IsZeroCopy(1), "a's zero-copy switch is not d's");
        Assert.Equal(XenbusState.Connected.ToString(), console.Backend(1).State);
        var full = Assert.Throws<GuestConsoleException>(() => console.CreateGuest("e", false, [Small]));
        Assert.Equal(GuestConsoleError.Conflict, full.Error);
    }

    [Fact]
    public void The_console_never_hands_out_an_id_past_the_last_guest_id()
    {
        using var system = new SimulatedSystem(new RecordingSink());
        var console = new GuestConsole(system);
        system.StartGuest(new GuestSpec(DomId.MaxGuest, "last", false, [Small]));

        var g = Flipping(console, "next");

        Assert.InRange(g.DomId, 1, DomId.MaxGuest - 1);
    }
}
