using System.Collections.Concurrent;
using System.Diagnostics;
using XenDisplayWeb.Shared.Backend;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Host;
using XenDisplayWeb.Shared.Workloads;

namespace XenDisplayWeb.Fuzzing;

/// <summary>What every phase works with: the system, the console, the checks, what was found so far, and the clock.</summary>
internal sealed class FuzzContext(SimulatedSystem system, GuestConsole console, ReadingSink sink, Checks checks, Findings findings, TimeSpan duration)
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public SimulatedSystem System { get; } = system;
    public GuestConsole Console { get; } = console;
    public ReadingSink Sink { get; } = sink;
    public Checks Checks { get; } = checks;
    public Findings Findings { get; } = findings;
    public FuzzStats Stats { get; } = new();

    /// <summary>Guests whose frames the sink holds a little while it reads them (a slow reader widens the races with DBUF_DESTROY).</summary>
    public ConcurrentDictionary<int, bool> SlowReaders { get; } = new();

    public TimeSpan Elapsed => _clock.Elapsed;
    public bool TimeLeft => _clock.Elapsed < duration;

    /// <summary>A guest through the console, or null (noted as a crash: the console must not fail on a valid guest).</summary>
    public Guest? CreateGuest(int phase, string name, bool beAlloc, IReadOnlyList<GuestConnector> connectors)
    {
        try { return Console.CreateGuest(name, beAlloc, connectors); }
        catch (Exception e)
        {
            Findings.Crash(phase, $"creating guest {name}: {e}");
            return null;
        }
    }

    /// <summary>Waits until the guest's device is connected on both sides and its driver offers a DRM device; an invariant fails if it does not.</summary>
    public bool WaitConnected(int phase, Guest guest) =>
        WaitFor(phase, () => System.Backend.Device(guest.DomId)?.State == XenbusState.Connected && guest.Front.Device is not null,
            ConnectTimeout, $"dom{guest.DomId} to connect");

    /// <summary>Polls <paramref name="condition"/> until it holds (true) or <paramref name="timeout"/> passes (false, and an invariant fails).</summary>
    public bool WaitFor(int phase, Func<bool> condition, TimeSpan timeout, string what)
    {
        if (Poll(condition, timeout)) return true;
        Findings.Invariant(phase, $"timed out waiting for {what}");
        return false;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds (true) or <paramref name="timeout"/> passes (false).</summary>
    public static bool Poll(Func<bool> condition, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > timeout) return false;
            Thread.Sleep(2);
        }
        return true;
    }

    /// <summary>Tears a guest down, then checks nothing of it is left.</summary>
    public void TearDown(int phase, int domId, bool crash)
    {
        Kill(phase, domId, crash);
        Checks.TornDown(phase, domId, crash ? "destroyed" : "shut down");
    }

    /// <summary>Destroys a guest abruptly (its grants vanish under the backend, as a crash) or shuts it down cleanly.</summary>
    public void Kill(int phase, int domId, bool crash)
    {
        try
        {
            if (crash) Console.DestroyGuest(domId);
            else System.StopGuest(domId);
        }
        catch (Exception e) { Findings.Crash(phase, $"tearing down dom{domId}: {e}"); }
    }

    public static string Workload(Random rng) => WorkloadRenderers.Names[rng.Next(WorkloadRenderers.Names.Count)];
}

/// <summary>Counts of what the run did, for the report line.</summary>
internal sealed class FuzzStats
{
    private long _cases;
    public long Cases => Interlocked.Read(ref _cases);
    public int HostileGuests { get; set; }
    public int ConcurrentGuests { get; set; }
    public int ConcurrentRounds { get; set; }
    public int ChurnedGuests { get; set; }
    public int KbdifRounds { get; set; }
    public long KbdifEvents { get; set; }
    public void Case() => Interlocked.Increment(ref _cases);
}
