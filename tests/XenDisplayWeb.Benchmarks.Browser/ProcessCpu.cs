using System.Diagnostics;

namespace XenDisplayWeb.Benchmarks.Browser;

/// <summary>
/// CPU time of a set of processes over a window, from /proc (user plus system time). A process that starts in
/// the window counts whole; one that ends in it is lost (the benchmark opens its pages before the window).
/// </summary>
public sealed class ProcessCpu
{
    private readonly Func<IEnumerable<int>> _processes;
    private Dictionary<int, TimeSpan> _start = [];
    private long _startTicks;

    public ProcessCpu(Func<IEnumerable<int>> processes) => _processes = processes;

    public void Start()
    {
        _start = Sample();
        _startTicks = Stopwatch.GetTimestamp();
    }

    /// <summary>Cores used since <see cref="Start"/>: CPU seconds per wall-clock second.</summary>
    public double Cores()
    {
        var end = Sample();
        double wall = Stopwatch.GetElapsedTime(_startTicks).TotalSeconds;
        double cpu = end.Sum(p => (p.Value - _start.GetValueOrDefault(p.Key)).TotalSeconds);
        return cpu / wall;
    }

    private Dictionary<int, TimeSpan> Sample()
    {
        var times = new Dictionary<int, TimeSpan>();
        foreach (int pid in _processes())
        {
            try
            {
                using var p = Process.GetProcessById(pid);
                times[pid] = p.TotalProcessorTime;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException) { } // gone meanwhile
        }
        return times;
    }

    /// <summary>Every process descended from <paramref name="root"/> whose command name is <paramref name="comm"/>.</summary>
    public static IEnumerable<int> Descendants(int root, string comm)
    {
        var parent = new Dictionary<int, int>();
        var name = new Dictionary<int, string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            string stat;
            try { stat = File.ReadAllText(Path.Combine(dir, "stat")); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split at the last ')'.
            int open = stat.IndexOf('('), close = stat.LastIndexOf(')');
            if (open < 0 || close < open) continue;
            name[pid] = stat[(open + 1)..close];
            var rest = stat[(close + 2)..].Split(' ');
            if (rest.Length > 1 && int.TryParse(rest[1], out int ppid)) parent[pid] = ppid;
        }
        foreach (var (pid, _) in parent)
        {
            if (name[pid] != comm) continue;
            for (int up = pid; parent.TryGetValue(up, out int p) && up != 1; up = p)
                if (p == root) { yield return pid; break; }
        }
    }
}
