using XenDisplayWeb.Shared.Xen;
using XenDisplayWeb.Shared.Xen.DmaBuf;
using static XenDisplayWeb.Shared.Xen.XenErrno;

namespace XenDisplayWeb.Shared.Tests.Xen;

public class GrantPoolTests
{
    // 64 grants, 16 guaranteed to each of 2 guests: 32 reserved, 32 to lend; one guest may hold 16 + 32.
    private static GrantPool Pool(int maxPerGuest = 64) => new(totalGrants: 64, guaranteedPerGuest: 16, guaranteedGuests: 2, maxPerGuest);

    private static XenException Refused(GrantPool pool, int domId, int grants)
    {
        var before = pool.Snapshot();
        var e = Assert.Throws<XenException>(() => pool.Take(domId, grants));
        Assert.Equal(ENOMEM, e.Errno);
        Assert.Equivalent(before, pool.Snapshot()); // a refused take changes nothing
        return e;
    }

    [Fact]
    public void A_greedy_guest_borrows_only_what_is_not_reserved_and_the_other_still_gets_its_guarantee()
    {
        var pool = Pool();
        pool.Take(1, 16);
        pool.Take(1, 32);
        var e = Refused(pool, 1, 1);
        Assert.Contains("reserved for other guests", e.Message);

        pool.Take(2, 16);
        Refused(pool, 2, 1);
        Assert.Equal(64, pool.InUse);
    }

    [Fact]
    public void When_the_greedy_guest_gives_its_grants_back_the_others_may_borrow_them()
    {
        var pool = Pool();
        pool.Take(1, 48);
        pool.Take(2, 16);
        pool.Return(1, 48);
        Assert.Equal(0, pool.UsedBy(1));
        Assert.Equal(32, pool.Share(2).CanTake);
        pool.Take(2, 32);
        Assert.Equal(48, pool.UsedBy(2));
        Assert.Equal(16, pool.Share(1).CanTake); // guest 1's guarantee is still there
    }

    [Fact]
    public void A_guest_never_passes_its_most_even_with_grants_to_lend()
    {
        var pool = Pool(maxPerGuest: 20);
        pool.Take(1, 20);
        Assert.Contains("its most, 20", Refused(pool, 1, 1).Message);
    }

    [Fact]
    public void Past_the_guaranteed_guests_a_new_guest_enters_only_with_a_guarantee_worth_to_lend()
    {
        var pool = Pool();
        pool.Take(1, 10);
        pool.Take(2, 10);
        Assert.Equal(0, pool.Share(3).Guaranteed); // both guarantees are held...
        Assert.Equal(32, pool.Share(3).CanTake);   // ...but 32 are free to lend: enough for a third guarantee
        pool.Take(3, 20); // a guarantee of 16, and 4 borrowed
        Assert.Equal(12, pool.Snapshot().Lendable);
        Assert.Equal(0, pool.Share(4).Guaranteed);
        Assert.Equal(0, pool.Share(4).CanTake);
        Refused(pool, 4, 1);
        pool.Take(1, 6); // the guests that hold grants keep their guarantees
        pool.Take(2, 6);
    }

    [Fact]
    public void The_snapshot_adds_up_and_lists_each_guests_share()
    {
        var pool = Pool();
        pool.Take(2, 40);
        pool.Take(1, 4);
        var s = pool.Snapshot();
        Assert.Equal((64, 44, 12, 8), (s.TotalGrants, s.InUse, s.Reserved, s.Lendable)); // reserved: the 12 guest 1 has not used
        Assert.Equal([new GrantShare(1, 4, 16, 0, 20), new GrantShare(2, 40, 16, 24, 8)], s.Guests);
    }

    [Fact]
    public void Giving_back_more_than_a_guest_holds_is_a_bug_and_changes_nothing()
    {
        var pool = Pool();
        pool.Take(1, 3);
        Assert.Throws<InvalidOperationException>(() => pool.Return(1, 4));
        Assert.Equal(3, pool.UsedBy(1));
    }

    [Fact]
    public void Guarantees_that_do_not_fit_the_total_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new GrantPool(totalGrants: 64, guaranteedPerGuest: 33, guaranteedGuests: 2, maxPerGuest: 64));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Random_takes_and_returns_keep_every_guarantee_and_CanTake_is_exact(int seed)
    {
        var rng = new Random(seed);
        var pool = new GrantPool(totalGrants: 200, guaranteedPerGuest: 30, guaranteedGuests: 4, maxPerGuest: 120);
        var held = new int[7];
        for (int step = 0; step < 5000; step++)
        {
            int dom = rng.Next(1, held.Length);
            if (held[dom] > 0 && rng.Next(3) == 0)
            {
                int back = rng.Next(1, held[dom] + 1);
                pool.Return(dom, back);
                held[dom] -= back;
            }
            else
            {
                var share = pool.Share(dom);
                int holders = held.Count(h => h > 0);
                if (held[dom] > 0 || holders < 4) Assert.True(share.CanTake >= Math.Max(0, 30 - held[dom]), $"step {step}: dom{dom} lost its guarantee");
                if (share.CanTake > 0 && rng.Next(2) == 0)
                {
                    pool.Take(dom, share.CanTake);
                    held[dom] += share.CanTake;
                }
                else
                {
                    int want = share.CanTake + 1;
                    Assert.Equal(ENOMEM, Assert.Throws<XenException>(() => pool.Take(dom, want)).Errno);
                    int some = rng.Next(1, want);
                    if (some < want) { pool.Take(dom, some); held[dom] += some; }
                }
            }
            var s = pool.Snapshot();
            Assert.Equal(held.Sum(), s.InUse);
            Assert.Equal(s.TotalGrants, s.InUse + s.Reserved + s.Lendable);
            Assert.True(s.Lendable >= 0 && s.Reserved >= 0, $"step {step}: {s}");
        }
    }

    [Fact]
    public void Greedy_guests_taking_at_once_never_cost_a_modest_guest_its_guarantee()
    {
        var pool = new GrantPool(totalGrants: 400, guaranteedPerGuest: 50, guaranteedGuests: 4, maxPerGuest: 400);
        using var start = new Barrier(4);
        int refusedWithin = 0, overCommitted = 0;
        var threads = Enumerable.Range(1, 4).Select(dom => new Thread(() =>
        {
            var rng = new Random(dom);
            bool greedy = dom <= 2;
            var held = new Stack<int>();
            start.SignalAndWait();
            for (int i = 0; i < 20000; i++)
            {
                if (held.Count > 0 && rng.Next(2) == 0) { pool.Return(dom, held.Pop()); continue; }
                int n = rng.Next(1, greedy ? 40 : 10);
                if (!greedy && held.Sum() + n > 50) continue;
                try { pool.Take(dom, n); held.Push(n); }
                catch (XenException) when (greedy) { }
                catch (XenException) { Interlocked.Increment(ref refusedWithin); }
                if (pool.Snapshot().Lendable < 0) Interlocked.Increment(ref overCommitted);
            }
            while (held.Count > 0) pool.Return(dom, held.Pop());
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.Equal((0, 0), (refusedWithin, overCommitted));
        Assert.Equal(0, pool.InUse);
        Assert.Equal(400 - 4 * 50, pool.Snapshot().Lendable);
    }
}
