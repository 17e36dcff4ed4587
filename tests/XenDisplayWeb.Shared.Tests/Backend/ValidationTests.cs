using Microsoft.Extensions.Time.Testing;
using XenDisplayWeb.Shared.Backend;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Pixels;
using XenDisplayWeb.Shared.Rings;
using XenDisplayWeb.Shared.Tests.Host;
using XenDisplayWeb.Shared.Xen;
using static XenDisplayWeb.Shared.Xen.XenErrno;
using DisplifConst = XenDisplayWeb.Shared.Displif.Displif;

namespace XenDisplayWeb.Shared.Tests.Backend;

/// <summary>
/// One named case per validation rule of the backend, each with the exact status a hostile guest gets.
/// Every failing case also checks that nothing changed: no dbuf, no fb, no mapping left. Related cases
/// elsewhere: width-0 dbufs and data_ofs (BufferLifecycleTests), the ring's overflow check (SharedRingTests),
/// misbehaving rings and destroyed guests (HostileGuestTests).
/// </summary>
public class ValidationTests
{
    private const uint Xr24 = (uint)PixelFormat.Xrgb8888;

    /// <summary>A 64x48 connector, no EDID, the guest's own driver idle: requests come from the test alone.</summary>
    private sealed class Guest : IDisposable
    {
        public Guest(bool beAlloc = false, BackendOptions? options = null, FakeTimeProvider? time = null)
        {
            Rig = new TestRig(beAlloc, width: 64, height: 48, useEdid: false, options: options, time: time);
            Rig.WaitConnected();
            MappedAtStart = Rig.Host.Dom0.Gnttab.ActiveMappings;
        }

        public TestRig Rig { get; }
        public int MappedAtStart { get; }
        public BufferStore Store => Rig.BackendDevice.Buffers;

        public Task<int> Send(IDisplifRequest req, int connector = 0) => BufferLifecycleTests.Send(Rig, req, connector);

        public async Task<int> SendRaw(byte[] packet) =>
            (await Rig.Front.Channel(0)!.SendPacketAsync(packet, TimeSpan.FromSeconds(10), TimeProvider.System)).Response.Status;

        /// <summary>Pages of the guest's memory granted to <paramref name="grantee"/>.</summary>
        public uint[] Pages(int count, int grantee = DomId.Dom0, bool readOnly = false, byte fill = 0)
        {
            var pages = Rig.Guest.Memory.AllocatePages(count);
            foreach (var p in pages) p.Span.Fill(fill);
            return pages.Select(p => Rig.Guest.Grants.GrantForeignAccess(grantee, p, readOnly)).ToArray();
        }

        /// <summary>A one-page directory listing <paramref name="grefs"/>, next page <paramref name="next"/>.</summary>
        public uint Directory(uint[] grefs, uint next = 0, bool readOnly = false)
        {
            var page = Rig.Guest.Memory.AllocatePage();
            PageDirectory.Write(page.Span, next, grefs);
            return Rig.Guest.Grants.GrantForeignAccess(DomId.Dom0, page, readOnly);
        }

        /// <summary>A 64x48x32 dbuf (3 pages) made frontend-allocated.</summary>
        public async Task<ulong> Dbuf(ulong cookie = 0x10)
        {
            Assert.Equal(0, await Send(new DbufCreateRequest(cookie, 64, 48, 32, 64 * 48 * 4, 0, Directory(Pages(3)), 0)));
            return cookie;
        }

        public async Task<ulong> Fb(ulong dbuf = 0x10, ulong cookie = 0x20)
        {
            Assert.Equal(0, await Send(new FbAttachRequest(dbuf, cookie, 64, 48, Xr24)));
            return cookie;
        }

        /// <summary>Nothing changed: the dbufs and fbs given, and no mapping but theirs.</summary>
        public void AssertUnchanged(int dbufs = 0, int fbs = 0)
        {
            Assert.Equal(dbufs, Store.DbufCount);
            Assert.Equal(fbs, Store.FbCount);
            Assert.Equal(MappedAtStart + Store.MappedGrants, Rig.Host.Dom0.Gnttab.ActiveMappings);
            Assert.False(Rig.BackendDevice.Misbehaving);
        }

