using XenDisplayWeb.Shared.Backend;
using XenDisplayWeb.Shared.Host;

namespace XenDisplayWeb.Fuzzing;

/// <summary>
/// Drives hostile guests against the backend, in phases, while a well-behaved guest keeps flipping, and checks
/// the invariants (<see cref="Checks"/>) after every step. Each phase draws all its decisions from its own
/// <see cref="Random"/>, seeded from the run's seed: a printed seed and phase number replay that phase
/// (<c>onlyPhase</c>), repeated until the time is up.
/// </summary>
public sealed class FuzzEngine(int seed, TimeSpan duration, Action<string>? log = null, int? onlyPhase = null)
{
    private const int GoodDomId = 1;
    private static readonly TimeSpan FirstFrameTimeout = TimeSpan.FromSeconds(10);
    private readonly Action<string> _log = log ?? (_ => { });
    private int _phase;

    public FuzzReport Run()
    {
        var errors = new ErrorCounter();
        var sink = new ReadingSink();
        var options = new BackendOptions { Limits = { MaxDbufs = 16, MaxMappedBytes = 32L << 20, MaxBackendAllocatedBytes = 16L << 20 } };
        using var system = new SimulatedSystem(sink, options, loggers: errors);
        system.Timeouts.Request = TimeSpan.FromMilliseconds(250);
        var findings = new Findings(_log);
        var goodKey = new ConnectorKey(GoodDomId, 0, 0);
        var ctx = new FuzzContext(system, new GuestConsole(system), sink, new Checks(system, findings, errors, goodKey, sink), findings, duration);
        sink.Backend = () => system.Backend;
        sink.ReadAfterFree = (_, text) => findings.Invariant(Volatile.Read(ref _phase), text);
        sink.SlowReader = key => ctx.SlowReaders.ContainsKey(key.DomId);

        system.StartGuest(new GuestSpec(GoodDomId, "good", false, [new GuestConnector(64, 48, "good-0", "motion", 120)]));
        ctx.WaitFor(0, () => sink.Frames(goodKey) > 0, FirstFrameTimeout, "the good guest's first frame");

        var seeds = new Random(seed);
        int replaySeed = 0;
        for (int p = 1; p <= (onlyPhase ?? 0); p++) replaySeed = seeds.Next();
        int phase = 0, phasesRun = 0;
        while (ctx.TimeLeft)
        {
            phase = onlyPhase ?? phase + 1;
            phasesRun++;
            Volatile.Write(ref _phase, phase);
            var rng = new Random(onlyPhase is null ? seeds.Next() : replaySeed);
            try { HostilePhase.Run(ctx, phase, rng); }
            catch (Exception e) { findings.Crash(phase, $"hostile phase: {e}"); }
            if (phasesRun % 20 == 0)
                _log($"{ctx.Elapsed.TotalSeconds:F0}s phases={phasesRun} cases={ctx.Stats.Cases} hostile_guests={ctx.Stats.HostileGuests}");
        }
        var elapsed = ctx.Elapsed;
        ctx.Checks.Alive(phase, "the end", _ => true);
        ctx.Checks.Errors(phase, "the end");
        var s = ctx.Stats;
        return new FuzzReport(s.Cases, findings.Crashes, findings.InvariantFailures, seed, elapsed, s.HostileGuests, findings.Notes)
        {
            Phases = phasesRun,
            FirstFailedPhase = findings.FirstPhase,
        };
    }
}
