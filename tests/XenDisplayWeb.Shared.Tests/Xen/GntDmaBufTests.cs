using Microsoft.Extensions.Time.Testing;
using XenDisplayWeb.Shared.Xen;
using XenDisplayWeb.Shared.Xen.DmaBuf;
using static XenDisplayWeb.Shared.Xen.XenErrno;

namespace XenDisplayWeb.Shared.Tests.Xen;

public class GntDmaBufTests
{
    private readonly SimXenHost _host = new();
    private readonly SimDomain _guest;
    private readonly FakeTimeProvider _time = new();
    private readonly GntDmaBuf _gntdev;

    public GntDmaBufTests()
    {
        _guest = _host.CreateDomain(1, "g");
        _gntdev = new GntDmaBuf(_host.Dom0, _time);
    }

    private (XenPage[] Pages, uint[] Grefs) Granted(int n)
    {
        var pages = _guest.Memory.AllocatePages(n);
        return (pages, pages.Select(p => _guest.Grants.GrantForeignAccess(0, p, readOnly: false)).ToArray());
    }

    [Fact]
    public void An_export_reads_the_guests_pages_in_place_and_maps_each_gref_once()
    {
        var (pages, grefs) = Granted(3);
        var bo = _gntdev.ExportFromRefs(1, grefs);
        pages[2].Span[17] = 0x5A; // written by the guest after the export: seen, no copy was made
        Assert.Equal(0x5A, bo.Pages[2].Span[17]);
        Assert.Equal(3, bo.MappedPages);
        Assert.Equal(1, bo.References);
        Assert.All(grefs, g => Assert.Equal(1, _guest.Grants.MapCount(g)));
    }

    [Fact]
    public void Write_combine_and_coherent_together_are_refused_and_nothing_is_mapped()
    {
        var (_, grefs) = Granted(2);
        var e = Assert.Throws<XenException>(() => _gntdev.ExportFromRefs(1, grefs, DmaBufFlags.WriteCombine | DmaBufFlags.Coherent));
        Assert.Equal(EINVAL, e.Errno);
        Assert.Equal(0, _host.Dom0.Gnttab.ActiveMappings);
    }

    [Fact]
    public void An_export_with_a_dead_gref_fails_and_unmaps_the_ones_it_had_mapped()
    {
        var (_, grefs) = Granted(3);
        _guest.Grants.EndForeignAccess(grefs[2]);
        Assert.Throws<XenException>(() => _gntdev.ExportFromRefs(1, grefs));
        Assert.Equal(0, _host.Dom0.Gnttab.ActiveMappings);
        Assert.Equal(0, _gntdev.LiveExports);
    }

    [Fact]
    public async Task Wait_released_returns_0_once_the_last_reference_is_gone_and_the_grants_are_unmapped()
    {
        var (_, grefs) = Granted(2);
        var bo = _gntdev.ExportFromRefs(1, grefs);
        Assert.True(bo.Retain()); // a reader holds it
        bo.Release(); // the exporter lets go
        var wait = _gntdev.WaitReleasedAsync(bo.Fd, TimeSpan.FromMilliseconds(2000));
        Assert.False(wait.IsCompleted);
        Assert.Equal(2, _host.Dom0.Gnttab.ActiveMappings);
        bo.Release(); // the reader is done
        Assert.Equal(0, await wait);
        Assert.Equal(0, _host.Dom0.Gnttab.ActiveMappings);
        Assert.All(grefs, g => Assert.Equal(0, _guest.Grants.MapCount(g)));
        Assert.False(bo.Retain());
    }

