using System.Globalization;
using XenDisplayWeb.Fuzzing;

// dotnet run -c Release --project tests/XenDisplayWeb.Fuzzer -- [--seconds N] [--seed S]
int seconds = 60;
int seed = Random.Shared.Next();
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--seconds" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0:
            seconds = s; i++; break;
        case "--seed" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v):
            seed = v; i++; break;
        default:
            Console.Error.WriteLine($"unknown or incomplete argument '{args[i]}'; usage: [--seconds N] [--seed S]");
            return 2;
    }
}

Console.WriteLine($"# XenDisplayWeb fuzzer: seed={seed} seconds={seconds} (replay with --seed {seed})");
var report = new FuzzEngine(seed, TimeSpan.FromSeconds(seconds), Console.WriteLine).Run();
foreach (var f in report.Failures) Console.WriteLine("# " + f);
Console.WriteLine(report.Line);
return report.Crashes == 0 && report.InvariantFailures == 0 ? 0 : 1;
