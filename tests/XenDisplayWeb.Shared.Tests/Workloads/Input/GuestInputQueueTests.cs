using XenDisplayWeb.Shared.Kbdif;
using XenDisplayWeb.Shared.Workloads.Input;

namespace XenDisplayWeb.Shared.Tests.Workloads.Input;

public class GuestInputQueueTests
{
    private static IXenkbdInEvent Ev(int i) => new XenkbdMotion(i, 0, 0);

    [Fact]
    public void Drains_in_order_at_most_what_fits_and_never_waits()
    {
        var q = new GuestInputQueue(8);
        var into = new GuestInputEvent[3];
        Assert.Equal(0, q.Drain(into));
        for (int i = 0; i < 5; i++) Assert.True(q.TryEnqueue(10 + i, Ev(i)));
        Assert.Equal(3, q.Drain(into));
        Assert.Equal([10L, 11, 12], into.Select(e => e.Seq));
        Assert.Equal(new XenkbdMotion(2, 0, 0), into[2].Event);
        Assert.Equal(2, q.Drain(into));
        Assert.Equal([13L, 14], into.Take(2).Select(e => e.Seq));
        Assert.Equal(0, q.Count);
    }

    [Fact]
    public void A_full_queue_refuses_and_counts_and_wraps_around_after_a_drain()
    {
        var q = new GuestInputQueue(4);
        for (int i = 0; i < 4; i++) Assert.True(q.TryEnqueue(i, Ev(i)));
        Assert.False(q.TryEnqueue(4, Ev(4)));
        Assert.Equal(1, q.Dropped);
        var into = new GuestInputEvent[2];
        Assert.Equal(2, q.Drain(into));
        Assert.True(q.TryEnqueue(5, Ev(5)));
        Assert.True(q.TryEnqueue(6, Ev(6)));
        var all = new GuestInputEvent[8];
        Assert.Equal(4, q.Drain(all));
        Assert.Equal([2L, 3, 5, 6], all.Take(4).Select(e => e.Seq));
    }

    [Fact]
    public void Rejects_a_null_event_and_a_non_positive_capacity()
    {
        Assert.Throws<ArgumentNullException>(() => new GuestInputQueue().TryEnqueue(0, null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GuestInputQueue(0));
    }

    [Fact]
    public async Task Two_producers_and_a_consumer_lose_nothing_and_keep_each_producers_order()
    {
        const int perProducer = 20_000;
        var q = new GuestInputQueue(64);
        using var start = new Barrier(3);
        var producers = Enumerable.Range(0, 2).Select(p => Task.Run(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < perProducer; i++)
                while (!q.TryEnqueue(p * 1_000_000L + i, Ev(p))) Thread.Yield();
        })).ToArray();
        var next = new long[2];
        var into = new GuestInputEvent[7];
        var consumer = Task.Run(() =>
        {
            start.SignalAndWait();
            int got = 0;
            while (got < 2 * perProducer)
            {
                int n = q.Drain(into);
                for (int i = 0; i < n; i++)
                {
                    int p = (int)(into[i].Seq / 1_000_000);
                    Assert.Equal(next[p]++, into[i].Seq % 1_000_000);
                }
                got += n;
                if (n == 0) Thread.Yield();
            }
        });
        await Task.WhenAll([.. producers, consumer]).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([perProducer, perProducer], next);
        Assert.Equal(0, q.Count);
    }
}
