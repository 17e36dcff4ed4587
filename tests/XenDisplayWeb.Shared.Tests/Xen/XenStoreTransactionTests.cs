using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.Tests.Xen;

public sealed class XenStoreTransactionTests : IDisposable
{
    private readonly XenStore _store = new();
    private readonly XenStoreConnection _dom0;
    private readonly XenStoreConnection _dom1;

    public XenStoreTransactionTests()
    {
        _dom0 = _store.Connect(DomId.Dom0);
        _dom1 = _store.Connect(1);
    }

    public void Dispose() => _store.Dispose();

    [Fact]
    public void Transaction_SeesItsOwnWrites_OthersDoNotUntilCommit()
    {
        _dom0.Write("/a/existing", "old");
        var tx = _dom0.BeginTransaction();

        _dom0.Write("/a/new/deep", "1", tx);
        _dom0.Write("/a/existing", "new", tx);
        _dom0.Remove("/a/existing", tx);
        _dom0.Write("/a/existing", "newer", tx);

        Assert.Equal("1", _dom0.Read("/a/new/deep", tx));
        Assert.Equal("newer", _dom0.Read("/a/existing", tx));
        Assert.Equal(["existing", "new"], _dom0.Directory("/a", tx));
        Assert.True(_dom0.Exists("/a/new", tx));

        Assert.Null(_dom0.Read("/a/new/deep"));
        Assert.Null(_dom1.Read("/a/new"));
        Assert.Equal("old", _dom1.Read("/a/existing"));
        Assert.Equal(["existing"], _dom1.Directory("/a"));

        Assert.True(tx.IsActive);
        Assert.True(_dom0.Commit(tx));
        Assert.False(tx.IsActive);

        Assert.Equal("1", _dom1.Read("/a/new/deep"));
        Assert.Equal("newer", _dom1.Read("/a/existing"));
    }

    [Fact]
    public void Transaction_IsASnapshot_OfTheStoreWhenItBegan()
    {
        _dom0.Write("/x", "before");
        var tx = _dom0.BeginTransaction();
        _dom1.Write("/x", "after");

        Assert.Equal("before", _dom0.Read("/x", tx));
        Assert.False(_dom0.Commit(tx)); // and it read a node that changed, so it cannot commit
    }

    [Fact]
    public void Commit_Conflicts_WhenAnotherConnectionWroteANodeTheTransactionRead()
    {
        _dom0.WriteInt("/counter", 1);
        var tx = _dom0.BeginTransaction();
        var value = _dom0.ReadInt("/counter", tx)!.Value;

        _dom1.WriteInt("/counter", 10);
        _dom0.WriteInt("/counter", value + 1, tx);
        _dom0.Write("/other", "x", tx);

        Assert.False(_dom0.Commit(tx));
        Assert.Equal(10, _dom0.ReadInt("/counter"));
        Assert.Null(_dom0.Read("/other"));
        Assert.False(tx.IsActive);
    }

    [Fact]
    public void Commit_Conflicts_WhenAListedDirectoryGainsAChild()
    {
        _dom0.Mkdir("/dir");
        var tx = _dom0.BeginTransaction();
        Assert.Empty(_dom0.Directory("/dir", tx));
        _dom0.Write("/flag", "1", tx);

        _dom1.Write("/dir/child", "x");

        Assert.False(_dom0.Commit(tx));
    }

    [Fact]
    public void Commit_Conflicts_WhenAReadMissingNodeIsCreated_OrAReadNodeIsRemoved()
    {
        var tx1 = _dom0.BeginTransaction();
        Assert.Null(_dom0.Read("/missing", tx1));
        _dom1.Write("/missing", "now here");
        Assert.False(_dom0.Commit(tx1));

        _dom0.Write("/gone", "x");
        var tx2 = _dom0.BeginTransaction();
        Assert.True(_dom0.Exists("/gone", tx2));
        _dom1.Remove("/gone");
        Assert.False(_dom0.Commit(tx2));
    }

    [Fact]
    public void Commit_Conflicts_WhenNodesUnderARemovedSubtreeChange()
    {
        _dom0.Write("/be/1/state", "4");
        var tx = _dom0.BeginTransaction();
        _dom0.Remove("/be/1", tx);

        _dom1.Write("/be/1/state", "5");

        Assert.False(_dom0.Commit(tx));
        Assert.Equal("5", _dom0.Read("/be/1/state"));
    }

    [Fact]
    public void Commit_Conflicts_WhenSomeoneCreatesAParentTheTransactionWouldCreate()
    {
        var tx = _dom0.BeginTransaction();
        _dom0.Write("/p/q/r", "tx", tx);

        _dom1.Write("/p/q", "other");

        Assert.False(_dom0.Commit(tx));
        Assert.Equal("other", _dom0.Read("/p/q"));
        Assert.Null(_dom0.Read("/p/q/r"));
    }

    [Fact]
    public void Commit_Succeeds_WhenOnlyUnrelatedNodesChanged()
    {
        _dom0.Write("/mine/a", "1");
        _dom0.Write("/theirs/b", "1");
        var tx = _dom0.BeginTransaction();
        Assert.Equal("1", _dom0.Read("/mine/a", tx));
        _dom0.Write("/mine/a", "2", tx);

        _dom1.Write("/theirs/b", "2");
        _dom1.Write("/theirs/c", "new");
        _dom1.Write("/mine/a-sibling", "x");

        Assert.True(_dom0.Commit(tx));
        Assert.Equal("2", _dom0.Read("/mine/a"));
        Assert.Equal("new", _dom0.Read("/theirs/c"));
    }

