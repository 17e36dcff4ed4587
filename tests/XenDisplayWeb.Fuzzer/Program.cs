using System.Globalization;
using XenDisplayWeb.Fuzzing;

// dotnet run -c Release --project tests/XenDisplayWeb.Fuzzer -- [--seconds N] [--seed S] [--phase P]
const string Usage = "usage: [--seconds N] [--seed S] [--phase P]";
int seconds = 60;
int seed = Random.Shared.Next();
int? phase = null;
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
        default:
            Console.Error.WriteLine($"unknown or incomplete argument '{args[i]}'; {Usage}");
            return 2;
    }
}

string only = phase is { } one ? $" phase={one} (repeated)" : "";
Console.WriteLine($"# XenDisplayWeb fuzzer: seed={seed} seconds={seconds}{only} (replay with --seed {seed})");
var report = new FuzzEngine(seed, TimeSpan.FromSeconds(seconds), Console.WriteLine, phase).Run();
foreach (var f in report.Failures) Console.WriteLine("# " + f);
if (report.Replay is { } replay) Console.WriteLine("# " + replay);
Console.WriteLine(report.Line);
return report.Crashes == 0 && report.InvariantFailures == 0 ? 0 : 1;

