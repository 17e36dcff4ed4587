namespace XenDisplayWeb.Shared.Xen.DmaBuf;

/// <summary>How an exported buffer's memory is mapped (gntdev's GNTDEV_DMA_FLAG_*): the two are exclusive.</summary>
[Flags]
public enum DmaBufFlags
{
    None = 0,
    WriteCombine = 1 << 0,
    Coherent = 1 << 1,
}
