namespace XenDisplayWeb.Shared.Xen;

/// <summary>
/// A domain's grant table, version 1: the pages this domain lets other domains map.
/// Grant reference 0 is never valid; Linux reserves the first 8 entries, so refs start at 8.
/// </summary>
public sealed class GrantTable(int ownerDomId, int maxEntries = GrantTable.DefaultMaxEntries)
{
    public const uint FirstUsableRef = 8;

    /// <summary>Entries of a domain's table unless told otherwise: what the simulated host gives every domain, dom0 included.</summary>
    public const int DefaultMaxEntries = 1 << 16;

    private readonly object _lock = new();
    private readonly Dictionary<uint, GrantEntry> _entries = [];
    private readonly Stack<uint> _free = new();
    private uint _next = FirstUsableRef;

    public int OwnerDomId { get; } = ownerDomId;
    public int MaxEntries { get; } = maxEntries;

    public int ActiveGrants { get { lock (_lock) return _entries.Count; } }

    /// <summary>gnttab_grant_foreign_access: lets <paramref name="granteeDomId"/> map <paramref name="page"/>.</summary>
    public uint GrantForeignAccess(int granteeDomId, XenPage page, bool readOnly)
    {
        lock (_lock)
        {
            if (_entries.Count >= MaxEntries)
                throw new XenException(XenErrno.ENOSPC, $"domain {OwnerDomId} has no free grant entries");
            uint gref = _free.Count > 0 ? _free.Pop() : _next++;
            _entries[gref] = new GrantEntry(gref, granteeDomId, page, readOnly);
            return gref;
        }
    }

    /// <summary>gnttab_end_foreign_access: fails with EBUSY while the grantee still maps the page.</summary>
    public void EndForeignAccess(uint gref)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(gref, out var entry))
                throw new XenException(XenErrno.ENOENT, $"domain {OwnerDomId} has no grant {gref}");
            if (entry.MapCount > 0)
                throw new XenException(XenErrno.EBUSY, $"grant {gref} of domain {OwnerDomId} is still mapped by domain {entry.GranteeDomId}");
            _entries.Remove(gref);
            _free.Push(gref);
        }
    }

    public bool TryEndForeignAccess(uint gref)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(gref, out var entry) || entry.MapCount > 0) return false;
            _entries.Remove(gref);
            _free.Push(gref);
            return true;
        }
    }

    /// <summary>The page behind a live grant of this domain (for the granting side itself).</summary>
    public XenPage? PageOf(uint gref)
    {
        lock (_lock) return _entries.TryGetValue(gref, out var e) ? e.Page : null;
    }

    /// <summary>How many times the grantee maps this grant now (0 when it is not live).</summary>
    public int MapCount(uint gref)
    {
        lock (_lock) return _entries.TryGetValue(gref, out var e) ? e.MapCount : 0;
    }

    internal XenPage Map(int mapperDomId, uint gref, bool readOnly)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(gref, out var entry))
                throw new XenException(XenErrno.ENOENT, $"grant {gref} of domain {OwnerDomId} is not live");
            if (entry.GranteeDomId != mapperDomId)
                throw new XenException(XenErrno.EPERM, $"grant {gref} of domain {OwnerDomId} is for domain {entry.GranteeDomId}, not {mapperDomId}");
            if (entry.ReadOnly && !readOnly)
                throw new XenException(XenErrno.EPERM, $"grant {gref} of domain {OwnerDomId} is read-only");
            entry.MapCount++;
            return entry.Page;
        }
    }

    internal void Unmap(uint gref)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(gref, out var entry) && entry.MapCount > 0) entry.MapCount--;
        }
    }

    /// <summary>Drops every grant whatever its mappings: the domain is gone. Mapped pages stay alive for their mappers.</summary>
    internal void Revoke()
    {
        lock (_lock)
        {
            _entries.Clear();
            _free.Clear();
        }
    }

    public IReadOnlyList<GrantInfo> Snapshot()
    {
        lock (_lock)
            return _entries.Values.OrderBy(e => e.Gref)
                .Select(e => new GrantInfo(OwnerDomId, e.Gref, e.GranteeDomId, e.ReadOnly, e.MapCount, e.Page.Pfn))
                .ToList();
    }

    private sealed class GrantEntry(uint gref, int granteeDomId, XenPage page, bool readOnly)
    {
        public uint Gref { get; } = gref;
        public int GranteeDomId { get; } = granteeDomId;
        public XenPage Page { get; } = page;
        public bool ReadOnly { get; } = readOnly;
        public int MapCount { get; set; }
    }
}

/// <summary>One grant as the dashboard shows it: who granted what to whom, and how often it is mapped.</summary>
public sealed record GrantInfo(int GranterDomId, uint Gref, int GranteeDomId, bool ReadOnly, int MapCount, ulong Pfn);
