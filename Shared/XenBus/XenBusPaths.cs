namespace XenDisplayWeb.Shared.XenBus;

/// <summary>Where a XenBus device lives in XenStore, for any device type ("vdispl", "vkbd"), and the nodes every device has.</summary>
public static class XenBusPaths
{
    /// <summary>The nodes xenbus itself defines, at both ends of a device.</summary>
    public static class Field
    {
        public const string State = "state";
        public const string Frontend = "frontend";
        public const string FrontendId = "frontend-id";
        public const string Backend = "backend";
        public const string BackendId = "backend-id";
        public const string Online = "online";
    }

    public static string FrontendPath(string type, int frontDomId, int devId) => $"/local/domain/{frontDomId}/device/{type}/{devId}";
    public static string BackendRoot(string type, int backendDomId) => $"/local/domain/{backendDomId}/backend/{type}";
    public static string BackendPath(string type, int backendDomId, int frontDomId, int devId) => $"{BackendRoot(type, backendDomId)}/{frontDomId}/{devId}";
}
