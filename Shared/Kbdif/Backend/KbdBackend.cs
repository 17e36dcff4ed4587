using Microsoft.Extensions.Logging;
using XenDisplayWeb.Shared.Diagnostics;
using XenDisplayWeb.Shared.Xen;
using XenDisplayWeb.Shared.XenBus;

namespace XenDisplayWeb.Shared.Kbdif.Backend;

/// <summary>The PV keyboard/pointer/touch backend (kbdif, device type "vkbd") on the generic XenBus layer.</summary>
public sealed class KbdBackend : XenBusBackend<KbdDevice>
{
    private readonly IConnectorModes _modes;

    public KbdBackend(IXenPlatform xen, IConnectorModes modes, KbdOptions? options = null, DisplifTrace? trace = null,
        TimeProvider? time = null, ILoggerFactory? loggers = null)
        : base(xen, Kbdif.DriverName, trace, time, loggers)
    {
        Options = options ?? new KbdOptions();
        if (Options.Validate() is { Count: > 0 } errors) throw new ArgumentException($"invalid vkbd options: {string.Join("; ", errors)}", nameof(options));
        _modes = modes;
    }

    public KbdOptions Options { get; }

    protected override KbdDevice CreateDevice(int frontDomId, int devId) =>
        new(Xen, frontDomId, devId, Options, _modes.ModeOf(frontDomId, devId) ?? new KbdMode(0, 0, ""), Trace, Time, Loggers.CreateLogger<KbdDevice>());
}
