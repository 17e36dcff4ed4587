using System.Globalization;
using XenDisplayWeb.Fuzzing;

// dotnet run -c Release --project tests/XenDisplayWeb.Fuzzer -- [--seconds N] [--seed S] [--phase P] [--phases hostile,concurrent,churn,kbdif]
const string Usage = "usage: [--seconds N] [--seed S] [--phase P] [--phases hostile,concurrent,churn,kbdif]";
int seconds = 60;
int seed = Random.Shared.Next();
int? phase = null;
var phases = FuzzPhases.All;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--seconds" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0:
            seconds = s; i++; break;
        case "--seed" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v):
            seed = v; i++; break;
        case "--phase" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0:
            phase = p; i++; break;
        case "--phases" when i + 1 < args.Length && TryParsePhases(args[i + 1], out var k):
            phases = k; i++; break;
        default:
            Console.Error.WriteLine($"unknown or incomplete argument '{args[i]}'; {Usage}");
            return 2;
    }
}

string only = phase is { } one ? $" phase={one} (repeated)" : "";
Console.WriteLine($"# XenDisplayWeb fuzzer: seed={seed} seconds={seconds} phases={phases}{only} (replay with --seed {seed})");
var report = new FuzzEngine(seed, TimeSpan.FromSeconds(seconds), Console.WriteLine, phases, phase).Run();
foreach (var f in report.Failures) Console.WriteLine("# " + f);
if (report.Replay is { } replay) Console.WriteLine("# " + replay);
Console.WriteLine(report.Line);
return report.Crashes == 0 && report.InvariantFailures == 0 ? 0 : 1;

static bool TryParsePhases(string text, out FuzzPhases phases)
{
    phases = 0;
    foreach (var name in text.Split(','))
    {
        if (!Enum.TryParse<FuzzPhases>(name, ignoreCase: true, out var one) || !Enum.IsDefined(one) || one == FuzzPhases.All && name != "all") return false;
        phases |= one;
    }
    return phases != 0;
}
