using Microsoft.Extensions.Time.Testing;
using XenDisplayWeb.Shared.Backend;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Pixels;
using XenDisplayWeb.Shared.Tests.Host;
using XenDisplayWeb.Shared.Tests.Xen;
using XenDisplayWeb.Shared.Xen;
using static XenDisplayWeb.Shared.Xen.XenErrno;
using DisplifConst = XenDisplayWeb.Shared.Displif.Displif;

namespace XenDisplayWeb.Shared.Tests.Backend;

/// <summary>
/// One command handler and buffer store serve every connector of a device, each on its own ring thread:
/// requests on several rings at once, held at a lookup or a grant map until both are where the test wants.
/// </summary>
public class ConnectorRaceTests
{
    private const uint Xr24 = (uint)PixelFormat.Xrgb8888;
    private const long DbufBytes = 3 * XenPage.Size; // a 64x48x32 dbuf
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    /// <summary>A device of several 64x48 connectors, no EDID, the guest's own driver idle; the backend's grant maps gated.</summary>
    private sealed class Guest : IDisposable
    {
        public Guest(int connectors, bool beAlloc = false, BackendOptions? options = null, FakeTimeProvider? time = null)
        {
            Rig = new TestRig(beAlloc, connectors, width: 64, height: 48, time: time, useEdid: false, options: options,
                backendPlatform: dom0 => Platform = new GatedPlatform(dom0));
            Rig.WaitConnected();
            MappedAtStart = Rig.Host.Dom0.Gnttab.ActiveMappings;
        }

        public TestRig Rig { get; }
        public GatedPlatform Platform { get; private set; } = null!;
        public int MappedAtStart { get; }
        public FrontendHandler Device => Rig.BackendDevice;
        public BufferStore Store => Device.Buffers;
        public List<uint> DataGrefs { get; } = [];

        public async Task<int> Send(IDisplifRequest req, int connector = 0) =>
            (await Rig.Device.SendAsync(connector, req).WaitAsync(Wait)).Status;

        /// <summary>DBUF_CREATE of a 64x48x32 dbuf (3 pages): the guest's pages, or REQ_ALLOC with a directory to fill.</summary>
        public Task<int> Create(ulong cookie, bool beAlloc = false, int connector = 0) =>
            Send(new DbufCreateRequest(cookie, 64, 48, 32, 64 * 48 * 4, beAlloc ? DisplifConst.FlagReqAlloc : 0,
                Directory(beAlloc ? [] : Pages(3)), 0), connector);

        private uint[] Pages(int count)
        {
            var grefs = Rig.Guest.Memory.AllocatePages(count).Select(p => Rig.Guest.Grants.GrantForeignAccess(DomId.Dom0, p, false)).ToArray();
            lock (DataGrefs) DataGrefs.AddRange(grefs);
            return grefs;
        }

        private uint Directory(uint[] grefs)
        {
            var page = Rig.Guest.Memory.AllocatePage();
            PageDirectory.Write(page.Span, 0, grefs);
            return Rig.Guest.Grants.GrantForeignAccess(DomId.Dom0, page, false);
        }

        /// <summary>Nothing of the guest's is mapped by the backend, nothing it allocated is left, and the device is served.</summary>
        public void AssertNothingHeld()
        {
            Assert.Equal(0, Store.DbufCount);
            Assert.Equal(0, Store.MappedGrants);
            Assert.Equal(MappedAtStart, Rig.Host.Dom0.Gnttab.ActiveMappings);
            Assert.Equal(0, Rig.Backend.DmaBuf.LiveExports);
            Assert.Equal(0, Rig.Backend.DmaBuf.LiveImports);
            Assert.Equal(0, Rig.Host.Dom0.Gntshr.ActiveShares);
            lock (DataGrefs) Assert.All(DataGrefs, g => Assert.Equal(0, Rig.Guest.Grants.MapCount(g)));
            Assert.False(Device.Misbehaving);
        }

        public void Dispose() => Rig.Dispose();
    }

    [Fact]
    public async Task Two_DBUF_DESTROYs_of_one_cookie_on_two_rings_release_it_once_and_never_take_a_readers_reference()
    {
        // Fake time: the destroy that wins waits for the reader as long as the test needs, never timing out.
        using var g = new Guest(connectors: 2, time: new FakeTimeProvider(DateTimeOffset.UtcNow));
        Assert.Equal(0, await g.Create(0x10));
        var dbuf = g.Store.Dbuf(0x10)!;
        Assert.True(dbuf.BufferObject!.Retain()); // a sink still reads the pages
        var bothLookedUp = new Barrier(2);
        g.Store.AfterDbufLookup = cookie => { if (cookie == 0x10) bothLookedUp.SignalAndWait(Wait); };

        var destroys = new[] { g.Send(new DbufDestroyRequest(0x10), 0), g.Send(new DbufDestroyRequest(0x10), 1) };
        int first = await await Task.WhenAny(destroys).WaitAsync(Wait);

        // The one that found nothing to remove answers at once; the other waits for the reader, its pages still mapped.
        Assert.Equal(-ENOENT, first);
        Assert.Equal(3, dbuf.MappedPages);
        Assert.Equal(1, dbuf.References);
        dbuf.BufferObject.Release();
        Assert.Equal([-ENOENT, 0], (await Task.WhenAll(destroys).WaitAsync(Wait)).Order());
        Assert.Equal(0, dbuf.References);
        lock (g.DataGrefs) Assert.All(g.DataGrefs, gref => Assert.Equal(1, g.Platform.Unmaps(g.Rig.Guest.DomId, gref)));
        g.AssertNothingHeld();
    }

