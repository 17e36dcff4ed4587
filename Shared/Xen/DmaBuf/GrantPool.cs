using static XenDisplayWeb.Shared.Xen.XenErrno;

namespace XenDisplayWeb.Shared.Xen.DmaBuf;

/// <summary>
/// The grants of dom0's table the backend makes for guests (be-alloc buffers: displif warns they can exhaust
/// the backend's grefs), shared so that no guest starves another. The pool holds <see cref="TotalGrants"/>.
/// It keeps <see cref="GuaranteedPerGuest"/> in reserve for every guest that holds grants, and for as many
/// guests more as it takes to make <see cref="GuaranteedGuests"/>; the rest it lends. A take is granted
/// when the guest stays within <see cref="MaxPerGuest"/> and what guests hold above their guarantees, plus
/// the reserve, stays within the total. So:
/// <list type="bullet">
/// <item>a guest that holds grants gets more at once while it stays within its guarantee;</item>
/// <item>a guest that holds none gets up to its guarantee while fewer than <see cref="GuaranteedGuests"/>
/// guests hold grants;</item>
/// <item>a guest above its guarantee borrows only what is neither used nor reserved for the others;</item>
/// <item>refused, a take changes nothing and throws <see cref="XenException"/> ENOMEM saying why.</item>
/// </list>
/// Grants come back when they are ended, not before: a page the guest still maps stays counted.
/// </summary>
public sealed class GrantPool
{
    private readonly object _lock = new();
    private readonly Dictionary<int, int> _used = [];
    private int _inUse;
    private int _borrowed; // sum over guests of what each holds above its guarantee

    public GrantPool(int totalGrants, int guaranteedPerGuest, int guaranteedGuests, int maxPerGuest)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalGrants);
        ArgumentOutOfRangeException.ThrowIfNegative(guaranteedPerGuest);
        ArgumentOutOfRangeException.ThrowIfNegative(guaranteedGuests);
        ArgumentOutOfRangeException.ThrowIfNegative(maxPerGuest);
        if ((long)guaranteedPerGuest * guaranteedGuests > totalGrants)
            throw new ArgumentException($"{guaranteedGuests} guarantees of {guaranteedPerGuest} grants do not fit a pool of {totalGrants}");
        TotalGrants = totalGrants;
        GuaranteedPerGuest = guaranteedPerGuest;
        GuaranteedGuests = guaranteedGuests;
        MaxPerGuest = maxPerGuest;
    }

    public int TotalGrants { get; }
    public int GuaranteedPerGuest { get; }
    public int GuaranteedGuests { get; }
    public int MaxPerGuest { get; }

    public int InUse { get { lock (_lock) return _inUse; } }

    /// <summary>Grants <paramref name="domId"/> holds now.</summary>
    public int UsedBy(int domId)
    {
        lock (_lock) return _used.GetValueOrDefault(domId);
    }

    /// <summary>
    /// Takes <paramref name="grants"/> for <paramref name="domId"/>, checked and taken under one lock. Throws
    /// <see cref="XenException"/> ENOMEM, and takes nothing, when the guest would pass its most or borrow
    /// what is reserved for the others.
    /// </summary>
    public void Take(int domId, int grants)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(grants);
        lock (_lock)
        {
            int used = _used.GetValueOrDefault(domId);
            if ((long)used + grants > MaxPerGuest)
                throw new XenException(ENOMEM, $"dom{domId} holds {used} of dom0's pooled grants: {grants} more would pass its most, {MaxPerGuest}");
            long borrowed = _borrowed - Over(used) + Over(used + grants);
            if (Committed(_used.Count + (used == 0 ? 1 : 0), borrowed) > TotalGrants)
                throw new XenException(ENOMEM, $"dom{domId} holds {used} of dom0's pooled grants ({GuaranteedPerGuest} guaranteed): {grants} more would take "
                    + $"grants reserved for other guests ({Lendable()} of {TotalGrants} free to lend)");
            _used[domId] = used + grants;
            _inUse += grants;
            _borrowed = (int)borrowed;
        }
    }

    /// <summary>Gives back <paramref name="grants"/> of <paramref name="domId"/>'s, once they are ended.</summary>
    public void Return(int domId, int grants)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(grants);
        if (grants == 0) return;
        lock (_lock)
        {
            int used = _used.GetValueOrDefault(domId);
            if (grants > used) throw new InvalidOperationException($"dom{domId} gives back {grants} pooled grants but holds {used}");
            _borrowed += Over(used - grants) - Over(used);
            _inUse -= grants;
            if (used == grants) _used.Remove(domId);
            else _used[domId] = used - grants;
        }
    }

    /// <summary>The pool now: its figures, and the share of every guest that holds grants.</summary>
    public GrantPoolSnapshot Snapshot()
    {
        lock (_lock)
        {
            var guests = _used.OrderBy(kv => kv.Key).Select(kv => ShareOf(kv.Key)).ToList();
            int reserved = (int)(Reserve(_used.Count) - (_inUse - _borrowed));
            return new GrantPoolSnapshot(TotalGrants, GuaranteedPerGuest, GuaranteedGuests, MaxPerGuest, _inUse, reserved, Lendable(), guests);
        }
    }

    /// <summary>One guest's share now (also of a guest that holds nothing yet).</summary>
    public GrantShare Share(int domId)
    {
        lock (_lock) return ShareOf(domId);
    }

    private GrantShare ShareOf(int domId)
    {
        int used = _used.GetValueOrDefault(domId);
        bool guaranteed = used > 0 || _used.Count < GuaranteedGuests;
        // A guest that holds nothing while the guarantees are all taken must first find a guarantee's worth to lend.
        int entry = guaranteed ? 0 : GuaranteedPerGuest;
        int lendable = Lendable();
        int canTake = lendable < entry ? 0
            : (int)Math.Min(MaxPerGuest - used, (long)Math.Max(0, GuaranteedPerGuest - used) + lendable - entry);
        return new GrantShare(domId, used, guaranteed ? GuaranteedPerGuest : 0, Over(used), canTake);
    }

    private int Over(int used) => Math.Max(0, used - GuaranteedPerGuest);

    /// <summary>What the pool must be able to give: every guarantee (at least <see cref="GuaranteedGuests"/>) and what is borrowed.</summary>
    private long Committed(int holders, long borrowed) => Reserve(holders) + borrowed;

    private long Reserve(int holders) => (long)Math.Max(holders, GuaranteedGuests) * GuaranteedPerGuest;

    /// <summary>Grants neither used nor reserved: what a guest above its guarantee may still borrow.</summary>
    private int Lendable() => (int)(TotalGrants - Committed(_used.Count, _borrowed));
}

/// <summary>Dom0's grant pool at one moment (<see cref="GrantPool"/>): used + reserved + lendable = total.</summary>
/// <param name="Reserved">Guarantees not used yet: kept for the guests that hold less than theirs, and for guests to come.</param>
/// <param name="Lendable">Neither used nor reserved: what a guest above its guarantee may borrow.</param>
public sealed record GrantPoolSnapshot(int TotalGrants, int GuaranteedPerGuest, int GuaranteedGuests, int MaxPerGuest,
    int InUse, int Reserved, int Lendable, IReadOnlyList<GrantShare> Guests);

/// <summary>One guest's share of dom0's grant pool.</summary>
/// <param name="Guaranteed">Grants it gets whatever the others take (0: every guarantee is held by other guests).</param>
/// <param name="Borrowed">What it holds above its guarantee.</param>
/// <param name="CanTake">The most one take may add now.</param>
public sealed record GrantShare(int DomId, int Used, int Guaranteed, int Borrowed, int CanTake);
