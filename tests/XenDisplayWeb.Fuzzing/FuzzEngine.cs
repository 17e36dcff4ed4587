using System.Diagnostics;
using XenDisplayWeb.Shared.Backend;
using XenDisplayWeb.Shared.Host;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Fuzzing;

/// <summary>
/// Drives hostile guests against the backend while a well-behaved guest keeps flipping, and checks after
/// every step: the backend is alive and logged no error, the good guest's frames keep coming, every
/// device's mappings as the host counts them equal what its live rings and buffers account for, and
/// nothing of a hostile guest stays mapped or allocated once it is torn down. Decisions come from one
/// seeded <see cref="Random"/>: a printed seed replays the same sequence of actions.
/// </summary>
public sealed class FuzzEngine
{
    private const int GoodDomId = 1;
    private static readonly TimeSpan FramesStall = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    private readonly int _seed;
    private readonly TimeSpan _duration;
    private readonly Action<string> _log;
    private readonly List<string> _failures = [];
    private long _cases, _crashes, _invariantFailures;

    public FuzzEngine(int seed, TimeSpan duration, Action<string>? log = null)
    {
        _seed = seed;
        _duration = duration;
        _log = log ?? (_ => { });
    }

    public FuzzReport Run()
    {
        var rng = new Random(_seed);
        var errors = new ErrorCounter();
        var sink = new ReadingSink();
        var options = new BackendOptions { Limits = { MaxDbufs = 16, MaxMappedBytes = 32L << 20, MaxBackendAllocatedBytes = 16L << 20 } };
        using var system = new SimulatedSystem(sink, options, loggers: errors);
        system.Timeouts.Request = TimeSpan.FromMilliseconds(250);
        var console = new GuestConsole(system);
        system.StartGuest(new GuestSpec(GoodDomId, "good", false, [new GuestConnector(64, 48, "good-0", "motion", 120)]));
        var goodKey = new ConnectorKey(GoodDomId, 0, 0);
        WaitFor(() => sink.Frames(goodKey) > 0, TimeSpan.FromSeconds(10), "the good guest's first frame");

        var clock = Stopwatch.StartNew();
        long lastFrames = sink.Frames(goodKey);
        var lastFrameAt = clock.Elapsed;
        int hostiles = 0;
        long errorsSeen = 0;
        while (clock.Elapsed < _duration)
        {
            bool beAlloc = rng.Next(3) == 0;
            Guest guest;
            try
            {
                guest = console.CreateGuest($"hostile{hostiles}", beAlloc,
                    [new GuestConnector(64, 48, "h-0", "testpattern", 20), new GuestConnector(32, 32, "h-1", "desktop", 5)]);
            }
            catch (Exception e) { Crash($"creating a hostile guest: {e}"); break; }
            hostiles++;
            var hostile = new HostileGuest(console, guest.DomId, rng);
            WaitFor(() => system.Backend.Device(guest.DomId)?.State == XenbusState.Connected && guest.Front.Device is not null,
                TimeSpan.FromSeconds(5), "the hostile guest to connect");

            int steps = rng.Next(20, 300);
            for (int s = 0; s < steps && clock.Elapsed < _duration; s++)
            {
                string what;
                try { what = hostile.Step(); }
                catch (Exception e) { Crash($"dom{guest.DomId} step {s}: {e.GetType().Name}: {e.Message}"); continue; }
                Interlocked.Increment(ref _cases);

                long logged = errors.Errors;
                if (logged > errorsSeen)
                {
                    Crash($"after '{what}': {errors.Messages.LastOrDefault()}", counted: logged - errorsSeen);
                    errorsSeen = logged;
                }
                CheckAlive(system, what);
                CheckMappings(system, GoodDomId, what);
                CheckMappings(system, guest.DomId, what);

                long frames = sink.Frames(goodKey);
                if (frames != lastFrames) { lastFrames = frames; lastFrameAt = clock.Elapsed; }
                else if (clock.Elapsed - lastFrameAt > FramesStall)
                {
                    Invariant($"the good guest showed no frame for {FramesStall.TotalSeconds} s (after '{what}')");
                    lastFrameAt = clock.Elapsed;
                }
                // A guest that broke its ring indices is done for: its requests would only time out. Tear it down.
                if (hostile.RingBroken || hostile.TimedOut >= 3 || system.Backend.Device(guest.DomId)?.Misbehaving == true) break;
            }

            // Tear down: usually a crash (the grants vanish under the backend), sometimes a clean shutdown.
            bool crash = rng.Next(10) < 7;
            try
            {
                if (crash) console.DestroyGuest(guest.DomId);
                else system.StopGuest(guest.DomId);
            }
            catch (Exception e) { Crash($"tearing down dom{guest.DomId}: {e}"); }
            CheckTornDown(system, guest.DomId, crash);
            if (hostiles % 10 == 0) _log($"{clock.Elapsed.TotalSeconds:F0}s cases={Interlocked.Read(ref _cases)} hostile_guests={hostiles}");
        }
        var elapsed = clock.Elapsed;
        CheckAlive(system, "the end");
        return new FuzzReport(Interlocked.Read(ref _cases), Interlocked.Read(ref _crashes), Interlocked.Read(ref _invariantFailures), _seed, elapsed, hostiles, _failures);
    }

