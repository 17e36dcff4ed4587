using XenDisplayWeb.Shared.Backend;
using XenDisplayWeb.Shared.Host;

namespace XenDisplayWeb.Fuzzing;

/// <summary>The kinds of phase a run picks from.</summary>
[Flags]
public enum FuzzPhases
{
    /// <summary>One hostile guest, step by step (<see cref="HostilePhase"/>).</summary>
    Hostile = 1,

    /// <summary>One guest's connectors at once, on shared cookies (<see cref="ConcurrentPhase"/>).</summary>
    Concurrent = 2,

    /// <summary>Guests created, drawing, destroyed abruptly (<see cref="ChurnPhase"/>).</summary>
    Churn = 4,

    /// <summary>Hostile kbdif guests beside a good one fed input (<see cref="KbdifPhase"/>).</summary>
    Kbdif = 8,

    All = Hostile | Concurrent | Churn | Kbdif,
}

/// <summary>
/// Drives hostile guests against the backend, in phases, while a well-behaved guest keeps flipping, and checks
/// the invariants (<see cref="Checks"/>) after every step, or at every quiescent point of a concurrent phase.
/// Each phase draws its kind and all its decisions from its own <see cref="Random"/>, seeded from the run's
/// seed: a printed seed and phase number replay that phase (<c>onlyPhase</c>), repeated until the time is up
/// since the threads' interleaving is not seeded.
/// </summary>
public sealed class FuzzEngine(int seed, TimeSpan duration, Action<string>? log = null, FuzzPhases phases = FuzzPhases.All, int? onlyPhase = null)
{
    private const int GoodDomId = 1;
    private static readonly TimeSpan FirstFrameTimeout = TimeSpan.FromSeconds(10);
    private readonly Action<string> _log = log ?? (_ => { });
    private int _phase;

    public FuzzReport Run()
    {
        if ((phases & FuzzPhases.All) == 0) throw new ArgumentException("no phase kind to run", nameof(phases));
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
        KbdWorld? kbd = null;
        try
        {
            while (ctx.TimeLeft)
            {
                phase = onlyPhase ?? phase + 1;
                phasesRun++;
                Volatile.Write(ref _phase, phase);
                var rng = new Random(onlyPhase is null ? seeds.Next() : replaySeed);
                var kind = Pick(rng);
                try
                {
                    switch (kind)
                    {
                        case FuzzPhases.Hostile: HostilePhase.Run(ctx, phase, rng); break;
                        case FuzzPhases.Concurrent: new ConcurrentPhase(ctx, phase, rng).Run(); break;
                        case FuzzPhases.Kbdif: new KbdifPhase(ctx, kbd = Kbd(kbd, errors), phase, rng).Run(); break;
                        default: new ChurnPhase(ctx, phase, rng).Run(); break;
                    }
                }
                catch (Exception e) { findings.Crash(phase, $"{kind} phase: {e}"); }
                if (phasesRun % 20 == 0)
                    _log($"{ctx.Elapsed.TotalSeconds:F0}s phases={phasesRun} cases={ctx.Stats.Cases} hostile_guests={ctx.Stats.HostileGuests} concurrent_rounds={ctx.Stats.ConcurrentRounds} churned_guests={ctx.Stats.ChurnedGuests} kbdif_rounds={ctx.Stats.KbdifRounds}");
            }
        }
        finally { kbd?.Dispose(); }
        var elapsed = ctx.Elapsed;
        ctx.Checks.Alive(phase, "the end", _ => true);
        ctx.Checks.Errors(phase, "the end");
        var s = ctx.Stats;
        return new FuzzReport(s.Cases, findings.Crashes, findings.InvariantFailures, seed, elapsed, s.HostileGuests, findings.Notes)
        {
            Phases = phasesRun,
            ConcurrentGuests = s.ConcurrentGuests,
            ConcurrentRounds = s.ConcurrentRounds,
            ChurnedGuests = s.ChurnedGuests,
            KbdifRounds = s.KbdifRounds,
            KbdifEvents = s.KbdifEvents,
            FirstFailedPhase = findings.FirstPhase,
            Kinds = phases,
        };
    }

    /// <summary>The kbdif world, made on first use and again after a call into its backend hung (the old one is left as it is).</summary>
    private static KbdWorld Kbd(KbdWorld? world, ErrorCounter errors) => world is { Hung: false } ? world : new KbdWorld(errors);

    /// <summary>The phase's kind, among those allowed: hostile guests most often, the races and kbdif next, churn least.</summary>
    private FuzzPhases Pick(Random rng)
    {
        (FuzzPhases Kind, int Weight)[] weights = [(FuzzPhases.Hostile, 5), (FuzzPhases.Concurrent, 3), (FuzzPhases.Kbdif, 3), (FuzzPhases.Churn, 2)];
        var allowed = weights.Where(w => (phases & w.Kind) != 0).ToList();
        int roll = rng.Next(allowed.Sum(w => w.Weight));
        foreach (var (kind, weight) in allowed)
        {
            if (roll < weight) return kind;
            roll -= weight;
        }
        return allowed[^1].Kind;
    }
}