        public void Dispose() => Rig.Dispose();
    }

    // ---- opcode --------------------------------------------------------------------------------

    [Fact]
    public async Task An_unknown_opcode_is_EINVAL()
    {
        using var g = new Guest();
        var p = new byte[64];
        p[2] = 0x7f;
        Assert.Equal(-EINVAL, await g.SendRaw(p));
        g.AssertUnchanged();
    }

    [Fact]
    public async Task A_reserved_opcode_below_0x10_is_EINVAL()
    {
        using var g = new Guest();
        var p = new byte[64];
        p[2] = 0x05;
        Assert.Equal(-EINVAL, await g.SendRaw(p));
        g.AssertUnchanged();
    }

    // ---- reserved bytes: the header says the sender zeroes them; Linux reuses slots without clearing,
    // so the backend checks the fields of the opcode, never the padding (displ_be does the same). ----

    [Fact]
    public async Task Non_zero_reserved_bytes_are_ignored_as_Linux_leaves_stale_ones_in_reused_slots()
    {
        using var g = new Guest();
        var p = new DbufCreateRequest(0x10, 64, 48, 32, 64 * 48 * 4, 0, g.Directory(g.Pages(3)), 0).ToPacket(1);
        p[3] = 0xff; // header reserved
        p[4] = 0xea; p[5] = 0xff; p[6] = 0xff; p[7] = 0xff; // an earlier response's -EINVAL status in the same slot
        p[44] = 0x5a; p[63] = 0xa5; // union tail
        Assert.Equal(0, await g.SendRaw(p));
        g.AssertUnchanged(dbufs: 1);
    }

    [Fact]
    public async Task Flag_bits_other_than_REQ_ALLOC_are_ignored_as_Linux_leaves_a_stale_SET_CONFIG_bpp_there()
    {
        using var g = new Guest();
        Assert.Equal(0, await g.Send(new DbufCreateRequest(0x10, 64, 48, 32, 64 * 48 * 4, 32u << 1, g.Directory(g.Pages(3)), 0)));
        Assert.False(g.Store.Dbuf(0x10)!.BackendAllocated);
    }

    // ---- cookies ---------------------------------------------------------------------------------

    [Fact]
    public async Task Dbuf_create_with_cookie_0_is_EINVAL()
    {
        using var g = new Guest();
        Assert.Equal(-EINVAL, await g.Send(new DbufCreateRequest(0, 64, 48, 32, 64 * 48 * 4, 0, g.Directory(g.Pages(3)), 0)));
        g.AssertUnchanged();
    }

    [Fact]
    public async Task Dbuf_create_with_a_live_cookie_is_EEXIST()
    {
        using var g = new Guest();
        await g.Dbuf(0x10);
        Assert.Equal(-EEXIST, await g.Send(new DbufCreateRequest(0x10, 64, 48, 32, 64 * 48 * 4, 0, g.Directory(g.Pages(3)), 0)));
        g.AssertUnchanged(dbufs: 1);
    }

    [Fact]
    public async Task A_dbuf_cookie_may_be_reused_after_destroy()
    {
        using var g = new Guest();
        await g.Dbuf(0x10);
        Assert.Equal(0, await g.Send(new DbufDestroyRequest(0x10)));
        await g.Dbuf(0x10);
        g.AssertUnchanged(dbufs: 1);
    }

    [Fact]
    public async Task Dbuf_destroy_with_cookie_0_is_EINVAL()
    {
        using var g = new Guest();
        Assert.Equal(-EINVAL, await g.Send(new DbufDestroyRequest(0)));
    }

    [Fact]
    public async Task Dbuf_destroy_of_an_unknown_cookie_is_ENOENT()
    {
        using var g = new Guest();
        Assert.Equal(-ENOENT, await g.Send(new DbufDestroyRequest(0x99)));
    }

