namespace XenDisplayWeb.Shared.Xen;

/// <summary>
/// What a domain's driver sees of Xen: XenStore, grant mapping and sharing, event channels.
/// The simulated host implements it; a real dom0 binding (libxenstore, libxengnttab,
/// libxenevtchn) can implement it too.
/// </summary>
public interface IXenPlatform
{
    int DomId { get; }
    IXenStore Store { get; }
    IGrantMapper Gnttab { get; }
    IGrantSharer Gntshr { get; }
    IEventChannels Evtchn { get; }
}

/// <summary>A guest's own side of Xen, which the simulated frontends need: memory and its grant table.</summary>
public interface IGuestPlatform : IXenPlatform
{
    GuestMemory Memory { get; }
    GrantTable Grants { get; }
}
