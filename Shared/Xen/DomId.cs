namespace XenDisplayWeb.Shared.Xen;

/// <summary>Well-known Xen domain ids.</summary>
public static class DomId
{
    /// <summary>The control domain, where the display backend runs.</summary>
    public const int Dom0 = 0;
}
