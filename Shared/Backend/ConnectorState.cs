namespace XenDisplayWeb.Shared.Backend;

/// <summary>One connector of a device as the backend serves it: its mode (from XenStore) and what it shows.</summary>
public sealed class ConnectorState
{
    internal ConnectorState(FrontendHandler device, int index, int width, int height, string uniqueId)
    {
        Device = device;
        Index = index;
        Width = width;
        Height = height;
        UniqueId = uniqueId;
    }

    public FrontendHandler Device { get; }
    public int Index { get; }
    public int Width { get; }
    public int Height { get; }
    public string UniqueId { get; }
    public ConnectorKey Key => new(Device.FrontDomId, Device.DevId, Index);

    /// <summary>The current SET_CONFIG, following each flip; null while the connector is blank.</summary>
    public ScanoutConfig? Config { get; internal set; }

    public long FramesShown => Interlocked.Read(ref _framesShown);
    public long FlipEventsSent => Interlocked.Read(ref _flipEvents);
    public long RequestsHandled => Interlocked.Read(ref _requests);
    internal long _framesShown, _flipEvents, _requests;
}
