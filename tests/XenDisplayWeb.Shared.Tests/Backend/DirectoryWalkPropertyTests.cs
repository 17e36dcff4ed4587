using XenDisplayWeb.Shared.Xen.DmaBuf;
using FsCheck.Xunit;
using Microsoft.Extensions.Logging.Abstractions;
using XenDisplayWeb.Shared.Backend;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Xen;
using static XenDisplayWeb.Shared.Xen.XenErrno;

namespace XenDisplayWeb.Shared.Tests.Backend;

/// <summary>
/// DBUF_CREATE over random page directories (links, loops, early ends, bad and foreign grefs, read-only
/// pages) straight into the backend's command handler: it never throws, answers only documented statuses,
/// and maps exactly the buffer's pages on success and nothing on failure.
/// </summary>
public class DirectoryWalkPropertyTests
{
    private static readonly int[] Documented = [0, -EINVAL, -ENOENT, -EPERM, -ENOMEM, -ENOSPC, -EEXIST];

    [Property(MaxTest = 300)]
    public bool Random_directories_get_a_documented_status_and_leave_exactly_the_buffers_pages_mapped(int seed, bool beAlloc)
    {
        var rng = new Random(seed);
        using var host = new SimXenHost();
        var guest = host.CreateDomain(1, "guest");
        host.CreateDomain(2, "other");
        var store = new BufferStore();
        var options = new BackendOptions { MaxBufferBytes = 8u << 20 };
        var commands = new CommandHandler(host.Dom0, 1, beAlloc, 2, store, options,
            new GuestRateLimiter(TimeProvider.System, () => 0), NullLogger.Instance,
            new DbufMemory(new GntDmaBuf(host.Dom0), () => true, () => options.DbufReleaseTimeout, TimeProvider.System));

        int dataPages = rng.Next(4) == 0 ? rng.Next(1020, 1100) : rng.Next(1, 12);
        var data = guest.Memory.AllocatePages(dataPages).Select(p => guest.Grants.GrantForeignAccess(rng.Next(30) == 0 ? 2 : 0, p, rng.Next(10) == 0)).ToArray();
        int dirCount = rng.Next(1, 4);
        var dirPages = guest.Memory.AllocatePages(dirCount);
        var dirs = dirPages.Select(p => guest.Grants.GrantForeignAccess(0, p, rng.Next(8) == 0)).ToArray();
        uint Any() => rng.Next(5) switch { 0 => 0, 1 => (uint)rng.Next(), 2 => dirs[rng.Next(dirs.Length)], _ => data[rng.Next(data.Length)] };
        for (int d = 0; d < dirCount; d++)
        {
            uint next = rng.Next(4) == 0 ? Any() : d + 1 < dirCount ? dirs[d + 1] : 0;
            var grefs = data.Skip(d * PageDirectory.GrefsPerPage).Take(PageDirectory.GrefsPerPage).Select(g => rng.Next(40) == 0 ? Any() : g).ToArray();
            PageDirectory.Write(dirPages[d].Span, next, grefs);
            if (rng.Next(6) == 0) rng.NextBytes(dirPages[d].Span[..rng.Next(1, 4096)]);
        }
        uint size = (uint)dataPages * 4096 - (uint)rng.Next(0, 4096);
        if (rng.Next(8) == 0) size = (uint)rng.NextInt64(0, 1L << 32);
        var req = new DbufCreateRequest((ulong)rng.Next(0, 3), 0, 0, 0, size, beAlloc ? XenDisplayWeb.Shared.Displif.Displif.FlagReqAlloc : (uint)rng.Next(2), rng.Next(10) == 0 ? Any() : dirs[0], 0);

        var result = commands.Handle(req.ToPacket(1), null!);
        bool ok = Documented.Contains(result.Status);
        if (result.Status == 0)
        {
            var dbuf = store.Dbuf(req.DbufCookie)!;
            ok &= dbuf.Pages.Length == PageDirectory.DataPageCount(size);
            ok &= host.Dom0.Gnttab.ActiveMappings == (beAlloc ? 0 : dbuf.Pages.Length);
            ok &= host.Dom0.Gntshr.ActiveShares == (beAlloc ? dbuf.Pages.Length : 0);
            foreach (var b in store.Clear()) commands.Release(b);
        }
        else ok &= store.DbufCount == 0;
        return ok && host.Dom0.Gnttab.ActiveMappings == 0 && host.Dom0.Gntshr.ActiveShares == 0;
    }
}
