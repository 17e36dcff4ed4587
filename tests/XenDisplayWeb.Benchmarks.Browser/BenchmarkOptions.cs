using System.Globalization;

namespace XenDisplayWeb.Benchmarks.Browser;

/// <summary>The benchmark's command line.</summary>
public sealed record BenchmarkOptions(
    double Seconds, double LatencySeconds, double CalibrationSeconds, double MemoryMinutes, int PsnrShots,
    (int Width, int Height) Viewport, IReadOnlyList<string> Workloads, bool DecodeCeiling, int? DecodeRect, string? TraceDir, bool CeilingOnly,
    int InputSamples, bool InputOnly)
{
    public static readonly IReadOnlyList<string> AllWorkloads = ["desktop", "motion", "overview"];

    public const string Usage =
        "[--seconds 20] [--latency-seconds 5] [--calibration-seconds 5] [--psnr-shots 5] [--memory-minutes 10] [--viewport 1920x1080] " +
        "[--workload desktop|motion|overview] [--decode-ceiling [--decode-rect 512]] [--trace DIR] [--input-samples 120] | --only input [--input-samples 120] | --ceiling-only";

    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var argv = args.ToList();
        string? Value(string name) => argv.IndexOf(name) is var i and >= 0 ? (i + 1 < argv.Count ? argv[i + 1] : throw new ArgumentException($"{name} needs a value; usage: {Usage}")) : null;
        double Number(string name, double fallback, double min) =>
            Value(name) is { } v ? (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d >= min ? d
                : throw new ArgumentException($"{name} takes a number of at least {min}, not '{v}'")) : fallback;
        var workloads = Value("--workload") is { } w
            ? (AllWorkloads.Contains(w) ? [w] : throw new ArgumentException($"--workload takes {string.Join(", ", AllWorkloads)}, not '{w}'"))
            : AllWorkloads;
        return new BenchmarkOptions(
            Seconds: Number("--seconds", 20, 0),
            LatencySeconds: Number("--latency-seconds", 5, 1),
            CalibrationSeconds: Number("--calibration-seconds", 5, 1),
            MemoryMinutes: Number("--memory-minutes", 10, 0),
            PsnrShots: (int)Number("--psnr-shots", 5, 0),
            Viewport: Value("--viewport") is { } vp ? ParseSize(vp) : (1920, 1080),
            Workloads: workloads,
            DecodeCeiling: argv.Contains("--decode-ceiling"),
            DecodeRect: Value("--decode-rect") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : null,
            TraceDir: Value("--trace"),
            CeilingOnly: argv.Contains("--ceiling-only"),
            InputSamples: (int)Number("--input-samples", 120, 0),
            InputOnly: Value("--only") is { } only ? (only == "input" ? true : throw new ArgumentException($"--only takes input, not '{only}'")) : false);
    }

    private static (int Width, int Height) ParseSize(string text)
    {
        var parts = text.Split('x');
        if (parts.Length != 2 || !int.TryParse(parts[0], out int w) || !int.TryParse(parts[1], out int h) || w < 320 || h < 240)
            throw new ArgumentException($"--viewport takes WIDTHxHEIGHT, at least 320x240, not '{text}'");
        return (w, h);
    }
}