    [Fact]
    public async Task Fb_attach_with_fb_cookie_0_is_EINVAL()
    {
        using var g = new Guest();
        await g.Dbuf();
        Assert.Equal(-EINVAL, await g.Send(new FbAttachRequest(0x10, 0, 64, 48, Xr24)));
        g.AssertUnchanged(dbufs: 1);
    }

    [Fact]
    public async Task Fb_attach_with_dbuf_cookie_0_is_EINVAL()
    {
        using var g = new Guest();
        Assert.Equal(-EINVAL, await g.Send(new FbAttachRequest(0, 0x20, 64, 48, Xr24)));
    }

    [Fact]
    public async Task Fb_attach_to_an_unknown_dbuf_is_ENOENT()
    {
        using var g = new Guest();
        Assert.Equal(-ENOENT, await g.Send(new FbAttachRequest(0x99, 0x20, 64, 48, Xr24)));
        g.AssertUnchanged();
    }

    [Fact]
    public async Task Fb_attach_with_a_live_fb_cookie_is_EEXIST()
    {
        using var g = new Guest();
        await g.Fb(await g.Dbuf());
        Assert.Equal(-EEXIST, await g.Send(new FbAttachRequest(0x10, 0x20, 32, 32, Xr24)));
        g.AssertUnchanged(dbufs: 1, fbs: 1);
    }

    [Fact]
    public async Task Fb_detach_with_cookie_0_is_EINVAL()
    {
        using var g = new Guest();
        Assert.Equal(-EINVAL, await g.Send(new FbDetachRequest(0)));
    }

    [Fact]
    public async Task Fb_detach_of_an_unknown_cookie_is_ENOENT()
    {
        using var g = new Guest();
        Assert.Equal(-ENOENT, await g.Send(new FbDetachRequest(0x99)));
    }

    [Fact]
    public async Task Pg_flip_with_cookie_0_is_EINVAL()
    {
        using var g = new Guest();
        Assert.Equal(-EINVAL, await g.Send(new PgFlipRequest(0)));
    }

    [Fact]
    public async Task Pg_flip_of_an_unknown_fb_is_ENOENT()
    {
        using var g = new Guest();
        Assert.Equal(-ENOENT, await g.Send(new PgFlipRequest(0x99)));
    }

    [Fact]
    public async Task Set_config_of_an_unknown_fb_is_ENOENT()
    {
        using var g = new Guest();
        Assert.Equal(-ENOENT, await g.Send(new SetConfigRequest(0x99, 0, 0, 64, 48, 32)));
    }

    [Fact]
    public async Task Set_config_with_fb_cookie_0_and_a_mode_is_EINVAL()
    {
        using var g = new Guest();
        Assert.Equal(-EINVAL, await g.Send(new SetConfigRequest(0, 0, 0, 64, 48, 32)));
    }

    // ---- sizes, overflow-safe, buffer_sz against the limit before any directory walk ---------------

    [Fact]
    public async Task Dbuf_create_with_buffer_sz_0_is_EINVAL()
    {
        using var g = new Guest();
        Assert.Equal(-EINVAL, await g.Send(new DbufCreateRequest(0x10, 0, 0, 0, 0, 0, g.Directory(g.Pages(1)), 0)));
        g.AssertUnchanged();
    }

    [Fact]
    public async Task Dbuf_create_with_buffer_sz_over_the_limit_is_EINVAL_before_the_directory_is_walked()
    {
        using var g = new Guest();
        // The directory gref is not live: a walk would answer -ENOENT. -EINVAL shows it never started.
        Assert.Equal(-EINVAL, await g.Send(new DbufCreateRequest(0x10, 0, 0, 0, uint.MaxValue, 0, 0x7fff_0000, 0)));
        Assert.Equal(-ENOENT, await g.Send(new DbufCreateRequest(0x10, 0, 0, 0, 4096, 0, 0x7fff_0000, 0)));
        g.AssertUnchanged();
    }

