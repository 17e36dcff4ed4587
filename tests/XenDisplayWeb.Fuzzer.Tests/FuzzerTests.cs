using System.Globalization;
using XenDisplayWeb.Fuzzing;
using Xunit.Abstractions;

namespace XenDisplayWeb.Fuzzer.Tests;

public class FuzzerTests(ITestOutputHelper output)
{
    /// <summary>Runs the fuzzer, every kind of phase, for XDW_FUZZ_SECONDS (default 60) with XDW_FUZZ_SEED or a fresh seed, printed for replay.</summary>
    [Fact]
    public void Hostile_guests_cause_no_crash_and_break_no_invariant()
    {
        int seconds = int.TryParse(Environment.GetEnvironmentVariable("XDW_FUZZ_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 60;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("XDW_FUZZ_SEED"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : Random.Shared.Next();

        var report = Run(new FuzzEngine(seed, TimeSpan.FromSeconds(seconds)));

        Assert.True(report.Cases > 0, report.Line);
        AssertClean(report);
    }

    /// <summary>
    /// A short run of the phases that race one guest's connectors against each other (shared cookies, limits
    /// filled to one short, destroys against flips and attaches) and churn guests, with a fixed seed. Before
    /// issue 11's fixes it finds the overshot limits, frames read from freed be-alloc pages, fbs left on a
    /// destroyed dbuf, and the double release of a buffer object.
    /// </summary>
    [Fact]
    public void Connectors_of_one_guest_at_once_and_guest_churn_break_no_invariant()
    {
        var report = Run(new FuzzEngine(20260511, TimeSpan.FromSeconds(20), phases: FuzzPhases.Concurrent | FuzzPhases.Churn));

        Assert.True(report.ConcurrentRounds > 0 && report.ChurnedGuests > 0, report.Line);
        AssertClean(report);
    }

    /// <summary>
    /// A short run of hostile kbdif guests beside a good one fed input, with a fixed seed. With KbdDevice's
    /// in_cons range checks taken out (an out-of-range in_cons taken as a full ring) it reports devices left
    /// connected after the probe; with its backlog not tracking held keys, releases refused and keys lost.
    /// </summary>
    [Fact]
    public void Hostile_kbdif_guests_break_no_invariant_and_the_good_guest_gets_its_input()
    {
        var report = Run(new FuzzEngine(20260512, TimeSpan.FromSeconds(20), phases: FuzzPhases.Kbdif));

        Assert.True(report.KbdifRounds > 0 && report.KbdifEvents > 0, report.Line);
        AssertClean(report);
    }

    private FuzzReport Run(FuzzEngine engine)
    {
        var report = engine.Run();
        foreach (var f in report.Failures) output.WriteLine(f);
        if (report.Replay is { } replay) output.WriteLine(replay);
        output.WriteLine(report.Line);
        Console.WriteLine(report.Line);
        return report;
    }

    private static void AssertClean(FuzzReport report) =>
        Assert.True(report.Crashes == 0 && report.InvariantFailures == 0, $"{report.Line}\n{report.Replay}\n{string.Join("\n", report.Failures)}");
}
