using System.Globalization;
using Xunit.Abstractions;

namespace XenDisplayWeb.Fuzzer.Tests;

public class FuzzerTests(ITestOutputHelper output)
{
    /// <summary>Runs the fuzzer for XDW_FUZZ_SECONDS (default 60) with XDW_FUZZ_SEED or a fresh seed, printed for replay.</summary>
    [Fact]
    public void Hostile_guests_cause_no_crash_and_break_no_invariant()
    {
        int seconds = int.TryParse(Environment.GetEnvironmentVariable("XDW_FUZZ_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 60;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("XDW_FUZZ_SEED"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : Random.Shared.Next();

        var report = new Fuzzing.FuzzEngine(seed, TimeSpan.FromSeconds(seconds)).Run();
        foreach (var f in report.Failures) output.WriteLine(f);
        output.WriteLine(report.Line);
        Console.WriteLine(report.Line);

        Assert.True(report.Cases > 0, report.Line);
        Assert.True(report.Crashes == 0 && report.InvariantFailures == 0, $"{report.Line}\n{string.Join("\n", report.Failures)}");
    }
}
