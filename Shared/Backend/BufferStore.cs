using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Xen;
using static XenDisplayWeb.Shared.Xen.XenErrno;

namespace XenDisplayWeb.Shared.Backend;

/// <summary>
/// A device's display buffers and framebuffers, by cookie. Shared by its connectors' ring threads: every
/// check that decides a change (the limits, a cookie's presence) is made under the same lock as the change.
/// </summary>
public sealed class BufferStore
{
    private readonly object _lock = new();
    private readonly Dictionary<ulong, DisplayBuffer> _dbufs = [];
    private readonly Dictionary<ulong, Framebuffer> _fbs = [];
    private readonly Dictionary<ulong, DbufReservation> _reserved = [];

    public int DbufCount { get { lock (_lock) return _dbufs.Count; } }
    public int FbCount { get { lock (_lock) return _fbs.Count; } }

    public long MappedBytes { get { lock (_lock) return Bytes(backendAllocated: false, reserved: false); } }
    public long AllocatedBytes { get { lock (_lock) return Bytes(backendAllocated: true, reserved: false); } }

    /// <summary>Grants the backend maps for these buffers right now (data pages; directories are unmapped after the walk).</summary>
    public int MappedGrants { get { lock (_lock) return _dbufs.Values.Sum(d => d.MappedPages); } }

    public bool ContainsDbuf(ulong cookie) { lock (_lock) return _dbufs.ContainsKey(cookie); }
    public bool ContainsFb(ulong cookie) { lock (_lock) return _fbs.ContainsKey(cookie); }

    public DisplayBuffer? Dbuf(ulong cookie)
    {
        DisplayBuffer? dbuf;
        lock (_lock) dbuf = _dbufs.GetValueOrDefault(cookie);
        AfterDbufLookup?.Invoke(cookie);
        return dbuf;
    }

    /// <summary>Test seam: runs after each dbuf lookup, outside the lock, so a test can hold a request between its lookup and its change.</summary>
    internal Action<ulong>? AfterDbufLookup { get; set; }

    public Framebuffer? Fb(ulong cookie) { lock (_lock) return _fbs.GetValueOrDefault(cookie); }

    public IReadOnlyList<DisplayBuffer> Dbufs { get { lock (_lock) return [.. _dbufs.Values]; } }
    public IReadOnlyList<Framebuffer> Fbs { get { lock (_lock) return [.. _fbs.Values]; } }

    /// <summary>
    /// DBUF_CREATE's room, taken before anything is mapped or allocated: the cookie, one dbuf and its bytes
    /// against the guest's limits, counting the creates in progress on the other rings. Null with the status
    /// (-EEXIST, -ENOSPC, -ENOMEM) when there is no room. Ends in <see cref="Add"/> or <see cref="Cancel"/>.
    /// </summary>
    internal DbufReservation? TryReserve(ulong cookie, bool backendAllocated, long bytes, GuestLimits limits, out CommandResult refused)
    {
        lock (_lock)
        {
            refused = default;
            if (_dbufs.ContainsKey(cookie) || _reserved.ContainsKey(cookie))
                refused = CommandResult.Fail(EEXIST, $"dbuf {PacketDecoder.Hex(cookie)} exists");
            else if (_dbufs.Count + _reserved.Count >= limits.MaxDbufs)
                refused = CommandResult.Fail(ENOSPC, $"guest holds {limits.MaxDbufs} dbufs, the limit");
            else if (Bytes(backendAllocated, reserved: true) + bytes > (backendAllocated ? limits.MaxBackendAllocatedBytes : limits.MaxMappedBytes))
                refused = CommandResult.Fail(ENOMEM, $"{bytes} more bytes would pass the guest's {(backendAllocated ? "allocation" : "mapping")} limit");
            if (refused.Status != 0) return null;
            var reservation = new DbufReservation(cookie, backendAllocated, bytes);
            _reserved.Add(cookie, reservation);
            return reservation;
        }
    }

    /// <summary>The dbuf made in the room reserved for it.</summary>
    internal void Add(DbufReservation reservation, DisplayBuffer dbuf)
    {
        lock (_lock)
        {
            _reserved.Remove(reservation.Cookie);
            _dbufs.Add(dbuf.Cookie, dbuf);
        }
    }

    /// <summary>The create failed after its reservation: the room goes back.</summary>
    internal void Cancel(DbufReservation reservation)
    {
        lock (_lock) _reserved.Remove(reservation.Cookie);
    }

    /// <summary>FB_ATTACH: adds the fb if its dbuf is still here and its cookie free; else -ENOENT or -EEXIST.</summary>
    internal int TryAttach(Framebuffer fb)
    {
        lock (_lock)
        {
            if (_dbufs.GetValueOrDefault(fb.Dbuf.Cookie) != fb.Dbuf) return -ENOENT;
            return _fbs.TryAdd(fb.Cookie, fb) ? 0 : -EEXIST;
        }
    }

    /// <summary>
    /// DBUF_DESTROY: removes the dbuf and the framebuffers attached to it, if it is still here. Only the one
    /// caller that removed it gets true (and the fbs): it alone releases the dbuf.
    /// </summary>
    internal bool TryRemoveDbuf(DisplayBuffer dbuf, out List<Framebuffer> detached)
    {
        lock (_lock)
        {
            detached = [];
            if (_dbufs.GetValueOrDefault(dbuf.Cookie) != dbuf) return false;
            _dbufs.Remove(dbuf.Cookie);
            detached = _fbs.Values.Where(f => f.Dbuf == dbuf).ToList();
            foreach (var f in detached) _fbs.Remove(f.Cookie);
            return true;
        }
    }

    /// <summary>FB_DETACH: removes the fb and returns it; null when it is not here (another ring detached it first).</summary>
    internal Framebuffer? TryRemoveFb(ulong cookie) { lock (_lock) return _fbs.Remove(cookie, out var fb) ? fb : null; }

    /// <summary>Empties the store, returning every dbuf so the caller can unmap or free it.</summary>
    internal List<DisplayBuffer> Clear()
    {
        lock (_lock)
        {
            var all = _dbufs.Values.ToList();
            _dbufs.Clear();
            _fbs.Clear();
            return all;
        }
    }

    /// <summary>Bytes the guest's dbufs of one kind hold (under the lock), with the reservations in progress or not.</summary>
    private long Bytes(bool backendAllocated, bool reserved) =>
        _dbufs.Values.Where(d => d.BackendAllocated == backendAllocated).Sum(d => (long)d.Pages.Length * XenPage.Size)
        + (reserved ? _reserved.Values.Where(r => r.BackendAllocated == backendAllocated).Sum(r => r.Bytes) : 0);
}

/// <summary>Room taken for a DBUF_CREATE in progress (<see cref="BufferStore.TryReserve"/>).</summary>
internal sealed record DbufReservation(ulong Cookie, bool BackendAllocated, long Bytes);
