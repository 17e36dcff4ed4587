using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using XenDisplayWeb.Shared.Backend;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Frontend;
using XenDisplayWeb.Shared.Host;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.Tests.Host;

/// <summary>Remembers what each connector showed, copying the last frame out so tests can read its pixels.</summary>
public sealed class RecordingSink : IDisplaySinkFactory
{
    public ConcurrentDictionary<ConnectorKey, Screen> Screens { get; } = new();

    public Screen Of(int dom, int conn = 0) => Screens.GetOrAdd(new ConnectorKey(dom, 0, conn), k => new Screen());

    public IDisplaySink Create(ConnectorKey connector, int width, int height)
    {
        var s = Screens.GetOrAdd(connector, _ => new Screen());
        s.Width = width;
        s.Height = height;
        return s;
    }

    public sealed class Screen : IDisplaySink
    {
        private readonly object _lock = new();
        public int Width { get; set; }
        public int Height { get; set; }
        public int Frames { get; private set; }
        public int Blanks { get; private set; }
        public bool Disposed { get; private set; }
        public byte[]? Pixels { get; private set; }
        public int Stride { get; private set; }
        public int FrameWidth { get; private set; }
        public int FrameHeight { get; private set; }
        public ulong LastFb { get; private set; }

        /// <summary>Runs as a frame starts to be read (outside the lock): a test holds the reader there.</summary>
        public Action? Showing { get; set; }

        /// <summary>Runs as the sink closes (outside the lock): a test holds the connector's disposal there.</summary>
        public Action? Disposing { get; set; }

        public void ShowFrame(in ScanoutView frame)
        {
            Showing?.Invoke();
            lock (_lock)
            {
                Stride = frame.RowBytes;
                var px = new byte[Stride * frame.Height];
                frame.CopyTo(px, Stride);
                Pixels = px;
                FrameWidth = frame.Width;
                FrameHeight = frame.Height;
                LastFb = frame.FbCookie;
                Frames++;
            }
        }

        public void Blank() { lock (_lock) Blanks++; }
        public void Dispose()
        {
            Disposing?.Invoke();
            Disposed = true;
        }
    }
}

/// <summary>
/// A host, a backend in dom0, a guest with xen-front; no compositor unless asked. <c>backendPlatform</c>
/// wraps what the backend sees of dom0 (a <see cref="Xen.GatedPlatform"/> to stop ring threads at a grant map).
/// </summary>
public sealed class TestRig : IDisposable
{
    public TestRig(bool beAlloc = false, int connectors = 1, int width = 1920, int height = 1080, FakeTimeProvider? time = null, bool useEdid = true, bool useCtb = false, BackendOptions? options = null,
        Func<IXenPlatform, IXenPlatform>? backendPlatform = null)
    {
        Time = time;
        Host = new SimXenHost();
        Toolstack = new Toolstack(Host);
        Backend = new DisplayBackend(backendPlatform?.Invoke(Host.Dom0) ?? Host.Dom0, Sink, options ?? new BackendOptions(), time: (TimeProvider?)time ?? TimeProvider.System);
        Backend.Start();
        Guest = Host.CreateDomain(1, "guest1");
        Toolstack.AddDisplay(1, 0, beAlloc, Enumerable.Range(0, connectors).Select(i => new ConnectorSpec(width, height, $"conn{i}")).ToList());
        Front = new XenDrmFront(Guest, 0, Timeouts, (TimeProvider?)time ?? TimeProvider.System, useEdid: useEdid) { UseCtb = useCtb };
        Front.Start();
    }

    public FakeTimeProvider? Time { get; }
    public SimXenHost Host { get; }
    public Toolstack Toolstack { get; }
    public RecordingSink Sink { get; } = new();
    public DisplayBackend Backend { get; set; }
    public SimDomain Guest { get; }
    public XenDrmFront Front { get; }
    public FrontendTimeouts Timeouts { get; } = new();

    public DrmDevice Device => WaitFor(() => Front.Device, "the frontend to connect");

    public FrontendHandler BackendDevice => WaitFor(() => Backend.Device(1), "the backend to see the device");

    /// <summary>Waits (bounded) for something that happens on another thread: watch callbacks, ring threads.</summary>
    public static T WaitFor<T>(Func<T?> probe, string what, int timeoutMs = 10000) where T : class
    {
        var sw = Stopwatch.StartNew();
        while (sw.ElapsedMilliseconds < timeoutMs)
        {
            if (probe() is { } v) return v;
            Thread.Sleep(2);
        }
        throw new TimeoutException($"timed out waiting for {what}");
    }

    public static void WaitUntil(Func<bool> condition, string what, int timeoutMs = 10000) =>
        WaitFor(() => condition() ? "" : null, what, timeoutMs);

    /// <summary>The pages dom0 maps for a guest's vkbd devices (one each, once connected): what a displif mapping count leaves out.</summary>
    public static int VkbdPages(SimulatedSystem system, int domId) => system.VkbdPagesMapped(domId);

    public void WaitConnected()
    {
        // 30 s: a handshake took over 10 once in a full run with the machine's load at 25 to 32 on 2 cores.
        WaitUntil(() => Front.State == XenbusState.Connected && BackendDevice.State == XenbusState.Connected, "both sides Connected", 30_000);
    }

    public void Dispose()
    {
        Front.Dispose();
        Backend.Stop();
        Host.Dispose();
    }
}
