using System.Collections.Concurrent;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Host;
using XenDisplayWeb.Shared.Kbdif;
using XenDisplayWeb.Shared.Kbdif.Backend;
using XenDisplayWeb.Shared.Kbdif.Frontend;
using XenDisplayWeb.Shared.Tests.Host;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.Tests.Kbdif.Backend;

/// <summary>Connector modes a test sets by hand.</summary>
public sealed class FixedModes : IConnectorModes
{
    public ConcurrentDictionary<(int Dom, int Dev), KbdMode> Modes { get; } = new();
    public KbdMode? ModeOf(int frontDomId, int devId) => Modes.TryGetValue((frontDomId, devId), out var m) ? m : null;
}

/// <summary>A host, a vkbd backend in dom0, and guests with xen-kbdfront recording what they receive.</summary>
public sealed class KbdRig : IDisposable
{
    public KbdRig(KbdOptions? options = null, TimeProvider? time = null)
    {
        Host = new SimXenHost();
        Toolstack = new VkbdToolstack(Host);
        Backend = new KbdBackend(Host.Dom0, Modes, options, time: time);
        Backend.Start();
    }

    public SimXenHost Host { get; }
    public VkbdToolstack Toolstack { get; }
    public FixedModes Modes { get; } = new();
    public KbdBackend Backend { get; }
    public List<XenKbdFront> Fronts { get; } = [];

    /// <summary>A guest with a vkbd device and a frontend that records (seq, event); started unless <paramref name="start"/> is false.</summary>
    public (XenKbdFront Front, List<(long Seq, IXenkbdInEvent Event)> Got) AddGuest(int domId, bool wantAbs = true, bool wantMt = true, int width = 800, int height = 600)
    {
        Modes.Modes[(domId, 0)] = new KbdMode(width, height, $"conn-{domId}");
        var guest = Host.CreateDomain(domId, $"guest{domId}");
        Toolstack.AddVkbd(domId, 0);
        var got = new List<(long, IXenkbdInEvent)>();
        var front = new XenKbdFront(guest, 0, (seq, e) => { lock (got) got.Add((seq, e)); }) { WantAbsPointer = wantAbs, WantMultiTouch = wantMt };
        front.Start();
        Fronts.Add(front);
        TestRig.WaitUntil(() => front.State == XenbusState.Connected && Backend.Device(domId)?.State == XenbusState.Connected, $"dom{domId} vkbd connected");
        return (front, got);
    }

    public KbdDevice Device(int domId) => Backend.Device(domId) ?? throw new InvalidOperationException($"no vkbd for dom{domId}");

    public void Dispose()
    {
        foreach (var f in Fronts) f.Dispose();
        Backend.Stop();
        Host.Dispose();
    }
}