    [Fact]
    public void Abort_DiscardsWrites_AndIsIdempotent()
    {
        var tx = _dom0.BeginTransaction();
        _dom0.Write("/a", "1", tx);
        var generation = _store.Generation;

        _dom0.Abort(tx);
        _dom0.Abort(tx);

        Assert.Null(_dom0.Read("/a"));
        Assert.Equal(generation, _store.Generation);
    }

    [Fact]
    public void UsingAnEndedOrForeignTransaction_IsEnoent()
    {
        var tx = _dom0.BeginTransaction();
        Assert.Equal(XenStoreException.ENOENT, Assert.Throws<XenStoreException>(() => _dom1.Read("/", tx)).Errno);

        Assert.True(_dom0.Commit(tx));
        Assert.Equal(XenStoreException.ENOENT, Assert.Throws<XenStoreException>(() => _dom0.Read("/", tx)).Errno);
        Assert.Equal(XenStoreException.ENOENT, Assert.Throws<XenStoreException>(() => _dom0.Commit(tx)).Errno);
    }

    [Fact]
    public void ErrorsInsideATransaction_AreReported_AndLeaveItUsable()
    {
        var tx = _dom0.BeginTransaction();
        Assert.Equal(XenStoreException.ENOENT, Assert.Throws<XenStoreException>(() => _dom0.Remove("/missing", tx)).Errno);
        _dom0.Write("/ok", "1", tx);
        Assert.True(_dom0.Commit(tx));
        Assert.Equal("1", _dom0.Read("/ok"));
    }

    [Fact]
    public void Watches_FireForTransactionWrites_OnlyAfterCommit()
    {
        var rec = new WatchRecorder();
        _dom0.Write("/t/old", "x");
        using var watch = _dom1.Watch("/t", "t", rec.Callback);
        rec.Expect("/t", "t");

        var tx = _dom0.BeginTransaction();
        _dom0.Write("/t/a", "1", tx);
        _dom0.Remove("/t/old", tx);
        _dom0.Mkdir("/t/a", tx); // already exists in the transaction: no event
        Assert.Empty(rec.Drain(_dom1));

        Assert.True(_dom0.Commit(tx));
        Assert.Equal(["/t/a", "/t/old"], rec.Drain(_dom1).Select(e => e.Path));

        var aborted = _dom0.BeginTransaction();
        _dom0.Write("/t/b", "1", aborted);
        _dom0.Abort(aborted);
        var failed = _dom0.BeginTransaction();
        _dom0.Read("/t/a", failed);
        _dom0.Write("/t/c", "1", failed);
        _dom1.Write("/t/a", "2");
        Assert.False(_dom0.Commit(failed));
        Assert.Equal(["/t/a"], rec.Drain(_dom1).Select(e => e.Path));
    }

    [Fact]
    public void TryCommitWithRetry_RetriesAfterAConflict()
    {
        _dom0.WriteInt("/counter", 0);
        var attempts = 0;

        var committed = _dom0.TryCommitWithRetry(tx =>
        {
            attempts++;
            var value = _dom0.ReadInt("/counter", tx)!.Value;
            if (attempts == 1)
            {
                _dom1.WriteInt("/counter", 100); // someone else gets in first
            }

            _dom0.WriteInt("/counter", value + 1, tx);
            return true;
        });

        Assert.True(committed);
        Assert.Equal(2, attempts);
        Assert.Equal(101, _dom0.ReadInt("/counter"));
    }

    [Fact]
    public void TryCommitWithRetry_ReturnsFalse_WhenBodyAborts_OrAttemptsRunOut()
    {
        Assert.False(_dom0.TryCommitWithRetry(tx =>
        {
            _dom0.Write("/aborted", "1", tx);
            return false;
        }));
        Assert.Null(_dom0.Read("/aborted"));

        var attempts = 0;
        Assert.False(_dom0.TryCommitWithRetry(
            tx =>
            {
                attempts++;
                _dom0.Read("/contended", tx);
                _dom1.WriteInt("/contended", attempts);
                return true;
            },
            maxAttempts: 3));
        Assert.Equal(3, attempts);
    }

    [Fact]
    public void TryCommitWithRetry_AbortsAndRethrows_WhenBodyThrows()
    {
        XsTransaction? seen = null;
        Assert.Throws<InvalidOperationException>(() => _dom0.TryCommitWithRetry(tx =>
        {
            seen = tx;
            _dom0.Write("/x", "1", tx);
            throw new InvalidOperationException();
        }));
        Assert.False(seen!.IsActive);
        Assert.Null(_dom0.Read("/x"));
    }

    [Fact]
    public async Task ConcurrentIncrements_WithRetry_LoseNoUpdates()
    {
        const int Threads = 4;
        const int PerThread = 100;
        _dom0.WriteInt("/counter", 0);
        var connections = Enumerable.Range(1, Threads).Select(_store.Connect).ToArray();

        var workers = connections.Select(conn => Task.Run(() =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                Assert.True(conn.TryCommitWithRetry(
                    tx =>
                    {
                        conn.WriteInt("/counter", conn.ReadInt("/counter", tx)!.Value + 1, tx);
                        return true;
                    },
                    maxAttempts: 10_000));
            }
        })).ToArray();

        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Threads * PerThread, _dom0.ReadInt("/counter"));
    }

    [Fact]
    public void Commit_RecordsTheCommittingDomainAsOwnerOfCreatedNodes()
    {
        var tx = _dom1.BeginTransaction();
        _dom1.Write("/local/domain/1/x", "1", tx);
        Assert.True(_dom1.Commit(tx));

        Assert.All(_store.Snapshot("/local"), n => Assert.Equal(1, n.Owner));
    }
}
