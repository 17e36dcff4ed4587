using System.Diagnostics;
using System.Text.RegularExpressions;

namespace XenDisplayWeb.Benchmarks.Browser;

/// <summary>
/// Bytes the server put on the wire: the kernel's count of TCP payload bytes acknowledged by the peer
/// (<c>bytes_acked</c> in <c>ss -ti</c>) summed over the server port's established connections. Everything the
/// pages receive (the hub's WebSocket frames and any HTTP), without TCP/IP headers.
/// </summary>
public sealed partial class WireBytes(int serverPort)
{
    private long _start;
    private long _startTicks;

    public void Start()
    {
        _start = Acked();
        _startTicks = Stopwatch.GetTimestamp();
    }

    public double BytesPerSecond() => (Acked() - _start) / Stopwatch.GetElapsedTime(_startTicks).TotalSeconds;

    private long Acked()
    {
        var start = new ProcessStartInfo("ss", ["-tinH", "state", "established", $"( sport = :{serverPort} )"]) { RedirectStandardOutput = true };
        using var ss = Process.Start(start) ?? throw new InvalidOperationException("ss (iproute2) did not start");
        string output = ss.StandardOutput.ReadToEnd();
        ss.WaitForExit();
        if (ss.ExitCode != 0) throw new InvalidOperationException($"ss exited with {ss.ExitCode}");
        return BytesAcked().Matches(output).Sum(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"\bbytes_acked:(\d+)")]
    private static partial Regex BytesAcked();
}