    [Fact]
    public async Task Dbuf_create_whose_width_height_bpp_need_more_than_buffer_sz_is_EINVAL()
    {
        using var g = new Guest();
        // 16384 x 16384 x 32 bpp is 1 GiB: a 32-bit product of pitch and height would still fit, the size does not.
        Assert.Equal(-EINVAL, await g.Send(new DbufCreateRequest(0x10, 16384, 16384, 32, 3 * 4096, 0, g.Directory(g.Pages(3)), 0)));
        g.AssertUnchanged();
    }

    [Fact]
    public async Task Dbuf_create_is_bound_by_the_buffer_limit_not_the_mode_limit()
    {
        using var g = new Guest();
        int past = DisplifConst.MaxBufferDimension + 1;
        // Wider than any mode, still a buffer the backend takes.
        Assert.Equal(0, await g.Send(new DbufCreateRequest(0x10, DisplifConst.MaxWidth + 1, 1, 32, 4 * 4096, 0, g.Directory(g.Pages(4)), 0)));
        Assert.Equal(-EINVAL, await g.Send(new DbufCreateRequest(0x11, (uint)past, 1, 32, 17 * 4096, 0, g.Directory(g.Pages(17)), 0)));
        g.AssertUnchanged(dbufs: 1);
    }

    [Fact]
    public async Task Dbuf_create_with_data_ofs_at_or_past_buffer_sz_is_EINVAL()
    {
        using var g = new Guest();
        Assert.Equal(-EINVAL, await g.Send(new DbufCreateRequest(0x10, 0, 0, 0, 4096, 0, g.Directory(g.Pages(1)), 4096)));
        Assert.Equal(-EINVAL, await g.Send(new DbufCreateRequest(0x10, 0, 0, 0, 4096, 0, g.Directory(g.Pages(1)), uint.MaxValue)));
        g.AssertUnchanged();
    }

    [Fact]
    public async Task Dbuf_create_whose_pixels_run_past_buffer_sz_from_data_ofs_is_EINVAL()
    {
        using var g = new Guest();
        // 64x48x32 is exactly 3 pages; 1 byte of data_ofs pushes the last pixel out.
        Assert.Equal(-EINVAL, await g.Send(new DbufCreateRequest(0x10, 64, 48, 32, 64 * 48 * 4, 0, g.Directory(g.Pages(3)), 1)));
        g.AssertUnchanged();
    }

    [Fact]
    public async Task Dbuf_create_with_a_bpp_of_no_pixel_format_is_EINVAL()
    {
        using var g = new Guest();
        Assert.Equal(-EINVAL, await g.Send(new DbufCreateRequest(0x10, 64, 48, 12, 64 * 48 * 4, 0, g.Directory(g.Pages(3)), 0)));
        g.AssertUnchanged();
    }

    [Fact]
    public async Task Dbuf_create_with_a_width_and_height_0_is_EINVAL()
    {
        using var g = new Guest();
        Assert.Equal(-EINVAL, await g.Send(new DbufCreateRequest(0x10, 64, 0, 32, 64 * 48 * 4, 0, g.Directory(g.Pages(3)), 0)));
        g.AssertUnchanged();
    }

    // ---- the page directory ----------------------------------------------------------------------

    [Fact]
    public async Task Dbuf_create_with_gref_directory_0_is_EINVAL()
    {
        using var g = new Guest();
        Assert.Equal(-EINVAL, await g.Send(new DbufCreateRequest(0x10, 64, 48, 32, 64 * 48 * 4, 0, 0, 0)));
        g.AssertUnchanged();
    }

    [Fact]
    public async Task Dbuf_create_whose_directory_ends_before_the_buffer_does_is_EINVAL()
    {
        using var g = new Guest();
        // 1024 data pages need 2 directory pages; the first says there is no next.
        var fake = Enumerable.Repeat(0x1234u, PageDirectory.GrefsPerPage).ToArray();
        Assert.Equal(-EINVAL, await g.Send(new DbufCreateRequest(0x10, 0, 0, 0, 1024 * 4096, 0, g.Directory(fake, next: 0), 0)));
        g.AssertUnchanged();
    }

