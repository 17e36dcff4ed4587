using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.Tests.Xen;

public sealed class XenStoreWatchTests : IDisposable
{
    private readonly XenStore _store = new();
    private readonly XenStoreConnection _dom0;
    private readonly WatchRecorder _rec = new();

    public XenStoreWatchTests() => _dom0 = _store.Connect(DomId.Dom0);

    public void Dispose() => _store.Dispose();

    [Fact]
    public void Watch_FiresOnceOnRegistration_WithTheWatchedPath()
    {
        _dom0.Write("/a", "1");
        using var watch = _dom0.Watch("/a", "tok", _rec.Callback);

        _rec.Expect("/a", "tok");
        Assert.Empty(_rec.Drain(_dom0));
    }

    [Fact]
    public void Watch_FiresForNodeAndBelow_ButNotForSiblingsOrParents()
    {
        using var watch = _dom0.Watch("/a/b", "w", _rec.Callback);
        _rec.Expect("/a/b", "w");

        _dom0.Write("/a/b/c/d", "1"); // creates /a and /a/b too: one event, for the written node
        _dom0.Write("/a", "parent");
        _dom0.Write("/a/bc", "prefix-sibling");
        _dom0.Write("/a/x", "sibling");
        _dom0.Write("/a/b", "self");
        _dom0.Mkdir("/a/b/new");
        _dom0.Write("/a/b/c/d", "2");

        Assert.Equal(["/a/b/c/d", "/a/b", "/a/b/new", "/a/b/c/d"], _rec.Drain(_dom0).Select(e => e.Path));
    }

    [Fact]
    public void Watch_OnRoot_SeesEverything()
    {
        using var watch = _dom0.Watch("/", "root", _rec.Callback);
        _rec.Expect("/", "root");
        _dom0.Write("/x/y", "1");
        _rec.Expect("/x/y", "root");
    }

    [Fact]
    public void Watch_OnMissingPath_FiresWhenCreated()
    {
        using var watch = _dom0.Watch("/later/node", "t", _rec.Callback);
        _rec.Expect("/later/node", "t");

        _dom0.Write("/later", "not yet");
        _dom0.Write("/later/node", "now");

        Assert.Equal(["/later/node"], _rec.Drain(_dom0).Select(e => e.Path));
    }

    [Fact]
    public void Watch_FiresForRemoval_IncludingWatchesInsideTheRemovedSubtree()
    {
        _dom0.Write("/a/b/c/d", "1");
        _dom0.Write("/a/other", "1");
        using var parent = _dom0.Watch("/a", "parent", _rec.Callback);
        using var self = _dom0.Watch("/a/b", "self", _rec.Callback);
        using var inner = _dom0.Watch("/a/b/c/d", "inner", _rec.Callback);
        using var unrelated = _dom0.Watch("/a/other", "unrelated", _rec.Callback);
        Assert.Equal(4, _rec.Drain(_dom0).Count); // initial events

        _dom0.Remove("/a/b");

        Assert.Equal(
            [("/a/b", "parent"), ("/a/b", "self"), ("/a/b/c/d", "inner")],
            _rec.Drain(_dom0).Select(e => (e.Path, e.Token)).Order());
    }

    [Fact]
    public void Events_AreDeliveredInTheOrderTheyHappened()
    {
        using var watch = _dom0.Watch("/seq", "s", _rec.Callback);
        _rec.Expect("/seq", "s");

        var expected = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            var path = $"/seq/{i % 7}/{i}";
            _dom0.Write(path, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            expected.Add(path);
        }

        _dom0.Remove("/seq/3");
        expected.Add("/seq/3");

        Assert.Equal(expected, _rec.Drain(_dom0).Select(e => e.Path));
    }

    [Fact]
    public void Events_FromAnotherConnectionsWrites_AreDelivered()
    {
        using var dom1 = _store.Connect(1);
        using var watch = _dom0.Watch("/local/domain/1/device", "fe", _rec.Callback);
        _rec.Expect("/local/domain/1/device", "fe");

        dom1.WriteInt("/local/domain/1/device/vdispl/0/state", 1);

        _rec.Expect("/local/domain/1/device/vdispl/0/state", "fe");
    }

