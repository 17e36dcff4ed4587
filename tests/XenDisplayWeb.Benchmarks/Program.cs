using System.Diagnostics;
using XenDisplayWeb.Benchmarks;

// Prints figures for the PV display core. Usage:
//   dotnet run -c Release --project tests/XenDisplayWeb.Benchmarks -- [core] [--round-trips N] [--no-ref]
//   dotnet run -c Release --project tests/XenDisplayWeb.Benchmarks -- streaming [--seconds S]
var argv = args.ToList();
if (argv.Contains("streaming"))
{
    double seconds = argv.IndexOf("--seconds") is var s and >= 0 ? double.Parse(argv[s + 1], System.Globalization.CultureInfo.InvariantCulture) : 5;
    Console.WriteLine($"# XenDisplayWeb streaming benchmarks, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
    StreamingBenchmark.Run(seconds);
    return;
}
int roundTrips = argv.IndexOf("--round-trips") is var i and >= 0 ? int.Parse(argv[i + 1]) : 200_000;
bool withRef = !argv.Contains("--no-ref");

Console.WriteLine($"# XenDisplayWeb core benchmarks, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
RingBenchmark.Run(roundTrips, withRef);
DbufBenchmark.Run();