    [Fact]
    public async Task Dbuf_create_whose_directory_loops_back_is_EINVAL()
    {
        using var g = new Guest();
        var page = g.Rig.Guest.Memory.AllocatePage();
        uint dir = g.Rig.Guest.Grants.GrantForeignAccess(DomId.Dom0, page, false);
        PageDirectory.Write(page.Span, dir, Enumerable.Repeat(0x1234u, PageDirectory.GrefsPerPage).ToArray());
        Assert.Equal(-EINVAL, await g.Send(new DbufCreateRequest(0x10, 0, 0, 0, 3000 * 4096, 0, dir, 0)));
        g.AssertUnchanged();
    }

    [Fact]
    public async Task Dbuf_create_with_a_data_gref_0_is_EINVAL()
    {
        using var g = new Guest();
        var grefs = g.Pages(3);
        grefs[1] = 0;
        Assert.Equal(-EINVAL, await g.Send(new DbufCreateRequest(0x10, 64, 48, 32, 64 * 48 * 4, 0, g.Directory(grefs), 0)));
        g.AssertUnchanged();
    }

    // ---- every gref live, granted by this guest to the backend, with the permission needed --------

    [Fact]
    public async Task Dbuf_create_with_a_data_gref_that_is_not_live_is_ENOENT_and_maps_nothing()
    {
        using var g = new Guest();
        var grefs = g.Pages(3);
        grefs[2] = 0x7fff_0000;
        Assert.Equal(-ENOENT, await g.Send(new DbufCreateRequest(0x10, 64, 48, 32, 64 * 48 * 4, 0, g.Directory(grefs), 0)));
        g.AssertUnchanged(); // the two pages mapped before the bad one were unmapped again
    }

    [Fact]
    public async Task Dbuf_create_with_a_gref_granted_to_another_domain_is_EPERM()
    {
        using var g = new Guest();
        var grefs = g.Pages(3);
        grefs[1] = g.Pages(1, grantee: 7)[0];
        Assert.Equal(-EPERM, await g.Send(new DbufCreateRequest(0x10, 64, 48, 32, 64 * 48 * 4, 0, g.Directory(grefs), 0)));
        g.AssertUnchanged();
    }

    [Fact]
    public async Task Read_only_data_pages_are_enough_for_a_frontend_allocated_dbuf()
    {
        using var g = new Guest();
        Assert.Equal(0, await g.Send(new DbufCreateRequest(0x10, 64, 48, 32, 64 * 48 * 4, 0, g.Directory(g.Pages(3, readOnly: true), readOnly: true), 0)));
        g.AssertUnchanged(dbufs: 1);
    }

    [Fact]
    public async Task Dbuf_create_with_REQ_ALLOC_and_a_read_only_directory_is_EPERM_and_frees_what_it_allocated()
    {
        using var g = new Guest(beAlloc: true);
        uint dir = g.Directory([], readOnly: true);
        Assert.Equal(-EPERM, await g.Send(new DbufCreateRequest(0x10, 64, 48, 32, 64 * 48 * 4, DisplifConst.FlagReqAlloc, dir, 0)));
        Assert.Equal(0, g.Rig.Host.Dom0.Gntshr.ActiveShares);
        g.AssertUnchanged();
    }

    [Fact]
    public async Task Dbuf_create_with_REQ_ALLOC_without_be_alloc_is_EINVAL()
    {
        using var g = new Guest();
        Assert.Equal(-EINVAL, await g.Send(new DbufCreateRequest(0x10, 64, 48, 32, 64 * 48 * 4, DisplifConst.FlagReqAlloc, g.Directory([]), 0)));
        Assert.Equal(0, g.Rig.Host.Dom0.Gntshr.ActiveShares);
        g.AssertUnchanged();
    }

    [Fact]
    public async Task Get_edid_into_a_read_only_page_is_EPERM()
    {
        using var g = new Guest();
        var data = g.Pages(8, readOnly: true);
        Assert.Equal(-EPERM, await g.Send(new GetEdidRequest(DisplifConst.EdidMaxSize, g.Directory(data))));
        g.AssertUnchanged();
    }