    [Fact]
    public async Task An_FB_ATTACH_that_looked_up_its_dbuf_before_a_DBUF_DESTROY_on_another_ring_is_ENOENT_and_leaves_no_fb()
    {
        using var g = new Guest(connectors: 2);
        Assert.Equal(0, await g.Create(0x10));
        using var attachLookedUp = new ManualResetEventSlim();
        using var proceed = new ManualResetEventSlim();
        int lookups = 0;
        g.Store.AfterDbufLookup = cookie =>
        {
            if (cookie != 0x10 || Interlocked.Increment(ref lookups) != 1) return;
            attachLookedUp.Set();
            proceed.Wait(Wait);
        };

        var attach = g.Send(new FbAttachRequest(0x10, 0x20, 64, 48, Xr24), 0);
        Assert.True(attachLookedUp.Wait(Wait));
        Assert.Equal(0, await g.Send(new DbufDestroyRequest(0x10), 1));
        proceed.Set();

        Assert.Equal(-ENOENT, await attach);
        Assert.Null(g.Store.Fb(0x20));
        Assert.Equal(0, g.Store.FbCount);
        g.AssertNothingHeld();
    }

    [Fact]
    public async Task A_be_alloc_dbuf_destroyed_on_another_ring_while_a_sink_reads_it_keeps_its_pages_until_the_read_ends()
    {
        using var g = new Guest(connectors: 2, beAlloc: true);
        Assert.Equal(0, await g.Create(0x10, beAlloc: true));
        Assert.Equal(0, await g.Send(new FbAttachRequest(0x10, 0x20, 64, 48, Xr24)));
        var dbuf = g.Store.Dbuf(0x10)!;
        var screen = g.Rig.Sink.Of(1, 0);
        using var reading = new ManualResetEventSlim();
        using var proceed = new ManualResetEventSlim();
        screen.Showing = () => { reading.Set(); proceed.Wait(Wait); };

        // Connector 0 shows the fb (before it answers); connector 1 destroys the dbuf while the sink reads it.
        var setConfig = g.Send(new SetConfigRequest(0x20, 0, 0, 64, 48, 32), 0);
        Assert.True(reading.Wait(Wait));
        Assert.Equal(0, await g.Send(new DbufDestroyRequest(0x10), 1));
        Assert.Null(g.Store.Dbuf(0x10));
        Assert.Equal(3, g.Rig.Host.Dom0.Gntshr.ActiveShares); // still the reader's
        Assert.Equal(1, dbuf.References);

        proceed.Set();
        Assert.Equal(0, await setConfig);
        Assert.Equal(1, screen.Frames);
        Assert.Equal(0, dbuf.References);
        g.AssertNothingHeld();
    }

    [Theory]
    [InlineData("dbufs")]
    [InlineData("mapped bytes")]
    [InlineData("allocated bytes")]
    public async Task Creates_on_four_rings_at_once_one_below_a_limit_never_pass_it_and_leave_nothing_behind(string limit)
    {
        bool beAlloc = limit == "allocated bytes";
        var options = new BackendOptions();
        switch (limit)
        {
            case "dbufs": options.Limits.MaxDbufs = 2; break;
            case "mapped bytes": options.Limits.MaxMappedBytes = 2 * DbufBytes; break;
            default: options.Limits.MaxBackendAllocatedBytes = 2 * DbufBytes; break;
        }
        using var g = new Guest(connectors: 4, beAlloc, options);
        Assert.Equal(0, await g.Create(0x10, beAlloc));

        // Each create either passes the limit and waits at its first grant map, or is answered.
        g.Platform.Gate.Arm();
        var creates = Enumerable.Range(0, 4).Select(i => g.Create(0x20 + (ulong)i, beAlloc, connector: i)).ToArray();
        TestRig.WaitUntil(() => g.Platform.Gate.Waiting + creates.Count(t => t.IsCompleted) == creates.Length, "every create to pass the limit or be answered");
        g.Platform.Gate.Open();
        int[] statuses = await Task.WhenAll(creates).WaitAsync(Wait);

        Assert.Equal([limit == "dbufs" ? -ENOSPC : -ENOMEM, limit == "dbufs" ? -ENOSPC : -ENOMEM, limit == "dbufs" ? -ENOSPC : -ENOMEM, 0], statuses.Order());
        Assert.Equal(2, g.Store.DbufCount);
        Assert.Equal(beAlloc ? 0 : 2 * DbufBytes, g.Store.MappedBytes);
        Assert.Equal(beAlloc ? 2 * DbufBytes : 0, g.Store.AllocatedBytes);
        Assert.Equal(beAlloc ? 6 : 0, g.Rig.Host.Dom0.Gntshr.ActiveShares);
        Assert.Equal(g.MappedAtStart + (beAlloc ? 0 : 6), g.Rig.Host.Dom0.Gnttab.ActiveMappings);

        foreach (var dbuf in g.Store.Dbufs) Assert.Equal(0, await g.Send(new DbufDestroyRequest(dbuf.Cookie)));
        g.AssertNothingHeld();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_create_that_fails_after_passing_the_limit_gives_its_room_back(bool beAlloc)
    {
        using var g = new Guest(connectors: 1, beAlloc, new BackendOptions { Limits = { MaxDbufs = 1 } });
        // A directory gref the guest never granted: refused at the walk, after the limit was passed.
        Assert.Equal(-ENOENT, await g.Send(new DbufCreateRequest(0x10, 64, 48, 32, 64 * 48 * 4, beAlloc ? DisplifConst.FlagReqAlloc : 0, 4000, 0)));
        Assert.Equal(0, await g.Create(0x11, beAlloc));
        Assert.Equal(-ENOSPC, await g.Create(0x12, beAlloc));
        Assert.Equal(0, await g.Send(new DbufDestroyRequest(0x11)));
        g.AssertNothingHeld();
    }
}
