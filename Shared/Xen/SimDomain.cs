namespace XenDisplayWeb.Shared.Xen;

/// <summary>One domain of the simulated host, and its handles onto Xen.</summary>
public sealed class SimDomain : IGuestPlatform, IDisposable
{
    private readonly SimXenHost _host;
    private readonly XenStoreConnection _store;

    internal SimDomain(SimXenHost host, int domId, string name, int maxPages)
    {
        _host = host;
        DomId = domId;
        Name = name;
        Memory = new GuestMemory(domId, maxPages);
        Grants = new GrantTable(domId);
        _store = host.Store.Connect(domId);
        MapperHandle = new Mapper(this);
        SharerHandle = new Sharer(this);
        EvtchnHandle = new Channels(this);
    }

    public int DomId { get; }
    public string Name { get; }
    public bool IsDying { get; private set; }
    public GuestMemory Memory { get; }
    public GrantTable Grants { get; }
    public IXenStore Store => _store;
    public IGrantMapper Gnttab => MapperHandle;
    public IGrantSharer Gntshr => SharerHandle;
    public IEventChannels Evtchn => EvtchnHandle;

    internal Mapper MapperHandle { get; }

    /// <summary>Grants of <paramref name="granterDomId"/> this domain maps right now.</summary>
    public int MappingsOf(int granterDomId) => MapperHandle.ActiveMappingsOf(granterDomId);
    internal Sharer SharerHandle { get; }
    internal Channels EvtchnHandle { get; }

    internal void Kill()
    {
        IsDying = true;
        MapperHandle.ReleaseAll(); // gnttab_release_mappings: a dying domain's mappings of others' grants go with it
        Grants.Revoke();
        Memory.FreeAll();
        _store.Dispose();
    }

    public void Dispose() => _store.Dispose();

    internal sealed class Mapper(SimDomain self) : IGrantMapper
    {
        private int _active;
        private readonly HashSet<GrantMapping> _live = [];
        public int ActiveMappings => Volatile.Read(ref _active);

        /// <summary>Mappings this domain holds of <paramref name="granterDomId"/>'s grants.</summary>
        public int ActiveMappingsOf(int granterDomId)
        {
            lock (_live) return _live.Count(m => m.DomId == granterDomId);
        }

        internal void ReleaseAll()
        {
            List<GrantMapping> all;
            lock (_live) all = [.. _live];
            foreach (var m in all) Unmap(m);
        }

        public GrantMapping Map(int domId, uint gref, bool readOnly)
        {
            var granter = self._host.GetDomain(domId);
            if (granter is null || granter.IsDying)
                throw new XenException(XenErrno.ESRCH, $"domain {domId} does not exist");
            if (gref == 0)
                throw new XenException(XenErrno.EINVAL, "grant reference 0 is never valid");
            var page = granter.Grants.Map(self.DomId, gref, readOnly);
            Interlocked.Increment(ref _active);
            var mapping = new GrantMapping(domId, gref, readOnly, page);
            lock (_live) _live.Add(mapping);
            return mapping;
        }

        public void Unmap(GrantMapping mapping)
        {
            lock (_live)
            {
                if (!mapping.IsMapped) return;
                mapping.IsMapped = false;
                _live.Remove(mapping);
            }
            Interlocked.Decrement(ref _active);
            self._host.GetDomain(mapping.DomId)?.Grants.Unmap(mapping.Gref);
        }
    }

    internal sealed class Sharer(SimDomain self) : IGrantSharer
    {
        private int _active;
        public int ActiveShares => Volatile.Read(ref _active);

        public SharedPage[] Share(int granteeDomId, int count, bool readOnly)
        {
            var pages = self.Memory.AllocatePages(count);
            var shared = new SharedPage[count];
            int done = 0;
            try
            {
                for (; done < count; done++)
                    shared[done] = new SharedPage(granteeDomId, self.Grants.GrantForeignAccess(granteeDomId, pages[done], readOnly), pages[done], readOnly);
                Interlocked.Add(ref _active, count);
                return shared;
            }
            catch
            {
                for (int i = 0; i < done; i++) self.Grants.TryEndForeignAccess(shared[i].Gref);
                foreach (var p in pages) self.Memory.FreePage(p);
                throw;
            }
        }

        public bool IsInUse(SharedPage page) => self.Grants.MapCount(page.Gref) > 0;

        public void Unshare(SharedPage page)
        {
            self.Grants.EndForeignAccess(page.Gref);
            self.Memory.FreePage(page.Page);
            Interlocked.Decrement(ref _active);
        }
    }

    internal sealed class Channels(SimDomain self) : IEventChannels
    {
        public EventChannel AllocUnbound(int remoteDomId) => self._host.Evtchn.AllocUnbound(self.DomId, remoteDomId);
        public EventChannel BindInterdomain(int remoteDomId, int remotePort) => self._host.Evtchn.BindInterdomain(self.DomId, remoteDomId, remotePort);
    }
}
