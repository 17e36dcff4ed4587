using XenDisplayWeb.Shared.Host;
using D = XenDisplayWeb.Shared.Displif.Displif;

namespace XenDisplayWeb.Shared.Tests.Host;

/// <summary>A guest whose start fails half way leaves no domain, no device (in XenStore or the backend) and no threads.</summary>
public class GuestStartRollbackTests
{
    // Thread names are cut to 15 characters by Linux: ids no other test uses keep them this test's own.
    private const int DomId = 7001;

    private static SimulatedSystem Start() => new(new RecordingSink());

    private static GuestConnector Good(string id) => new(64, 48, id, "testpattern", 60);

    /// <summary>Threads of this process (from /proc) serving the domain: its XenStore watch dispatcher and the backend's connector threads.</summary>
    private static int ThreadsOf(int domId)
    {
        string watch = $"xenwatch-dom{domId}", connector = $"displback-dom{domId}/";
        return Directory.GetDirectories("/proc/self/task").Count(task =>
        {
            try
            {
                string name = File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n');
                return watch.StartsWith(name, StringComparison.Ordinal) && name.Length >= 13 || connector.StartsWith(name, StringComparison.Ordinal) && name.Length >= 14;
            }
            catch (IOException) { return false; } // the thread ended while being read
        });
    }

    private static void AssertNothingLeft(SimulatedSystem system, int domId)
    {
        Assert.Null(system.Host.GetDomain(domId));
        Assert.Null(system.Guest(domId));
        using (var xs = system.Host.Store.Connect(0))
        {
            Assert.False(xs.Exists(D.BackendPath(0, domId, 0)), "the backend's directory is gone");
            Assert.False(xs.Exists(D.FrontendPath(domId, 0)), "the frontend's directory is gone");
        }
        TestRig.WaitUntil(() => system.Backend.Device(domId) is null, "the backend to drop the device");
        TestRig.WaitUntil(() => ThreadsOf(domId) == 0, "the domain's threads to end");
    }

    [Fact]
    public void A_start_that_fails_after_the_device_is_written_undoes_the_device_and_the_domain()
    {
        using var system = Start();
        // A negative rate passes the toolstack's checks and fails when the compositor's settings are made:
        // by then the domain exists and the device is in XenStore, where the backend has seen it.
        var spec = new GuestSpec(DomId, "half", false, [Good("a"), new GuestConnector(64, 48, "b", "testpattern", -1)]);

        Assert.ThrowsAny<ArgumentException>(() => system.StartGuest(spec));

        AssertNothingLeft(system, DomId);
        var again = system.StartGuest(spec with { Connectors = [Good("a")] });
        TestRig.WaitUntil(() => system.Backend.Device(DomId)?.Connectors.FirstOrDefault()?.FramesShown > 0, "the same id to start cleanly afterwards");
        Assert.Equal(DomId, again.DomId);
    }

    [Fact]
    public void A_name_XenStore_cannot_hold_is_refused_before_any_domain_is_made()
    {
        using var system = Start();
        var spec = new GuestSpec(DomId + 1, new string('n', GuestSpecLimits.MaxNameBytes + 1), false, [Good("a")]);

        Assert.ThrowsAny<Exception>(() => system.StartGuest(spec));

        AssertNothingLeft(system, DomId + 1);
    }

    [Fact]
    public void Starting_over_an_existing_domain_fails_and_leaves_that_guest_running()
    {
        using var system = Start();
        system.StartGuest(new GuestSpec(DomId + 2, "first", false, [Good("a")]));
        TestRig.WaitUntil(() => system.Backend.Device(DomId + 2)?.Connectors.FirstOrDefault()?.FramesShown > 0, "the first guest to show frames");

        Assert.ThrowsAny<Exception>(() => system.StartGuest(new GuestSpec(DomId + 2, "second", false, [Good("a")])));

        Assert.NotNull(system.Guest(DomId + 2));
        long shown = system.Backend.Device(DomId + 2)!.Connectors[0].FramesShown;
        TestRig.WaitUntil(() => system.Backend.Device(DomId + 2)!.Connectors[0].FramesShown > shown + 2, "the first guest to keep flipping");
    }
}
