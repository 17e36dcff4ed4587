using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Kbdif;
using XenDisplayWeb.Shared.Kbdif.Backend;

namespace XenDisplayWeb.Fuzzing;

/// <summary>
/// Hostile kbdif guests, one per round, beside the good one. While a thread feeds the hostile device events
/// through Accept (random keys, moves, positions, touches, raw slots, bursts that fill the ring) and another
/// feeds the good guest, the hostile guest writes its page, indices, out events and states, kicks, tries to end
/// its grant, and is destroyed now and then mid-burst. Each round then checks: nothing escaped and no call
/// hung; the backend wrote only its part of the page (canaries and the frontend's bytes intact); a device
/// given an in_cons or out_prod out of range is closed as misbehaving; once the guest is destroyed its device
/// is gone, nothing of it is mapped or bound, and the device left behind writes nothing; the good guest got
/// exactly what was accepted for it.
/// </summary>
internal sealed class KbdifPhase(FuzzContext ctx, KbdWorld world, int phase, Random rng)
{
    /// <summary>How long one call into the backend may take before it counts as hung: generous, for a loaded machine.</summary>
    public static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan GoneTimeout = TimeSpan.FromSeconds(5);
    private const int MaxBurst = 320;

    public void Run()
    {
        int rounds = rng.Next(2, 6);
        for (int r = 0; r < rounds && ctx.TimeLeft && !world.Hung; r++) Round(r);
    }

    private void Round(int round)
    {
        var hostile = HostileKbdGuest.Create(world, rng, Invariant);
        if (hostile is null) return;
        int domId = hostile.FrontDomId;
        string where = $"kbdif round {round}, dom{domId} ({hostile.Setup}{(hostile.Gentle ? ", gentle" : "")})";
        var device = world.Backend.Device(domId);
        var hostileWatch = new CallWatch();
        var goodWatch = new CallWatch();
        using var stop = new CancellationTokenSource();
        var feeders = new[]
        {
            Start($"fuzz-kbd-hostile-dom{domId}", () => FeedHostile(domId, hostileWatch, new Random(rng.Next()), stop.Token, where)),
            Start("fuzz-kbd-good", () => FeedGood(goodWatch, new Random(rng.Next()), stop.Token, where)),
        };

        int steps = rng.Next(20, 200);
        int destroyAt = rng.Next(4) == 0 ? rng.Next(steps) : -1;
        string last = "set up";
        for (int s = 0; s < steps && ctx.TimeLeft; s++)
        {
            // Paced by the feeder: each act lands while Accept calls run.
            long calls = hostileWatch.Calls;
            if (!FuzzContext.Poll(() => hostileWatch.Calls > calls || world.Hung, HangLimit)) { Hang(hostileWatch, goodWatch, where, last); break; }
            if (s == destroyAt)
            {
                last = $"destroyed mid-burst at step {s}";
                world.Destroy(domId);
                hostile.Gone = true;
            }
            else if (!hostile.Gone)
            {
                try { last = hostile.Step(); }
                catch (Exception e) { ctx.Findings.Crash(phase, $"{where} step {s}: {e}"); }
            }
            ctx.Stats.Case();
        }
        stop.Cancel();
        foreach (var t in feeders)
            if (!t.Join(HangLimit)) { Hang(hostileWatch, goodWatch, where, last); return; }

        if (hostile.Gentle && hostile.Setup == HostileKbdGuest.ValidNodes && device?.MisbehavingReason is { } reason)
            Invariant($"dom{domId} was closed as misbehaving ({reason}) though it broke no rule ({where})");
        if (!hostile.Gone)
        {
            if (hostile.Untouched() is { } touched) Invariant($"{touched} (after '{last}', {where})");
            Probe(hostile, where);
            world.Destroy(domId);
            hostile.Gone = true;
        }
        TornDown(hostile, device, where);
        GoodGuest(goodWatch, where);
        ctx.Checks.Errors(phase, where);
        if (!world.Backend.IsRunning) Invariant($"the vkbd backend stopped ({where})");
        ctx.Stats.KbdifRounds++;
    }

