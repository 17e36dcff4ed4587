namespace XenDisplayWeb.Shared.Xen;

/// <summary>Well-known Xen domain ids.</summary>
public static class DomId
{
    /// <summary>The control domain, where the display backend runs.</summary>
    public const int Dom0 = 0;

    /// <summary>DOMID_FIRST_RESERVED: ids from here on name no domain (DOMID_SELF, DOMID_IO, ...).</summary>
    public const int FirstReserved = 0x7FF0;

    /// <summary>The largest id a guest can have.</summary>
    public const int MaxGuest = FirstReserved - 1;
}
