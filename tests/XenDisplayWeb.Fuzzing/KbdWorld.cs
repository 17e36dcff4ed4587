using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Host;
using XenDisplayWeb.Shared.Kbdif.Backend;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Fuzzing;

/// <summary>Connector modes the fuzzer sets per guest.</summary>
internal sealed class KbdModes : IConnectorModes
{
    public ConcurrentDictionary<int, KbdMode> Modes { get; } = new();
    public KbdMode? ModeOf(int frontDomId, int devId) => Modes.TryGetValue(frontDomId, out var m) ? m : null;
}

/// <summary>
/// The kbdif side of a run: a host of its own with a vkbd backend in dom0 (logging into the run's error
/// counter) and the well-behaved <see cref="KbdGoodGuest"/>, kept across kbdif phases. Hostile guests come
/// and go beside it, each with a fresh domain id.
/// </summary>
internal sealed class KbdWorld : IDisposable
{
    public const int GoodDomId = 1;
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    public KbdWorld(ILoggerFactory loggers)
    {
        Host = new SimXenHost();
        Toolstack = new VkbdToolstack(Host);
        Backend = new KbdBackend(Host.Dom0, Modes, loggers: loggers);
        Backend.Start();
        Modes.Modes[GoodDomId] = new KbdMode(640, 480, "good-kbd");
        var dom = Host.CreateDomain(GoodDomId, "good-kbd");
        Toolstack.AddVkbd(GoodDomId, 0);
        Good = new KbdGoodGuest(dom, () => Backend.Device(GoodDomId), Backend.Options.BacklogCapacity);
        if (!FuzzContext.Poll(() => Good.Front.State == XenbusState.Connected && Backend.Device(GoodDomId)?.State == XenbusState.Connected, ConnectTimeout))
            throw new InvalidOperationException("the good kbdif guest did not connect");
        // What the good guest holds: its page mapped by dom0, its channel bound in dom0.
        BaseMappings = Host.TotalMappings;
        BasePorts = Host.Evtchn.OpenPorts(DomId.Dom0);
    }

    public SimXenHost Host { get; }
    public VkbdToolstack Toolstack { get; }
    public KbdModes Modes { get; } = new();
    public KbdBackend Backend { get; }
    public KbdGoodGuest Good { get; }
    public int BaseMappings { get; }
    public int BasePorts { get; }

    /// <summary>Set when a call into the backend never returned: the world is left as it is, and a new one is made.</summary>
    public bool Hung { get; set; }

    /// <summary>xl destroy: the domain goes abruptly, then its device directories.</summary>
    public void Destroy(int domId)
    {
        Host.DestroyDomain(domId);
        Toolstack.RemoveVkbd(domId, 0);
        Modes.Modes.TryRemove(domId, out _);
    }

    public void Dispose()
    {
        if (Hung) return; // a thread holds the backend's lock for good: stopping would wait on it
        Good.Dispose();
        Backend.Stop();
        Host.Dispose();
    }
}
