using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.Tests.Xen;

/// <summary>Domain ids handed out as Xen's createdomain does, and a domain whose creation fails half way undone.</summary>
public class SimXenHostTests
{
    [Fact]
    public void Ids_go_round_robin_past_freed_ones_wrap_after_the_last_to_the_lowest_free_and_run_out_with_ENOMEM()
    {
        using var host = new SimXenHost(maxDomId: 4);
        Assert.Equal([1, 2, 3], new[] { host.CreateDomain("a"), host.CreateDomain("b"), host.CreateDomain("c") }.Select(d => d.DomId));

        host.DestroyDomain(2);
        Assert.Equal(4, host.CreateDomain("d").DomId); // not 2: a freed id waits for the wrap
        host.DestroyDomain(1);
        Assert.Equal(1, host.CreateDomain("e").DomId); // wrapped: 1 is free again
        Assert.Equal(2, host.CreateDomain("f").DomId);

        var full = Assert.Throws<XenException>(() => host.CreateDomain("g"));
        Assert.Equal(XenErrno.ENOMEM, full.Errno);
        Assert.Equal([0, 1, 2, 3, 4], host.Domains.Select(d => d.DomId));
    }

    [Fact]
    public void An_id_asked_for_outside_the_guest_range_is_refused()
    {
        using var host = new SimXenHost();
        Assert.Equal(XenErrno.EINVAL, Assert.Throws<XenException>(() => host.CreateDomain(DomId.FirstReserved, "reserved")).Errno);
        Assert.Equal(DomId.MaxGuest, host.CreateDomain(DomId.MaxGuest, "last").DomId);
    }

    [Fact]
    public void A_domain_whose_name_XenStore_refuses_is_undone_and_its_id_stays_free()
    {
        using var host = new SimXenHost();
        var seen = new List<(int, bool)>();
        host.DomainsChanged += (d, created) => seen.Add((d.DomId, created));

        Assert.Throws<XenStoreException>(() => host.CreateDomain(5, new string('n', XenStore.MaxValueBytes + 1)));

        Assert.Null(host.GetDomain(5));
        Assert.Equal([0], host.Domains.Select(d => d.DomId));
        Assert.Empty(seen);
        using (var xs = host.Store.Connect(DomId.Dom0))
            Assert.False(xs.Exists("/local/domain/5"));
        Assert.Equal(5, host.CreateDomain(5, "again").DomId);
    }
}
