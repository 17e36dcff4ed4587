using XenDisplayWeb.Shared.Host;

namespace XenDisplayWeb.Fuzzing;

/// <summary>
/// One hostile guest, step by step: structured and random packets, grants, rewritten and revoked pages,
/// page directories broken in one way, broken ring indices; then a crash or a clean shutdown. Every check
/// runs after every step. A guest that may have written over its own rings may be closed as misbehaving.
/// </summary>
internal static class HostilePhase
{
    public static void Run(FuzzContext ctx, int phase, Random rng)
    {
        bool beAlloc = rng.Next(3) == 0;
        var guest = ctx.CreateGuest(phase, $"hostile{ctx.Stats.HostileGuests}", beAlloc,
            [new GuestConnector(64, 48, "h-0", "testpattern", 20), new GuestConnector(32, 32, "h-1", "desktop", 5)]);
        if (guest is null) return;
        ctx.Stats.HostileGuests++;
        var hostile = new HostileGuest(ctx.Console, guest.DomId, rng);
        ctx.WaitConnected(phase, guest);

        int steps = rng.Next(20, 300);
        for (int s = 0; s < steps && ctx.TimeLeft; s++)
        {
            string what;
            try { what = hostile.Step(); }
            catch (Exception e) { ctx.Findings.Crash(phase, $"dom{guest.DomId} step {s}: {e.GetType().Name}: {e.Message}"); continue; }
            ctx.Stats.Case();
            // Any request may name its own ring pages where the backend writes (a be-alloc directory, the EDID page).
            ctx.Checks.Quiescent(phase, $"dom{guest.DomId} step {s}: {what}", dom => dom == guest.DomId);
            // A guest that broke its ring indices is done for: its requests would only time out. Tear it down.
            if (hostile.RingBroken || hostile.TimedOut >= 3 || ctx.System.Backend.Device(guest.DomId)?.Misbehaving == true) break;
        }
        ctx.TearDown(phase, guest.DomId, crash: rng.Next(10) < 7);
    }
}
