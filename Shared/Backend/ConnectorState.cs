using System.Runtime.CompilerServices;

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

    // Boxed so that other rings' threads (ForgetFramebuffers) read and clear it whole, never torn.
    private StrongBox<ScanoutConfig>? _config;

    /// <summary>The current SET_CONFIG, following each flip; null while the connector is blank.</summary>
    public ScanoutConfig? Config
    {
        get => Volatile.Read(ref _config)?.Value;
        internal set => Volatile.Write(ref _config, value is { } v ? new StrongBox<ScanoutConfig>(v) : null);
    }

    /// <summary>
    /// Blanks the connector if it scans out one of these framebuffers, unless its own ring set a new
    /// configuration meanwhile: true when this call blanked it.
    /// </summary>
    internal bool TryForget(IReadOnlyCollection<Framebuffer> fbs)
    {
        var box = Volatile.Read(ref _config);
        if (box is null || !fbs.Any(f => f.Cookie == box.Value.FbCookie)) return false;
        return Interlocked.CompareExchange(ref _config, null, box) == box;
    }

    public long FramesShown => Interlocked.Read(ref _framesShown);
    public long FlipEventsSent => Interlocked.Read(ref _flipEvents);
    public long RequestsHandled => Interlocked.Read(ref _requests);
    internal long _framesShown, _flipEvents, _requests;
}
