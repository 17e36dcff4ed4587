using System.Globalization;

namespace XenDisplayWeb.Fuzzing;

/// <summary>What a fuzzing run did and found. <see cref="Line"/> is the summary the program and the test print.</summary>
public sealed record FuzzReport(long Cases, long Crashes, long InvariantFailures, int Seed, TimeSpan Elapsed, int HostileGuests, IReadOnlyList<string> Failures)
{
    public int Phases { get; init; }
    public int ConcurrentGuests { get; init; }
    public int ConcurrentRounds { get; init; }
    public int ChurnedGuests { get; init; }

    /// <summary>Hostile kbdif guests driven, one per round, and the good kbdif guest's events checked.</summary>
    public int KbdifRounds { get; init; }
    public long KbdifEvents { get; init; }

    /// <summary>The first phase that found something (replay it with the seed); null when nothing was found.</summary>
    public int? FirstFailedPhase { get; init; }

    /// <summary>The kinds of phase the run picked from: a phase replays as the same kind only among the same kinds.</summary>
    public FuzzPhases Kinds { get; init; } = FuzzPhases.All;

    public double CasesPerSecond => Elapsed.TotalSeconds > 0 ? Cases / Elapsed.TotalSeconds : 0;

    public string Line => string.Create(CultureInfo.InvariantCulture,
        $"cases={Cases} crashes={Crashes} invariant_failures={InvariantFailures} seed={Seed} cases_per_s={CasesPerSecond:F0} seconds={Elapsed.TotalSeconds:F1} hostile_guests={HostileGuests} concurrent_guests={ConcurrentGuests} concurrent_rounds={ConcurrentRounds} churned_guests={ChurnedGuests} kbdif_rounds={KbdifRounds} kbdif_events={KbdifEvents} phases={Phases}");

    /// <summary>How to replay the first failure; null when nothing was found.</summary>
    public string? Replay => FirstFailedPhase is { } p
        ? string.Create(CultureInfo.InvariantCulture, $"replay with --seed {Seed} --phase {p}{(Kinds == FuzzPhases.All ? "" : $" --phases {Kinds.ToString().Replace(" ", "").ToLowerInvariant()}")}")
        : null;
}
