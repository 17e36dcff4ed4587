using System.Diagnostics;
using XenDisplayWeb.Benchmarks;

// Prints figures for the PV display core. Usage:
//   dotnet run -c Release --project tests/XenDisplayWeb.Benchmarks -- [core] [--round-trips N] [--no-ref]
//   dotnet run -c Release --project tests/XenDisplayWeb.Benchmarks -- streaming [--seconds S]
//   dotnet run -c Release --project tests/XenDisplayWeb.Benchmarks -- zerocopy [--frames N] [--round-trips N]
//   dotnet run -c Release --project tests/XenDisplayWeb.Benchmarks -- video [--frames N] [--workload motion|desktop|testpattern]
//   dotnet run -c Release --project tests/XenDisplayWeb.Benchmarks -- scaler [--pictures N]
//   dotnet run -c Release --project tests/XenDisplayWeb.Benchmarks -- png   (BenchmarkDotNet, short job, in process)
var argv = args.ToList();
if (argv.Contains("zerocopy") || argv.Contains("ctb"))
{
    int frames = argv.IndexOf("--frames") is var f and >= 0 ? int.Parse(argv[f + 1]) : 300;
    int trips = argv.IndexOf("--round-trips") is var t and >= 0 ? int.Parse(argv[t + 1]) : 100_000;
    Console.WriteLine($"# XenDisplayWeb zero-copy and CTB benchmarks, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
    RingBenchmark.Run(trips, withRef: false);
    ZeroCopyCtbBenchmark.Run(frames, trips);
    return;
}
if (argv.Contains("video"))
{
    int frames = argv.IndexOf("--frames") is var f and >= 0 ? int.Parse(argv[f + 1]) : 300;
    string workload = argv.IndexOf("--workload") is var w and >= 0 ? argv[w + 1] : "motion";
    Console.WriteLine($"# XenDisplayWeb video benchmarks, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
    VideoBenchmark.Run(frames, workload);
    return;
}
if (argv.Contains("scaler"))
{
    int pictures = argv.IndexOf("--pictures") is var p and >= 0 ? int.Parse(argv[p + 1]) : 300;
    Console.WriteLine($"# XenDisplayWeb scaler benchmark, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
    ScalerBenchmark.Run(pictures);
    return;
}
if (argv.Contains("png"))
{
    Console.WriteLine($"# XenDisplayWeb live tile PNG encoders, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
    PngTileBenchmark.Run();
    return;
}
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
