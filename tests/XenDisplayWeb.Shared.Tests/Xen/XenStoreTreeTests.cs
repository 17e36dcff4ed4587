using XenDisplayWeb.Shared.Xen;

namespace XenDisplayWeb.Shared.Tests.Xen;

public sealed class XenStoreTreeTests : IDisposable
{
    private readonly XenStore _store = new();
    private readonly XenStoreConnection _dom0;

    public XenStoreTreeTests() => _dom0 = _store.Connect(DomId.Dom0);

    public void Dispose() => _store.Dispose();

    [Fact]
    public void Write_CreatesMissingParentsWithEmptyValues()
    {
        _dom0.Write("/local/domain/1/device/vdispl/0/state", "1");

        Assert.Equal("1", _dom0.Read("/local/domain/1/device/vdispl/0/state"));
        Assert.Equal("", _dom0.Read("/local/domain/1/device/vdispl/0"));
        Assert.Equal("", _dom0.Read("/local"));
        Assert.Equal(["domain"], _dom0.Directory("/local"));
    }

    [Fact]
    public void Write_OverwritesValue_AndAcceptsEmptyValue()
    {
        _dom0.Write("/a", "x");
        _dom0.Write("/a", "");
        Assert.Equal("", _dom0.Read("/a"));
    }

    [Fact]
    public void Read_MissingNode_ReturnsNull()
    {
        Assert.Null(_dom0.Read("/nope"));
        Assert.Null(_dom0.Read("/nope/deeper"));
        Assert.False(_dom0.Exists("/nope"));
        Assert.True(_dom0.Exists("/"));
    }

    [Fact]
    public void Directory_ListsChildNamesSortedOrdinally()
    {
        foreach (var name in new[] { "b", "a", "B", "a0", "10", "2" })
        {
            _dom0.Write("/dir/" + name, name);
        }

        _dom0.Write("/dir/a/grandchild", "x");

        Assert.Equal(["10", "2", "B", "a", "a0", "b"], _dom0.Directory("/dir"));
        Assert.Empty(_dom0.Directory("/dir/b"));
        Assert.Equal(["dir"], _dom0.Directory("/"));
    }

    [Fact]
    public void Directory_MissingNode_ThrowsEnoentWithPath()
    {
        var ex = Assert.Throws<XenStoreException>(() => _dom0.Directory("/missing/dir"));
        Assert.Equal(XenStoreException.ENOENT, ex.Errno);
        Assert.Contains("/missing/dir", ex.Message, StringComparison.Ordinal);
        Assert.Equal("/missing/dir", ex.Path);
    }

    [Fact]
    public void Mkdir_CreatesEmptyNodeAndParents_AndIsNoOpIfPresent()
    {
        _dom0.Mkdir("/a/b/c");
        Assert.Equal("", _dom0.Read("/a/b/c"));

        _dom0.Write("/a/b", "keep");
        var generation = _store.Generation;
        _dom0.Mkdir("/a/b");

        Assert.Equal("keep", _dom0.Read("/a/b"));
        Assert.Equal(generation, _store.Generation);
    }

    [Fact]
    public void Remove_DeletesNodeAndSubtree_LeavingParentAndSiblings()
    {
        _dom0.Write("/a/b/c/d", "1");
        _dom0.Write("/a/b/e", "2");
        _dom0.Write("/a/sibling", "3");

        _dom0.Remove("/a/b");

        Assert.Null(_dom0.Read("/a/b"));
        Assert.Null(_dom0.Read("/a/b/c/d"));
        Assert.Equal(["sibling"], _dom0.Directory("/a"));
        Assert.DoesNotContain(_store.Snapshot(), n => n.Path.StartsWith("/a/b", StringComparison.Ordinal));
    }

