using Microsoft.Extensions.Time.Testing;
using XenDisplayWeb.Client.Contract;
using XenDisplayWeb.Server.Events;
using XenDisplayWeb.Shared.Diagnostics;
using XenDisplayWeb.Shared.Displif;

namespace XenDisplayWeb.Server.Tests.Events;

public class TraceBatcherTests
{
    private static readonly FakeTimeProvider Time = new();

    private static DisplifTrace TraceWith(int entries, int capacity = 8192)
    {
        var trace = new DisplifTrace(Time, capacity);
        for (int i = 0; i < entries; i++) trace.Append(1, 0, 0, TraceKind.Note, 0, "XENBUS", 0, $"note {i}");
        return trace;
    }

    [Fact]
    public void A_small_batch_is_sent_whole_without_a_note()
    {
        var trace = TraceWith(3);
        var batch = new TraceBatcher().Cut(trace.Snapshot(-1), -1, Time.GetUtcNow());
        Assert.Equal([0L, 1, 2], batch.Select(e => e.Seq));
    }

    [Fact]
    public void A_big_batch_keeps_the_newest_and_says_how_many_were_skipped()
    {
        var trace = TraceWith(1200);
        var batch = new TraceBatcher(500).Cut(trace.Snapshot(-1), -1, Time.GetUtcNow());
        Assert.Equal(501, batch.Count);
        Assert.Contains("700 trace entries skipped", batch[0].Text);
        Assert.Equal(700, batch[1].Seq);
        Assert.Equal(1199, batch[^1].Seq);
    }

    [Fact]
    public void Entries_overwritten_in_the_ring_before_they_were_read_count_as_skipped()
    {
        var trace = TraceWith(100, capacity: 64);
        var batch = new TraceBatcher(500).Cut(trace.Snapshot(9), 9, Time.GetUtcNow());
        Assert.Contains("26 trace entries skipped", batch[0].Text); // 10..35 fell off a 64-entry ring
        Assert.Equal(36, batch[1].Seq);
    }
}

public class BufferEventTrackerTests
{
    private static readonly DisplifTrace Trace = new(new FakeTimeProvider());

    private static byte[] Response(ushort id, XendisplOp op, int status)
    {
        var p = new byte[Displif.PacketSize];
        new DisplifResponse(id, (byte)op, status).WriteTo(p);
        return p;
    }

    [Fact]
    public void A_successful_create_and_destroy_give_events_with_the_requests_cookie()
    {
        var tracker = new BufferEventTracker();
        Assert.Null(tracker.Observe(Trace.AppendPacket(3, 0, 0, TraceKind.Request, new DbufCreateRequest(0xabc0, 64, 64, 32, 16384, 0, 9, 0).ToPacket(7))));
        var created = tracker.Observe(Trace.AppendPacket(3, 0, 0, TraceKind.Response, Response(7, XendisplOp.DbufCreate, 0)));
        Assert.Equal(new BufferEvent(3, "created", PacketDecoder.Hex(0xabc0)), created);

        tracker.Observe(Trace.AppendPacket(3, 0, 0, TraceKind.Request, new DbufDestroyRequest(0xabc0).ToPacket(8)));
        Assert.Equal(new BufferEvent(3, "destroyed", PacketDecoder.Hex(0xabc0)), tracker.Observe(Trace.AppendPacket(3, 0, 0, TraceKind.Response, Response(8, XendisplOp.DbufDestroy, 0))));
        Assert.Equal(0, tracker.Pending);
    }

    [Fact]
    public void A_failed_create_or_an_answer_on_another_ring_gives_none()
    {
        var tracker = new BufferEventTracker();
        tracker.Observe(Trace.AppendPacket(3, 0, 0, TraceKind.Request, new DbufCreateRequest(0x10, 64, 64, 32, 16384, 0, 9, 0).ToPacket(1)));
        Assert.Null(tracker.Observe(Trace.AppendPacket(3, 0, 1, TraceKind.Response, Response(1, XendisplOp.DbufCreate, 0))));
        Assert.Null(tracker.Observe(Trace.AppendPacket(3, 0, 0, TraceKind.Response, Response(1, XendisplOp.DbufCreate, -12))));
        Assert.Equal(0, tracker.Pending);
    }
}
