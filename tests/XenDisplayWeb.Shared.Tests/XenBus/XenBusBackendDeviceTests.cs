using Microsoft.Extensions.Logging;
using XenDisplayWeb.Shared.Diagnostics;
using XenDisplayWeb.Shared.Displif;
using XenDisplayWeb.Shared.Tests.Host;
using XenDisplayWeb.Shared.Tests.Kbdif.Backend;
using XenDisplayWeb.Shared.Xen;
using XenDisplayWeb.Shared.XenBus;

namespace XenDisplayWeb.Shared.Tests.XenBus;

/// <summary>
/// The backend half of the XenBus state machine as every protocol gets it: a refused configuration, a ring
/// thread that reports misbehaviour while the device is being let go, and a state heard only after the
/// toolstack removed the device.
/// </summary>
public class XenBusBackendDeviceTests
{
    private const string Type = "vtest";
    private const int GuestDom = 3;

    [Fact]
    public void A_refused_device_stays_Closing_with_its_reason_whatever_its_frontend_does_next()
    {
        using var rig = new Rig();
        rig.AddDevice(mode: "refuse");

        rig.SetFrontendState(XenbusState.Initialised);

        var device = TestRig.WaitFor(() => rig.Backend.Device(GuestDom) is { State: XenbusState.Closing } d ? d : null, "the device to be refused");
        Assert.Equal("configuration refused: mode 'refuse'", device.MisbehavingReason);
        Assert.Contains(rig.Trace.Snapshot(), e => e.DomId == GuestDom && e.Kind == TraceKind.Note && e.Text == "vtest: configuration refused: mode 'refuse'");

        // The frontend starts over: a refused device is not served again until the toolstack removes it.
        rig.SetFrontendState(XenbusState.Initialising);
        rig.SetFrontendState(XenbusState.Initialised);
        TestRig.WaitUntil(() => device.FrontendState == XenbusState.Initialised, "the backend to hear the frontend again");
        Assert.Equal(XenbusState.Closing, device.State);
        Assert.Equal(0, device.Connects);
    }

    [Fact]
    public void A_worker_that_reports_misbehaving_while_disconnect_waits_for_it_does_not_deadlock_and_the_device_ends_Closed()
    {
        using var rig = new Rig();
        rig.AddDevice(mode: "worker");
        rig.SetFrontendState(XenbusState.Initialised);
        var device = TestRig.WaitFor(() => rig.Backend.Device(GuestDom) is { State: XenbusState.Connected } d ? d : null, "the device to connect");

        // Closing: Disconnect runs under the device's lock, tells the worker to stop and waits for it; the worker
        // reports the frontend misbehaving just then (as a ring thread that finds a broken index as it is stopped).
        rig.SetFrontendState(XenbusState.Closing);

        TestRig.WaitUntil(() => device.State == XenbusState.Closed, "the device to end Closed");
        Assert.Equal("worker saw a broken page", device.MisbehavingReason);
        Assert.False(device.WorkerAlive);
    }

    [Fact]
    public void A_state_heard_after_the_toolstack_removed_the_device_does_not_make_its_directory_again()
    {
        using var rig = new KbdRig();
        rig.AddGuest(1);
        string fe = XenBusPaths.FrontendPath(Shared.Kbdif.Kbdif.DriverName, 1, 0);
        string be = XenBusPaths.BackendPath(Shared.Kbdif.Kbdif.DriverName, 0, 1, 0);
        using var xs = rig.Host.Store.Connect(0);

        // Dom0's watch events are delivered one at a time: hold them, so the backend hears the frontend's last
        // state only after the toolstack has removed both directories.
        using var gate = new ManualResetEventSlim();
        using var holding = new ManualResetEventSlim();
        var hold = rig.Host.Dom0.Store.Watch("/test-gate", "gate", (_, _) => { holding.Set(); gate.Wait(); });
        try
        {
            holding.Wait();
            xs.WriteInt($"{fe}/{XenBusPaths.Field.State}", (int)XenbusState.Closing);
            rig.Toolstack.RemoveVkbd(1, 0);
        }
        finally { gate.Set(); }
        hold.Dispose();

        TestRig.WaitUntil(() => rig.Backend.Device(1) is null, "the device to go");
        Assert.False(xs.Exists(be), $"{be} was made again: {string.Join(",", xs.Exists(be) ? xs.Directory(be) : [])}");
    }