    [Fact]
    public void Remove_MissingNode_ThrowsEnoent()
    {
        _dom0.Write("/a", "");
        var ex = Assert.Throws<XenStoreException>(() => _dom0.Remove("/a/missing"));
        Assert.Equal(XenStoreException.ENOENT, ex.Errno);
        Assert.Contains("/a/missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Remove_Root_ThrowsEinval()
    {
        var ex = Assert.Throws<XenStoreException>(() => _dom0.Remove("/"));
        Assert.Equal(XenStoreException.EINVAL, ex.Errno);
    }

    [Theory]
    [InlineData("")]
    [InlineData("local/domain")]
    [InlineData("/local/")]
    [InlineData("//")]
    [InlineData("/local//domain")]
    [InlineData("/with space")]
    [InlineData("/star*")]
    [InlineData("/caf\u00e9")]
    [InlineData("/tab\there")]
    public void InvalidPath_ThrowsEinval_ForEveryOperation(string path)
    {
        var operations = new Action[]
        {
            () => _dom0.Read(path),
            () => _dom0.Write(path, "v"),
            () => _dom0.Mkdir(path),
            () => _dom0.Remove(path),
            () => _dom0.Directory(path),
            () => _dom0.Watch(path, "t", (_, _) => { }),
        };

        foreach (var operation in operations)
        {
            var ex = Assert.Throws<XenStoreException>(operation);
            Assert.Equal(XenStoreException.EINVAL, ex.Errno);
        }
    }

    [Fact]
    public void ValidPath_AllowsXenCharacterSet()
    {
        const string path = "/Az09_@-./x.y-z@1";
        _dom0.Write(path, "v");
        Assert.Equal("v", _dom0.Read(path));
    }

    [Fact]
    public void PathLength_LimitIs3072Characters()
    {
        var ok = "/" + new string('a', XenStore.MaxPathLength - 1);
        _dom0.Write(ok, "v");
        Assert.Equal("v", _dom0.Read(ok));

        var ex = Assert.Throws<XenStoreException>(() => _dom0.Write(ok + "a", "v"));
        Assert.Equal(XenStoreException.EINVAL, ex.Errno);
    }

    [Fact]
    public void ValueLength_LimitIs4096Utf8Bytes()
    {
        _dom0.Write("/v", new string('x', XenStore.MaxValueBytes));

        var ascii = Assert.Throws<XenStoreException>(() => _dom0.Write("/v", new string('x', XenStore.MaxValueBytes + 1)));
        Assert.Equal(XenStoreException.EINVAL, ascii.Errno);

        // 2049 two-byte characters: few chars, too many bytes.
        var wide = Assert.Throws<XenStoreException>(() => _dom0.Write("/v", new string('\u00e9', 2049)));
        Assert.Equal(XenStoreException.EINVAL, wide.Errno);
    }

    [Fact]
    public void ReadInt_WriteInt()
    {
        _dom0.WriteInt("/n", -42);
        Assert.Equal("-42", _dom0.Read("/n"));
        Assert.Equal(-42, _dom0.ReadInt("/n"));
        Assert.Null(_dom0.ReadInt("/missing"));

        _dom0.Write("/text", "abc");
        Assert.Null(_dom0.ReadInt("/text"));
    }

    [Fact]
    public void Snapshot_ListsNodesPreOrderWithValuesDepthAndOwner()
    {
        using var dom1 = _store.Connect(1);
        _dom0.Mkdir("/local/domain/1");
        dom1.Write("/local/domain/1/data/b", "B");
        dom1.Write("/local/domain/1/data/a", "A");
        _dom0.Write("/local/domain/1/data/a", "A2"); // rewriting keeps the creator as owner

        var snapshot = _store.Snapshot();

        Assert.Equal(
            [
                ("/", "", 0, 0),
                ("/local", "", 0, 1),
                ("/local/domain", "", 0, 2),
                ("/local/domain/1", "", 0, 3),
                ("/local/domain/1/data", "", 1, 4),
                ("/local/domain/1/data/a", "A2", 1, 5),
                ("/local/domain/1/data/b", "B", 1, 5),
            ],
            snapshot.Select(n => (n.Path, n.Value, n.Owner, n.Depth)));
        Assert.Equal("a", snapshot[5].Name);

        var sub = _store.Snapshot("/local/domain/1/data");
        Assert.Equal(["/local/domain/1/data", "/local/domain/1/data/a", "/local/domain/1/data/b"], sub.Select(n => n.Path));
        Assert.Empty(_store.Snapshot("/missing"));
    }

    [Fact]
    public void Generation_IncrementsOnEveryCommittedChange()
    {
        var g0 = _store.Generation;
        _dom0.Write("/a", "1");
        Assert.Equal(g0 + 1, _store.Generation);
        _dom0.Write("/a", "1");
        Assert.Equal(g0 + 2, _store.Generation);
        _dom0.Remove("/a");
        Assert.Equal(g0 + 3, _store.Generation);
        Assert.Null(_dom0.Read("/a"));
        Assert.Equal(g0 + 3, _store.Generation);
    }

    [Fact]
    public void Changed_IsRaisedAfterCommittedChanges_AndThrowingHandlersDoNotBreakTheStore()
    {
        var seen = new List<string>();
        _store.Changed += _ => throw new InvalidOperationException("bad observer");
        _store.Changed += seen.Add;

        _dom0.Write("/a/b", "1");
        _dom0.Mkdir("/a/c");
        _dom0.Mkdir("/a/c"); // no change
        _dom0.Remove("/a");

        var tx = _dom0.BeginTransaction();
        _dom0.Write("/t", "1", tx);
        Assert.Equal(["/a/b", "/a/c", "/a"], seen);
        Assert.True(_dom0.Commit(tx));

        Assert.Equal(["/a/b", "/a/c", "/a", "/t"], seen);
        Assert.Equal("1", _dom0.Read("/t"));
    }

    [Fact]
    public void Connect_RejectsInvalidDomIds()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _store.Connect(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => _store.Connect(XenStore.FirstReservedDomId));
    }

    [Fact]
    public void DisposedConnection_RejectsOperations()
    {
        var conn = _store.Connect(3);
        conn.Dispose();
        Assert.Throws<ObjectDisposedException>(() => conn.Read("/"));
        conn.Dispose(); // idempotent
    }
}
