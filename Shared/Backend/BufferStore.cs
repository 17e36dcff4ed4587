namespace XenDisplayWeb.Shared.Backend;

/// <summary>A device's display buffers and framebuffers, by cookie. Shared by its connectors' ring threads.</summary>
public sealed class BufferStore
{
    private readonly object _lock = new();
    private readonly Dictionary<ulong, DisplayBuffer> _dbufs = [];
    private readonly Dictionary<ulong, Framebuffer> _fbs = [];

    public int DbufCount { get { lock (_lock) return _dbufs.Count; } }
    public int FbCount { get { lock (_lock) return _fbs.Count; } }

    public long MappedBytes { get { lock (_lock) return _dbufs.Values.Where(d => !d.BackendAllocated).Sum(d => (long)d.Pages.Length * 4096); } }
    public long AllocatedBytes { get { lock (_lock) return _dbufs.Values.Where(d => d.BackendAllocated).Sum(d => (long)d.Pages.Length * 4096); } }

    /// <summary>Grants the backend maps for these buffers right now (data pages; directories are unmapped after the walk).</summary>
    public int MappedGrants { get { lock (_lock) return _dbufs.Values.Sum(d => d.MappedPages); } }

    public bool ContainsDbuf(ulong cookie) { lock (_lock) return _dbufs.ContainsKey(cookie); }
    public bool ContainsFb(ulong cookie) { lock (_lock) return _fbs.ContainsKey(cookie); }

    public DisplayBuffer? Dbuf(ulong cookie) { lock (_lock) return _dbufs.GetValueOrDefault(cookie); }
    public Framebuffer? Fb(ulong cookie) { lock (_lock) return _fbs.GetValueOrDefault(cookie); }

    public IReadOnlyList<DisplayBuffer> Dbufs { get { lock (_lock) return [.. _dbufs.Values]; } }
    public IReadOnlyList<Framebuffer> Fbs { get { lock (_lock) return [.. _fbs.Values]; } }

    internal bool TryAdd(DisplayBuffer dbuf) { lock (_lock) return _dbufs.TryAdd(dbuf.Cookie, dbuf); }
    internal bool TryAdd(Framebuffer fb) { lock (_lock) return _fbs.TryAdd(fb.Cookie, fb); }

    /// <summary>Removes a dbuf and the framebuffers attached to it; returns those framebuffers.</summary>
    internal List<Framebuffer> RemoveDbuf(DisplayBuffer dbuf)
    {
        lock (_lock)
        {
            _dbufs.Remove(dbuf.Cookie);
            var attached = _fbs.Values.Where(f => f.Dbuf == dbuf).ToList();
            foreach (var f in attached) _fbs.Remove(f.Cookie);
            return attached;
        }
    }

    internal bool RemoveFb(ulong cookie) { lock (_lock) return _fbs.Remove(cookie); }

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
}
