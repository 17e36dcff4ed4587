using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Host;
using XenDisplayWeb.Shared.Xen;
using DisplifConst = XenDisplayWeb.Shared.Displif.Displif;

namespace XenDisplayWeb.Fuzzing;

/// <summary>
/// One guest's connectors driven at once, a thread per connector ring, on cookies they share. Each round
/// first sets up a collision (a dbuf flipped on every connector, or a store filled to one short of a
/// limit), releases every thread at once into its part of it (destroys against destroys, flips, attaches
/// or detaches, or creates past the limit), then lets each run random steps. Instant invariants are checked
/// after every request on every thread, all of them at the quiescent point that ends the round. The guest
/// names only pages it granted for buffers, so it is never to be closed as misbehaving.
/// </summary>
internal sealed class ConcurrentPhase(FuzzContext ctx, int phase, Random rng)
{
    /// <summary>Larger than the dbuf limit, so that creates can reach it; small, so that the threads' cookies collide.</summary>
    public const int CookieSpace = 24;
    private const int MaxRandomSteps = 40;

    private enum Plan { Free, DoubleDestroy, FlipVsDestroy, AttachVsDestroy, DetachVsFlip, FillCount, FillBytes }

    private static readonly (uint W, uint H) FbSize = (64, 48);
    private int _reported;

    public void Run()
    {
        int count = rng.Next(2, DisplifConst.MaxConnectors + 1);
        bool beAlloc = rng.Next(2) == 0;
        var connectors = Enumerable.Range(0, count).Select(i => new GuestConnector(64, 48, $"s-{i}", FuzzContext.Workload(rng), rng.Next(10, 61))).ToList();
        var guest = ctx.CreateGuest(phase, $"shared{ctx.Stats.ConcurrentGuests}", beAlloc, connectors);
        if (guest is null) return;
        ctx.Stats.ConcurrentGuests++;
        int domId = guest.DomId;
        ctx.SlowReaders[domId] = true;
        try
        {
            if (!ctx.WaitConnected(phase, guest)) return;
            var pages = GuestPages.Grant(ctx.Console, domId, beAlloc);
            var workers = Enumerable.Range(0, count).Select(i => new CookieWorker(ctx.Console, domId, i, pages, beAlloc, CookieSpace, new Random(rng.Next()))).ToArray();
            int rounds = rng.Next(4, 16);
            for (int r = 0; r < rounds && ctx.TimeLeft; r++)
            {
                long found = ctx.Findings.Total;
                var plan = (Plan)rng.Next(Enum.GetValues<Plan>().Length);
                string where = $"dom{domId} ({(beAlloc ? "be-alloc" : "frontend-alloc")}, {count} connectors) round {r} {plan}";
                Round(domId, workers, plan, where);
                ctx.Stats.ConcurrentRounds++;
                ctx.Checks.Quiescent(phase, where, _ => false);
                if (ctx.System.Backend.Device(domId) is not { State: XenbusState.Connected })
                {
                    if (ctx.Findings.Total == found) ctx.Findings.Invariant(phase, $"dom{domId}'s device is no longer connected though its guest broke no rule (after '{where}')");
                    break;
                }
                // Found something: what follows would mostly repeat it. Stop here, the seed and phase replay it.
                if (ctx.Findings.Total > found) break;
            }
        }
        finally
        {
            ctx.SlowReaders.TryRemove(domId, out _);
            ctx.TearDown(phase, domId, crash: rng.Next(4) > 0);
        }
    }

    private void Round(int domId, CookieWorker[] workers, Plan plan, string where)
    {
        ulong target = workers[0].Cookie();
        var openings = Setup(domId, workers, plan, target);
        int[] steps = workers.Select(_ => rng.Next(0, MaxRandomSteps)).ToArray();
        _reported = 0;
        using var barrier = new Barrier(workers.Length);
        var threads = workers.Select((w, i) => new Thread(() => Work(domId, w, barrier, openings[i], steps[i], where))
            { IsBackground = true, Name = $"fuzz-dom{domId}-conn{i}" }).ToList();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
    }

    /// <summary>One connector's thread: waits for all, does its part of the collision, then its random steps.</summary>
    private void Work(int domId, CookieWorker worker, Barrier barrier, Func<string>? opening, int steps, string where)
    {
        try
        {
            barrier.SignalAndWait();
            if (opening is not null) After(domId, opening(), where);
            for (int s = 0; s < steps; s++) After(domId, worker.Step(), where);
        }
        catch (Exception e) { ctx.Findings.Crash(phase, $"{where} conn{worker.Connector}: {e.GetType().Name}: {e.Message}"); }
    }

