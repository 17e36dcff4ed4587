using System.Diagnostics;
using XenDisplayWeb.Benchmarks;

// Prints figures for the PV display core. Usage:
//   dotnet run -c Release --project tests/XenDisplayWeb.Benchmarks -- [core] [--round-trips N] [--no-ref]
var argv = args.ToList();
int roundTrips = argv.IndexOf("--round-trips") is var i and >= 0 ? int.Parse(argv[i + 1]) : 200_000;
bool withRef = !argv.Contains("--no-ref");

Console.WriteLine($"# XenDisplayWeb core benchmarks, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
RingBenchmark.Run(roundTrips, withRef);
DbufBenchmark.Run();