    private void CheckAlive(SimulatedSystem system, string after)
    {
        if (!system.Backend.IsRunning) Invariant($"the backend stopped (after '{after}')");
        var good = system.Backend.Device(GoodDomId);
        if (good is null || good.Misbehaving || good.State != XenbusState.Connected)
            Invariant($"the good guest's device is {good?.State.ToString() ?? "gone"} {good?.MisbehavingReason} (after '{after}')");
        foreach (var d in system.Backend.Devices)
            if (d.MisbehavingReason?.Contains("backend error", StringComparison.Ordinal) == true)
                Crash($"dom{d.FrontDomId}: {d.MisbehavingReason}");
    }

    /// <summary>The host's count of the guest's grants mapped by dom0 equals the rings and buffer pages the device holds.</summary>
    private void CheckMappings(SimulatedSystem system, int domId, string after)
    {
        var sw = Stopwatch.StartNew();
        (int host, int device) last = default;
        while (sw.Elapsed < Settle)
        {
            var device = system.Backend.Device(domId);
            int before = system.Host.Dom0.MappingsOf(domId);
            int held = device?.MappedGrants ?? 0;
            int now = system.Host.Dom0.MappingsOf(domId);
            if (before == now && now == held) return;
            last = (now, held);
            Thread.Sleep(1); // a state change (misbehaving, reconnect) is under way on another thread
        }
        Invariant($"dom{domId}: dom0 maps {last.host} of its grants, its device accounts for {last.device} (after '{after}')");
    }

    private void CheckTornDown(SimulatedSystem system, int domId, bool crash)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < Settle)
        {
            system.Backend.ReclaimShared();
            bool mapped = system.Host.Dom0.MappingsOf(domId) > 0;
            bool shared = system.Host.Dom0.Grants.Snapshot().Any(g => g.GranteeDomId == domId);
            if (!mapped && !shared && system.Backend.Device(domId) is null) return;
            Thread.Sleep(2);
        }
        Invariant($"dom{domId} torn down ({(crash ? "destroyed" : "shut down")}): dom0 still maps {system.Host.Dom0.MappingsOf(domId)} of its grants, " +
            $"shares {system.Host.Dom0.Grants.Snapshot().Count(g => g.GranteeDomId == domId)} pages with it, device {system.Backend.Device(domId)?.State.ToString() ?? "gone"}");
    }

    private void WaitFor(Func<bool> condition, TimeSpan timeout, string what)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > timeout) { Invariant($"timed out waiting for {what}"); return; }
            Thread.Sleep(2);
        }
    }

    private void Crash(string text, long counted = 1)
    {
        Interlocked.Add(ref _crashes, counted);
        Note("crash: " + text);
    }

    private void Invariant(string text)
    {
        Interlocked.Increment(ref _invariantFailures);
        Note("invariant: " + text);
    }

    private void Note(string text)
    {
        lock (_failures) if (_failures.Count < 50) _failures.Add(text);
        _log(text);
    }
}