    private static Thread Start(string name, ThreadStart body)
    {
        var t = new Thread(body) { IsBackground = true, Name = name };
        t.Start();
        return t;
    }

    /// <summary>Events for the hostile device, whatever its state: valid ones, raw slots decoded, bursts; its status read now and then.</summary>
    private void FeedHostile(int domId, CallWatch watch, Random feed, CancellationToken stop, string where)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (world.Backend.Device(domId) is not { } device) { watch.Idle(); Thread.Yield(); continue; }
                var batch = HostileBatch(feed);
                var result = watch.Run(() => device.Accept(batch));
                if (result.Seqs.Count != batch.Count || result.Accepted != result.Seqs.Count(s => s >= 0))
                {
                    Invariant($"Accept on dom{domId} answered {result.Accepted} accepted and {result.Seqs.Count} seqs for {batch.Count} events ({where})");
                    return;
                }
                if (feed.Next(8) == 0) watch.Run(device.Status);
            }
        }
        catch (Exception e) { ctx.Findings.Crash(phase, $"Accept on a hostile vkbd device ({where}): {e}"); }
    }

    private static List<IXenkbdInEvent> HostileBatch(Random feed)
    {
        int count = feed.Next(6) == 0 ? feed.Next(Kbdif.InRingLen, MaxBurst) : feed.Next(1, 10);
        var batch = new List<IXenkbdInEvent>(count);
        Span<byte> slot = stackalloc byte[Kbdif.InEventSize];
        while (batch.Count < count)
        {
            switch (feed.Next(6))
            {
                case 0: batch.Add(new XenkbdKey(feed.Next(2) == 0, (uint)feed.Next(LinuxInput.KEY_MAX + 20))); break;
                case 1: batch.Add(new XenkbdMotion(feed.Next(), -feed.Next(), feed.Next(-3, 4))); break;
                case 2: batch.Add(new XenkbdPosition(feed.Next(-10, 5000), feed.Next(-10, 5000), feed.Next(-3, 4))); break;
                case 3: batch.Add(XenkbdMtouch.Motion((byte)feed.Next(256), feed.Next(), feed.Next())); break;
                default:
                    // Any slot's bytes under a known type: sub-types, contacts and codes out of range included.
                    feed.NextBytes(slot);
                    slot[XenkbdInEvent.TypeOffset] = (byte)feed.Next(1, 6);
                    if (XenkbdInEvent.Read(slot) is { } e) batch.Add(e);
                    break;
            }
        }
        return batch;
    }

    private void FeedGood(CallWatch watch, Random feed, CancellationToken stop, string where)
    {
        try
        {
            while (!stop.IsCancellationRequested)
                if (world.Good.Feed(feed, watch) is { } problem) Invariant($"{problem} ({where})");
        }
        catch (Exception e) { ctx.Findings.Crash(phase, $"Accept on the good vkbd device ({where}): {e}"); }
    }

    /// <summary>
    /// The guest puts in_cons (or out_prod) out of range: a connected device must refuse the next events and
    /// be closed as misbehaving, and write nothing into the page after.
    /// </summary>
    private void Probe(HostileKbdGuest hostile, string where)
    {
        if (world.Backend.Device(hostile.FrontDomId) is not { State: XenbusState.Connected, IsConnected: true, Misbehaving: false } device) return;
        // The backend has seen the last state written (its watch runs on its own thread): nothing changes under the probe.
        if (!FuzzContext.Poll(() => device.FrontendState == hostile.StateWritten, GoneTimeout) || device.State != XenbusState.Connected) return;
        var status = device.Status();
        uint prod = unchecked((uint)(status.NextSeq - status.Backlog));
        string what;
        if (hostile.OutConsForged || rng.Next(2) == 0)
        {
            uint cons = unchecked(prod + (uint)rng.Next(Kbdif.InRingLen + 1, int.MaxValue));
            hostile.SetInCons(cons);
            what = $"in_cons {cons} with in_prod {prod}";
            var result = device.Accept([new XenkbdMotion(1, 0, 0), new XenkbdKey(true, LinuxInput.KEY_A)]);
            if (result.Accepted != 0) Invariant($"{what}: Accept took {result.Accepted} events ({where})");
        }
        else
        {
            uint outProd = unchecked(status.OutCons + (uint)rng.Next(Kbdif.OutRingLen + 1, int.MaxValue));
            what = $"out_prod {outProd} with out_cons {status.OutCons}";
            hostile.SetOutProdAndKick(outProd);
        }
        if (device.MisbehavingReason is null || device.State != XenbusState.Closed)
        {
            Invariant($"{what}: the device is {device.State}, misbehaving: {device.MisbehavingReason ?? "no"} ({where})");
            return;
        }
        var page = hostile.Page.Span.ToArray();
        device.Accept([new XenkbdMotion(1, 0, 0)]);
        if (!hostile.Page.Span.SequenceEqual(page)) Invariant($"dom{hostile.FrontDomId}'s page was written after its device was closed as misbehaving ({where})");
    }

    /// <summary>The guest is destroyed: its device goes, dom0 maps and binds nothing of it, and the device left behind writes nothing.</summary>
    private void TornDown(HostileKbdGuest hostile, KbdDevice? device, string where)
    {
        int domId = hostile.FrontDomId;
        var host = world.Host;
        string State() => $"device {world.Backend.Device(domId)?.State.ToString() ?? "gone"}, dom0 maps {host.Dom0.MappingsOf(domId)} of its grants, " +
            $"{host.TotalMappings} mappings on the host ({world.BaseMappings} before), {host.Evtchn.OpenPorts(0)} dom0 ports ({world.BasePorts} before)";
        if (!FuzzContext.Poll(() => world.Backend.Device(domId) is null && host.Dom0.MappingsOf(domId) == 0
                && host.TotalMappings == world.BaseMappings && host.Evtchn.OpenPorts(0) == world.BasePorts, GoneTimeout))
            Invariant($"dom{domId} destroyed: {State()} ({where})");
        if (hostile.Untouched() is { } touched) Invariant($"{touched} (once destroyed, {where})");
        if (device is null) return;
        var page = hostile.Page.Span.ToArray();
        var result = device.Accept([new XenkbdMotion(1, 0, 0), new XenkbdKey(true, LinuxInput.KEY_A), new XenkbdKey(false, LinuxInput.KEY_A)]);
        if (result.Accepted != 0) Invariant($"dom{domId}'s removed device accepted {result.Accepted} events ({where})");
        if (!hostile.Page.Span.SequenceEqual(page)) Invariant($"dom{domId}'s page was written by its removed device ({where})");
    }

    /// <summary>The other guest kept running: connected, and it got exactly what was accepted for it.</summary>
    private void GoodGuest(CallWatch watch, string where)
    {
        var device = world.Backend.Device(KbdWorld.GoodDomId);
        if (device is not { State: XenbusState.Connected, Misbehaving: false } || world.Good.Front.State != XenbusState.Connected)
            Invariant($"the good kbdif guest's device is {device?.State.ToString() ?? "gone"} {device?.MisbehavingReason}, its frontend {world.Good.Front.State} ({where})");
        long before = world.Good.Checked;
        foreach (var problem in world.Good.Settle(watch)) Invariant($"{problem} ({where})");
        ctx.Stats.KbdifEvents += world.Good.Checked - before;
    }

    private void Hang(CallWatch hostile, CallWatch good, string where, string last)
    {
        if (world.Hung) return;
        world.Hung = true;
        ctx.Findings.Crash(phase, $"a call into the vkbd backend did not return in {HangLimit.TotalSeconds} s (hostile feeder busy {hostile.Busy.TotalSeconds:F1} s, good feeder {good.Busy.TotalSeconds:F1} s, after '{last}', {where})");
    }

    private void Invariant(string text) => ctx.Findings.Invariant(phase, text);
}