    [Fact]
    public async Task Get_edid_with_buffer_sz_under_32768_is_EINVAL()
    {
        using var g = new Guest();
        Assert.Equal(-EINVAL, await g.Send(new GetEdidRequest(4096, g.Directory(g.Pages(1)))));
    }

    // ---- FOURCC and bpp, the framebuffer within its dbuf ------------------------------------------

    [Fact]
    public async Task Fb_attach_with_an_unknown_fourcc_is_EINVAL()
    {
        using var g = new Guest();
        await g.Dbuf();
        Assert.Equal(-EINVAL, await g.Send(new FbAttachRequest(0x10, 0x20, 64, 48, 0x3231564e /* NV12 */)));
        g.AssertUnchanged(dbufs: 1);
    }

    [Fact]
    public async Task Fb_attach_whose_fourcc_bpp_differs_from_the_dbufs_is_EINVAL()
    {
        using var g = new Guest();
        await g.Dbuf(); // 32 bpp
        Assert.Equal(-EINVAL, await g.Send(new FbAttachRequest(0x10, 0x20, 64, 48, (uint)PixelFormat.Rgb565)));
        g.AssertUnchanged(dbufs: 1);
    }

    [Fact]
    public async Task Fb_attach_larger_than_its_dbuf_is_EINVAL()
    {
        using var g = new Guest();
        await g.Dbuf();
        Assert.Equal(-EINVAL, await g.Send(new FbAttachRequest(0x10, 0x20, 65, 48, Xr24)));
        Assert.Equal(-EINVAL, await g.Send(new FbAttachRequest(0x10, 0x20, 64, uint.MaxValue, Xr24)));
        g.AssertUnchanged(dbufs: 1);
    }

    [Fact]
    public async Task Fb_attach_with_width_0_is_EINVAL()
    {
        using var g = new Guest();
        await g.Dbuf();
        Assert.Equal(-EINVAL, await g.Send(new FbAttachRequest(0x10, 0x20, 0, 48, Xr24)));
        g.AssertUnchanged(dbufs: 1);
    }

    // ---- SET_CONFIG within the connector, and PG_FLIP ---------------------------------------------

    [Fact]
    public async Task Set_config_beyond_the_connector_is_EINVAL()
    {
        using var g = new Guest();
        await g.Fb(await g.Dbuf());
        Assert.Equal(-EINVAL, await g.Send(new SetConfigRequest(0x20, 1, 0, 64, 48, 32)));
        Assert.Null(g.Rig.BackendDevice.Connectors[0].Config);
    }

    [Fact]
    public async Task Set_config_with_an_x_that_would_wrap_32_bits_is_EINVAL()
    {
        using var g = new Guest();
        await g.Fb(await g.Dbuf());
        Assert.Equal(-EINVAL, await g.Send(new SetConfigRequest(0x20, uint.MaxValue - 10, 0, 32, 48, 32)));
        Assert.Null(g.Rig.BackendDevice.Connectors[0].Config);
    }

    [Fact]
    public async Task Set_config_larger_than_its_fb_is_EINVAL()
    {
        using var g = new Guest();
        Assert.Equal(0, await g.Send(new FbAttachRequest(await g.Dbuf(), 0x20, 32, 32, Xr24)));
        Assert.Equal(-EINVAL, await g.Send(new SetConfigRequest(0x20, 0, 0, 64, 48, 32)));
    }

    [Fact]
    public async Task Set_config_whose_bpp_differs_from_its_fb_is_EINVAL()
    {
        using var g = new Guest();
        await g.Fb(await g.Dbuf());
        Assert.Equal(-EINVAL, await g.Send(new SetConfigRequest(0x20, 0, 0, 64, 48, 16)));
    }

    [Fact]
    public async Task Pg_flip_before_set_config_is_EINVAL()
    {
        using var g = new Guest();
        await g.Fb(await g.Dbuf());
        Assert.Equal(-EINVAL, await g.Send(new PgFlipRequest(0x20)));
        Assert.Equal(0, g.Rig.Sink.Of(1).Frames);
    }