    private sealed class Rig : IDisposable
    {
        public Rig()
        {
            Host = new SimXenHost();
            Guest = Host.CreateDomain(GuestDom, "guest");
            Backend = new TestBackend(Host.Dom0, Trace);
            Backend.Start();
        }

        public SimXenHost Host { get; }
        public SimDomain Guest { get; }
        public DisplifTrace Trace { get; } = new(TimeProvider.System);
        public TestBackend Backend { get; }
        private static string Fe => XenBusPaths.FrontendPath(Type, GuestDom, 0);

        /// <summary>What a toolstack writes, and the frontend's "mode" node saying how its device behaves.</summary>
        public void AddDevice(string mode)
        {
            using var xs = Host.Store.Connect(0);
            string be = XenBusPaths.BackendPath(Type, 0, GuestDom, 0);
            Assert.True(xs.TryCommitWithRetry(tx =>
            {
                xs.Write($"{Fe}/{XenBusPaths.Field.Backend}", be, tx);
                xs.WriteInt($"{Fe}/{XenBusPaths.Field.BackendId}", 0, tx);
                xs.WriteInt($"{Fe}/{XenBusPaths.Field.State}", (int)XenbusState.Initialising, tx);
                xs.Write($"{Fe}/mode", mode, tx);
                xs.Write($"{be}/{XenBusPaths.Field.Frontend}", Fe, tx);
                xs.WriteInt($"{be}/{XenBusPaths.Field.FrontendId}", GuestDom, tx);
                return true;
            }));
            TestRig.WaitUntil(() => Backend.Device(GuestDom)?.State == XenbusState.InitWait, "the device to wait for its frontend");
        }

        public void SetFrontendState(XenbusState state) => Guest.Store.WriteInt($"{Fe}/{XenBusPaths.Field.State}", (int)state);

        public void Dispose()
        {
            // Bounded: a device deadlocked by its own worker must fail the test, not hang the run.
            if (!Task.Run(() => Backend.Stop()).Wait(TimeSpan.FromSeconds(10))) throw new TimeoutException("the backend did not stop: a device is deadlocked");
            Host.Dispose();
        }
    }

    private sealed class TestBackend(IXenPlatform xen, DisplifTrace trace) : XenBusBackend<TestDevice>(xen, Type, trace, null, null)
    {
        protected override TestDevice CreateDevice(int frontDomId, int devId) =>
            new(Xen, frontDomId, devId, Trace, Loggers.CreateLogger<TestDevice>());
    }

    /// <summary>A protocol of its own: "refuse" refuses its configuration; "worker" runs a thread Disconnect waits for, which reports misbehaving as it is stopped.</summary>
    private sealed class TestDevice(IXenPlatform xen, int frontDomId, int devId, DisplifTrace trace, ILogger logger)
        : XenBusBackendDevice(xen, Type, frontDomId, devId, trace, logger)
    {
        private readonly ManualResetEventSlim _stop = new();
        private Thread? _worker;

        public int Connects { get; private set; }
        public bool WorkerAlive => _worker?.IsAlive ?? false;

        protected override bool Connect()
        {
            string? mode = Xen.Store.Read($"{FrontendPath}/mode");
            if (mode == "refuse")
            {
                Refuse($"configuration refused: mode '{mode}'");
                return false;
            }
            Connects++;
            _stop.Reset();
            _worker = new Thread(() =>
            {
                _stop.Wait();
                ReportMisbehavingLater("worker saw a broken page");
            }) { IsBackground = true };
            _worker.Start();
            return true;
        }

        protected override void Disconnect()
        {
            _stop.Set();
            _worker?.Join();
        }
    }
}