    private void After(int domId, string what, string where)
    {
        ctx.Stats.Case();
        if (ctx.System.Backend.Device(domId) is { } device && ctx.Checks.InstantProblem(device) is { } problem
            && Interlocked.Exchange(ref _reported, 1) == 0)
            ctx.Findings.Invariant(phase, $"{problem} (after '{what}', {where})");
    }

    /// <summary>Prepares the collision on connector 0 (and a mode on every connector); returns each thread's part in it.</summary>
    private Func<string>?[] Setup(int domId, CookieWorker[] workers, Plan plan, ulong target)
    {
        var w0 = workers[0];
        var parts = new Func<string>?[workers.Length];
        switch (plan)
        {
            case Plan.DoubleDestroy or Plan.FlipVsDestroy or Plan.DetachVsFlip:
                Shown(workers, target);
                for (int i = 0; i < workers.Length; i++)
                {
                    var w = workers[i];
                    parts[i] = plan switch
                    {
                        Plan.DoubleDestroy => () => w.Destroy(target),
                        Plan.FlipVsDestroy => i % 2 == 0 ? () => w.Flip(target) : () => w.Destroy(target),
                        _ => (i % 3) switch { 0 => () => w.Flip(target), 1 => () => w.Detach(target), _ => () => w.Destroy(target) },
                    };
                }
                break;
            case Plan.AttachVsDestroy:
                w0.Destroy(target);
                w0.Create(target, large: false, FbSize);
                for (int i = 0; i < workers.Length; i++)
                {
                    var w = workers[i];
                    ulong fb = target % CookieSpace + 1 + (ulong)i; // its own fb cookie, freed first
                    w0.Detach(fb);
                    parts[i] = i % 2 == 0 ? () => w.Attach(target, fb, FbSize) : () => w.Destroy(target);
                }
                break;
            case Plan.FillCount or Plan.FillBytes:
                var next = Fill(domId, w0, large: plan == Plan.FillBytes);
                for (int i = 0; i < workers.Length && next.Count > 0; i++)
                {
                    var w = workers[i];
                    ulong cookie = next.Dequeue();
                    parts[i] = () => w.Create(cookie, large: plan == Plan.FillBytes, FbSize);
                }
                break;
        }
        return parts;
    }

    /// <summary>A dbuf and fb of cookie <paramref name="target"/> set on every connector: a reader holds it on each flip.</summary>
    private static void Shown(CookieWorker[] workers, ulong target)
    {
        var w0 = workers[0];
        w0.Detach(target);
        w0.Destroy(target);
        w0.Create(target, large: false, FbSize);
        w0.Attach(target, target, FbSize);
        foreach (var w in workers) w.Configure(target, mayReset: false);
    }

    /// <summary>
    /// Empties the cookie space, then creates dbufs until one more would reach the guest's limit (the count, or the
    /// bytes with 4 MiB dbufs); returns the free cookies, for the creates that race for the last place.
    /// </summary>
    private Queue<ulong> Fill(int domId, CookieWorker w0, bool large)
    {
        var free = new Queue<ulong>();
        if (ctx.System.Backend.Device(domId) is not { } device) return free;
        for (ulong c = 1; c <= CookieSpace; c++)
            if (device.Buffers.ContainsDbuf(c)) w0.Destroy(c);
        var limits = ctx.System.Backend.Options.Limits;
        bool beAlloc = device.BeAlloc;
        long largeBytes = GuestPages.LargePages * (long)XenPage.Size;
        ulong cookie = 1;
        for (; cookie <= CookieSpace; cookie++)
        {
            var store = device.Buffers;
            bool roomForTwo = large
                ? (beAlloc ? store.AllocatedBytes + 2 * largeBytes <= limits.MaxBackendAllocatedBytes : store.MappedBytes + 2 * largeBytes <= limits.MaxMappedBytes)
                  && store.DbufCount + 2 <= limits.MaxDbufs
                : store.DbufCount + 2 <= limits.MaxDbufs;
            if (!roomForTwo) break;
            w0.Create(cookie, large, FbSize);
        }
        for (; cookie <= CookieSpace; cookie++) free.Enqueue(cookie);
        return free;
    }
}
