using XenDisplayWeb.Shared.Backend;
using XenDisplayWeb.Shared.Host;
using DisplifConst = XenDisplayWeb.Shared.Displif.Displif;

namespace XenDisplayWeb.Fuzzing;

/// <summary>
/// Guests come and go: each is created, draws, gets buffers of its own shown on a connector, and a thread
/// that keeps sending requests on one of its rings; then it is destroyed abruptly (its domain gone with
/// buffers live and a request in hand), now and then shut down cleanly. Up to <see cref="MaxLive"/> live
/// at once. Nothing of a guest may stay once it is gone, and the others keep drawing.
/// </summary>
internal sealed class ChurnPhase(FuzzContext ctx, int phase, Random rng)
{
    private const int MaxLive = 3;
    private static readonly TimeSpan DrawTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(2);
    private int _reported;

    private sealed class Churned(Guest guest)
    {
        public Guest Guest { get; } = guest;
        public CookieWorker? Worker { get; set; }
        public Thread? Thread { get; set; }
        public volatile bool Stop;
    }

    public void Run()
    {
        var live = new List<Churned>();
        int events = rng.Next(4, 12);
        try
        {
            for (int e = 0; e < events && ctx.TimeLeft; e++)
            {
                if (live.Count < MaxLive && (live.Count == 0 || rng.Next(2) == 0)) Start(live, e);
                else Destroy(live, live[rng.Next(live.Count)]);
            }
        }
        finally
        {
            foreach (var c in live.ToList()) Destroy(live, c);
        }
        ctx.Checks.Quiescent(phase, "guest churn", _ => false);
    }

    private void Start(List<Churned> live, int e)
    {
        int count = rng.Next(1, DisplifConst.MaxConnectors + 1);
        bool beAlloc = rng.Next(2) == 0;
        var connectors = Enumerable.Range(0, count).Select(i => new GuestConnector(64, 48, $"c-{i}", FuzzContext.Workload(rng), rng.Next(30, 121))).ToList();
        var guest = ctx.CreateGuest(phase, $"churn{ctx.Stats.ChurnedGuests + live.Count}", beAlloc, connectors);
        if (guest is null) return;
        var churned = new Churned(guest);
        live.Add(churned);
        if (!ctx.WaitConnected(phase, guest)) return;
        ctx.WaitFor(phase, () => ctx.Sink.Frames(new ConnectorKey(guest.DomId, 0, 0)) > 0, DrawTimeout, $"dom{guest.DomId}'s first frame");

        var pages = GuestPages.Grant(ctx.Console, guest.DomId, beAlloc);
        var worker = new CookieWorker(ctx.Console, guest.DomId, rng.Next(count), pages, beAlloc, ConcurrentPhase.CookieSpace, new Random(rng.Next()));
        churned.Worker = worker;
        // Buffers of its own, shown: the backend holds them and reads them when the guest goes.
        worker.Create(1, large: false, (64, 48));
        worker.Attach(1, 1, (64, 48));
        worker.Configure(1, mayReset: false);
        worker.Flip(1);
        if (rng.Next(3) == 0) worker.Create(2, large: true);
        string where = $"dom{guest.DomId} churned (event {e})";
        churned.Thread = new Thread(() => Hammer(churned, worker, where)) { IsBackground = true, Name = $"fuzz-churn-dom{guest.DomId}" };
        churned.Thread.Start();
    }

    /// <summary>The guest's requests on one ring, until it is gone.</summary>
    private void Hammer(Churned c, CookieWorker worker, string where)
    {
        try
        {
            while (!c.Stop && !worker.GuestGone)
            {
                string what = worker.Step();
                ctx.Stats.Case();
                if (ctx.System.Backend.Device(c.Guest.DomId) is { } device && ctx.Checks.InstantProblem(device) is { } problem
                    && Interlocked.Exchange(ref _reported, 1) == 0)
                    ctx.Findings.Invariant(phase, $"{problem} (after '{what}', {where})");
            }
        }
        catch (Exception e) { ctx.Findings.Crash(phase, $"{where}: {e.GetType().Name}: {e.Message}"); }
    }

    /// <summary>Destroys the guest while its thread has a request in hand (after a few of them), then checks nothing of it is left.</summary>
    private void Destroy(List<Churned> live, Churned c)
    {
        live.Remove(c);
        int domId = c.Guest.DomId;
        int after = rng.Next(1, 30);
        bool crash = rng.Next(8) > 0;
        if (c.Worker is { } worker)
        {
            long from = worker.Requests;
            FuzzContext.Poll(() => worker.Requests >= from + after, BusyTimeout);
        }
        if (ctx.System.Backend.Device(domId) is { } device) ctx.Checks.Observe(device);
        ctx.Kill(phase, domId, crash);
        c.Stop = true;
        c.Thread?.Join();
        ctx.Stats.ChurnedGuests++;
        ctx.Checks.TornDown(phase, domId, crash ? "destroyed" : "shut down");
    }
}