    [Fact]
    public void Callbacks_RunOffTheWritersThread_AndMayUseTheStore()
    {
        using var dom1 = _store.Connect(1);
        var testThread = Environment.CurrentManagedThreadId;

        // A "backend" on dom1 answers requests from inside its watch callback, also registering
        // and unregistering a watch there, and reading and writing the store.
        IDisposable? extra = null;
        using var backend = dom1.Watch("/req", "backend", (path, token) =>
        {
            var request = dom1.Read(path);
            if (request is null || path == "/req")
            {
                return;
            }

            extra?.Dispose();
            extra = dom1.Watch("/tmp/" + request, "extra", (_, _) => { });
            dom1.Write("/resp/" + request, "done:" + request);
            _rec.Callback(path, token);
        });

        using var responses = _dom0.Watch("/resp", "resp", _rec.Callback);
        _rec.Expect("/resp", "resp");

        _dom0.Write("/req/1", "one");

        var handled = _rec.Next();
        var response = _rec.Next();
        var events = new[] { handled, response }.OrderBy(e => e.Token).ToArray();
        Assert.Equal(("/req/1", "backend"), (events[0].Path, events[0].Token));
        Assert.Equal(("/resp/one", "resp"), (events[1].Path, events[1].Token));
        Assert.Equal("done:one", _dom0.Read("/resp/one"));

        Assert.NotEqual(testThread, events[0].ThreadId);
        Assert.Equal("xenwatch-dom1", events[0].ThreadName);
        Assert.Equal("xenwatch-dom0", events[1].ThreadName);
        extra?.Dispose();
    }

    [Fact]
    public void Unwatch_StopsEvents()
    {
        var watch = _dom0.Watch("/w", "w", _rec.Callback);
        _rec.Expect("/w", "w");
        _dom0.Write("/w/1", "x");
        _rec.Expect("/w/1", "w");

        watch.Dispose();
        _dom0.Write("/w/2", "x");

        Assert.Empty(_rec.Drain(_dom0));
    }

    [Fact]
    public void Unwatch_DropsEventsAlreadyQueued()
    {
        using var gate = new ManualResetEventSlim();
        using var blocker = _dom0.Watch("/block", "block", (_, _) => gate.Wait(WatchRecorder.Timeout));
        var watch = _dom0.Watch("/w", "w", _rec.Callback); // initial event queued behind the blocker
        _dom0.Write("/w/1", "queued");

        watch.Dispose();
        gate.Set();

        Assert.Empty(_rec.Drain(_dom0));
    }

    [Fact]
    public async Task Unwatch_WaitsForARunningCallback()
    {
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var finished = false;
        var watch = _dom0.Watch("/w", "w", (path, _) =>
        {
            if (path == "/w/go")
            {
                entered.Set();
                release.Wait(WatchRecorder.Timeout);
                Volatile.Write(ref finished, true);
            }
        });

        _dom0.Write("/w/go", "1");
        Assert.True(entered.Wait(WatchRecorder.Timeout));

        var disposing = Task.Run(watch.Dispose);

        // Cannot fail for a correct store: Dispose must still be waiting for the callback.
        Assert.NotSame(disposing, await Task.WhenAny(disposing, Task.Delay(100)));
        release.Set();
        await disposing.WaitAsync(WatchRecorder.Timeout);
        Assert.True(Volatile.Read(ref finished), "Dispose returned while the callback was still running");
    }

    [Fact]
    public void Unwatch_FromInsideItsOwnCallback_DoesNotDeadlock()
    {
        IDisposable? self = null;
        self = _dom0.Watch("/w", "w", (path, token) =>
        {
            _rec.Callback(path, token);
            if (path == "/w/stop")
            {
                self!.Dispose();
            }
        });
        _rec.Expect("/w", "w");

        _dom0.Write("/w/stop", "1");
        _dom0.Write("/w/after", "1");

        Assert.Equal(["/w/stop"], _rec.Drain(_dom0).Select(e => e.Path));
    }

    [Fact]
    public void ThrowingCallback_DoesNotStopTheDispatcher()
    {
        using var bad = _dom0.Watch("/x", "bad", (_, _) => throw new InvalidOperationException("boom"));
        using var good = _dom0.Watch("/x", "good", _rec.Callback);
        _rec.Expect("/x", "good");

        _dom0.Write("/x", "1");
        _rec.Expect("/x", "good");
    }

    [Fact]
    public void SamePathAndToken_Twice_IsEexist_ButOtherConnectionsMayReuseIt()
    {
        using var first = _dom0.Watch("/w", "t", _rec.Callback);
        var ex = Assert.Throws<XenStoreException>(() => _dom0.Watch("/w", "t", _rec.Callback));
        Assert.Equal(XenStoreException.EEXIST, ex.Errno);

        using var dom1 = _store.Connect(1);
        using var other = dom1.Watch("/w", "t", _rec.Callback);
        using var otherToken = _dom0.Watch("/w", "t2", _rec.Callback);
    }

    [Fact]
    public void DisposingTheConnection_RemovesItsWatchesAndStopsItsThread()
    {
        var dom1 = _store.Connect(1);
        using var dom1Watch = dom1.Watch("/w", "dom1", _rec.Callback);
        _rec.Expect("/w", "dom1");

        dom1.Dispose();
        _dom0.Write("/w", "1");

        Assert.False(dom1.IsDispatcherAlive);
        Assert.Empty(_rec.Drain(_dom0));
    }
}