    [Fact]
    public async Task Wait_released_times_out_with_ETIMEDOUT_while_a_reference_is_held()
    {
        var (_, grefs) = Granted(1);
        var bo = _gntdev.ExportFromRefs(1, grefs);
        var wait = _gntdev.WaitReleasedAsync(bo.Fd, TimeSpan.FromMilliseconds(2000));
        _time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.False(wait.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(-ETIMEDOUT, await wait);
        Assert.Equal(1, _host.Dom0.Gnttab.ActiveMappings); // still held, still mapped
        bo.Release();
        Assert.Equal(0, _host.Dom0.Gnttab.ActiveMappings);
    }

    [Fact]
    public async Task Wait_released_is_ENOENT_for_an_unknown_or_already_released_buffer()
    {
        Assert.Equal(-ENOENT, await _gntdev.WaitReleasedAsync(12345, TimeSpan.FromSeconds(1)));
        var (_, grefs) = Granted(1);
        var bo = _gntdev.ExportFromRefs(1, grefs);
        bo.Release();
        Assert.Equal(-ENOENT, await _gntdev.WaitReleasedAsync(bo.Fd, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void An_import_grants_whole_pages_from_offset_0_which_the_guest_maps_and_release_ends_the_grants()
    {
        var import = _gntdev.ImportToRefs(1, 3);
        Assert.Equal(3, import.Grefs.Length);
        Assert.All(import.Pages, p => Assert.Equal(XenPage.Size, p.Length));
        var map = _guest.Gnttab.Map(0, import.Grefs[1], readOnly: false);
        map.Span[0] = 0x42; // the guest draws into the backend's page
        Assert.Equal(0x42, import.Pages[1].Span[0]);
        _guest.Gnttab.Unmap(map);
        Assert.Equal(3, _host.Dom0.Gntshr.ActiveShares);
        Assert.Equal(0, _gntdev.ImportRelease(import.Fd));
        Assert.Equal(0, _host.Dom0.Gntshr.ActiveShares);
        Assert.Equal(-ENOENT, _gntdev.ImportRelease(import.Fd));
    }

    [Fact]
    public void Releasing_an_import_the_guest_still_maps_keeps_those_pages_until_it_lets_go()
    {
        var import = _gntdev.ImportToRefs(1, 2);
        var map = _guest.Gnttab.Map(0, import.Grefs[0], readOnly: false);
        Assert.Equal(0, _gntdev.ImportRelease(import.Fd));
        Assert.Equal(1, _host.Dom0.Gntshr.ActiveShares);
        Assert.Equal(1, _gntdev.EndStillMapped());
        _guest.Gnttab.Unmap(map);
        Assert.Equal(0, _gntdev.EndStillMapped());
        Assert.Equal(0, _gntdev.StillMappedPages);
        Assert.Equal(0, _host.Dom0.Gntshr.ActiveShares);
    }

    [Fact]
    public void Closing_an_export_twice_drops_the_exporters_reference_once_and_never_a_readers()
    {
        var (_, grefs) = Granted(2);
        var bo = _gntdev.ExportFromRefs(1, grefs);
        Assert.True(bo.Retain()); // a reader
        Assert.True(bo.Close());
        Assert.False(bo.Close());
        Assert.Equal(1, bo.References);
        Assert.Equal(2, bo.MappedPages);
        bo.Release();
        Assert.Equal(0, _host.Dom0.Gnttab.ActiveMappings);
    }

    [Fact]
    public void An_import_released_while_a_reader_holds_it_keeps_its_pages_and_grants_until_the_reader_lets_go()
    {
        var import = _gntdev.ImportToRefs(1, 2);
        Assert.True(import.Retain()); // a reader
        Assert.Equal(0, _gntdev.ImportRelease(import.Fd));
        Assert.Equal(-ENOENT, _gntdev.ImportRelease(import.Fd)); // the importer's reference goes once
        Assert.Equal(1, import.References);
        Assert.Equal(2, _host.Dom0.Gntshr.ActiveShares);
        import.Release();
        Assert.True(import.Released);
        Assert.False(import.Retain());
        Assert.Equal(0, _host.Dom0.Gntshr.ActiveShares);
    }

    // ---- dom0's grant pool -----------------------------------------------------------------------

    private GntDmaBuf Pooled(SimDomain? dom0 = null) =>
        new(dom0 ?? _host.Dom0, _time, new GrantPool(totalGrants: 8, guaranteedPerGuest: 2, guaranteedGuests: 2, maxPerGuest: 8));

    [Fact]
    public void An_import_over_the_guests_share_is_ENOMEM_and_grants_nothing()
    {
        var gntdev = Pooled();
        gntdev.ImportToRefs(1, 6); // its guarantee of 2 and the 4 to lend
        var e = Assert.Throws<XenException>(() => gntdev.ImportToRefs(1, 1));
        Assert.Equal(ENOMEM, e.Errno);
        Assert.Equal(6, _host.Dom0.Gntshr.ActiveShares);
        Assert.Equal(6, gntdev.Pool!.InUse);
        gntdev.ImportToRefs(2, 2); // the other guest's guarantee was kept
    }

    [Fact]
    public void Releasing_an_import_gives_its_grants_back_to_the_pool()
    {
        var gntdev = Pooled();
        var import = gntdev.ImportToRefs(1, 6);
        Assert.Equal(0, gntdev.ImportRelease(import.Fd));
        Assert.Equal(0, gntdev.Pool!.InUse);
        gntdev.ImportToRefs(1, 6);
    }

    [Fact]
    public void Pages_the_guest_still_maps_stay_counted_until_they_are_ended_and_come_back_once()
    {
        var gntdev = Pooled();
        var import = gntdev.ImportToRefs(1, 3);
        var map = _guest.Gnttab.Map(0, import.Grefs[2], readOnly: false);
        gntdev.ImportRelease(import.Fd);
        Assert.Equal(1, gntdev.Pool!.UsedBy(1));
        gntdev.EndStillMapped();
        Assert.Equal(1, gntdev.Pool.UsedBy(1));
        _guest.Gnttab.Unmap(map);
        gntdev.EndStillMapped();
        gntdev.EndStillMapped();
        Assert.Equal(0, gntdev.Pool.UsedBy(1));
        Assert.Equal(0, _host.Dom0.Gntshr.ActiveShares);
    }

    [Fact]
    public void An_import_that_finds_no_memory_gives_its_grants_back()
    {
        var small = _host.CreateDomain(5, "small", maxPages: 4); // a granting domain with little memory
        var gntdev = Pooled(small);
        Assert.Equal(ENOMEM, Assert.Throws<XenException>(() => gntdev.ImportToRefs(1, 5)).Errno);
        Assert.Equal(0, gntdev.Pool!.InUse);
        gntdev.ImportToRefs(1, 4);
    }
}
