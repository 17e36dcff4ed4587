using System.Diagnostics;
using XenDisplayWeb.Shared.Backend;
using XenDisplayWeb.Shared.Frontend;
using XenDisplayWeb.Shared.Host;
using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Benchmarks;

/// <summary>
/// A simulated host with the backend in dom0 (a sink that does nothing) and one connected guest with a
/// 1920x1080 connector: what the whole-stack benchmarks start from.
/// </summary>
internal sealed class BenchGuest : IDisposable
{
    public BenchGuest()
    {
        Host = new SimXenHost();
        Backend = new DisplayBackend(Host.Dom0, NullDisplaySink.Instance);
        Backend.Start();
        var dom = Host.CreateDomain(1, "bench");
        new Toolstack(Host).AddDisplay(1, 0, false, [new ConnectorSpec(1920, 1080, "bench")]);
        Front = new XenDrmFront(dom, 0, useEdid: false);
        Front.Start();
        var sw = Stopwatch.StartNew();
        DrmDevice? dev;
        while ((dev = Front.Device) is null && sw.ElapsedMilliseconds < 10_000) Thread.Sleep(1);
        Device = dev ?? throw new TimeoutException("the frontend did not connect");
        Connector = Device.Connectors[0];
    }

    public SimXenHost Host { get; }
    public DisplayBackend Backend { get; }
    public XenDrmFront Front { get; }
    public DrmDevice Device { get; }
    public DrmConnector Connector { get; }

    public void Dispose()
    {
        Front.Dispose();
        Backend.Stop();
        Host.Dispose();
    }
}