    // ---- per-guest limits: a negative status and nothing else changes -------------------------------

    [Fact]
    public async Task Over_the_dbuf_limit_is_ENOSPC()
    {
        using var g = new Guest(options: new BackendOptions { Limits = { MaxDbufs = 2 } });
        await g.Dbuf(0x10);
        await g.Dbuf(0x11);
        Assert.Equal(-ENOSPC, await g.Send(new DbufCreateRequest(0x12, 64, 48, 32, 64 * 48 * 4, 0, g.Directory(g.Pages(3)), 0)));
        g.AssertUnchanged(dbufs: 2);
    }

    [Fact]
    public async Task Over_the_mapped_bytes_limit_is_ENOMEM()
    {
        using var g = new Guest(options: new BackendOptions { Limits = { MaxMappedBytes = 4 * 4096 } });
        await g.Dbuf(0x10); // 3 pages
        Assert.Equal(-ENOMEM, await g.Send(new DbufCreateRequest(0x11, 0, 0, 0, 2 * 4096, 0, g.Directory(g.Pages(2)), 0)));
        Assert.Equal(0, await g.Send(new DbufCreateRequest(0x11, 0, 0, 0, 4096, 0, g.Directory(g.Pages(1)), 0)));
        g.AssertUnchanged(dbufs: 2);
    }

    [Fact]
    public async Task Over_the_backend_allocated_bytes_limit_is_ENOMEM()
    {
        using var g = new Guest(beAlloc: true, options: new BackendOptions { Limits = { MaxBackendAllocatedBytes = 4 * 4096 } });
        Assert.Equal(0, await g.Send(new DbufCreateRequest(0x10, 64, 48, 32, 64 * 48 * 4, DisplifConst.FlagReqAlloc, g.Directory([]), 0)));
        Assert.Equal(3, g.Rig.Host.Dom0.Gntshr.ActiveShares);
        Assert.Equal(-ENOMEM, await g.Send(new DbufCreateRequest(0x11, 0, 0, 0, 2 * 4096, DisplifConst.FlagReqAlloc, g.Directory([]), 0)));
        Assert.Equal(3, g.Rig.Host.Dom0.Gntshr.ActiveShares);
        g.AssertUnchanged(dbufs: 1);
    }

    [Fact]
    public async Task Over_the_requests_per_second_limit_is_EBUSY_until_the_second_has_passed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var g = new Guest(options: new BackendOptions { Limits = { MaxRequestsPerSecond = 3 } }, time: time);
        for (int i = 0; i < 3; i++) Assert.Equal(-ENOENT, await g.Send(new DbufDestroyRequest(0x99)));
        Assert.Equal(-EBUSY, await g.Send(new DbufCreateRequest(0x10, 64, 48, 32, 64 * 48 * 4, 0, g.Directory(g.Pages(3)), 0)));
        g.AssertUnchanged();
        time.Advance(TimeSpan.FromSeconds(1));
        await g.Dbuf(0x10);
    }

    // ---- the ring: each request copied out once before it is read ---------------------------------

    [Fact]
    public void A_request_is_copied_out_of_its_slot_so_a_later_rewrite_of_the_slot_changes_nothing()
    {
        var page = new byte[4096];
        var front = FrontRing.Init(page);
        new DbufDestroyRequest(0x10).WriteTo(front.NextRequestSlot(), 1);
        front.ProduceRequest();
        front.PushRequestsAndCheckNotify();

        var back = new BackRing(page);
        var copy = new byte[64];
        back.CopyRequest(copy);
        page.AsSpan(SharedRing.SlotOffset(0), 64).Fill(0xff); // the guest rewrites the slot
        Assert.Equal((byte)XendisplOp.DbufDestroy, PacketHeader.Operation(copy));
        Assert.Equal(0x10ul, DbufDestroyRequest.Read(copy).DbufCookie);
        Assert.Equal(1u, back.ReqCons);
    }
}
