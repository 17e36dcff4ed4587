using System.Collections.Immutable;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace XenDisplayWeb.Shared.Xen;

/// <summary>
/// The simulated xenstored of one host: a tree of string-valued nodes with watches and
/// optimistic transactions. Clients use it through <see cref="Connect"/>. Thread-safe.
/// </summary>
/// <remarks>
/// The tree is immutable (each change rebuilds the path from the root), so transactions and
/// snapshots are just saved roots. Every node remembers the store generation at which its value
/// or child list last changed; a transaction conflicts if any node it touched has a different
/// generation (or existence) now than when it began.
/// </remarks>
public sealed class XenStore : IDisposable
{
    /// <summary>Longest accepted absolute path (XENSTORE_ABS_PATH_MAX).</summary>
    public const int MaxPathLength = 3072;

    /// <summary>Largest accepted value in UTF-8 bytes (XENSTORE_PAYLOAD_MAX).</summary>
    public const int MaxValueBytes = 4096;

    /// <summary>First reserved domain id (DOMID_FIRST_RESERVED); connections need a smaller one.</summary>
    public const int FirstReservedDomId = DomId.FirstReserved;

    private static readonly ImmutableSortedDictionary<string, Node> NoChildren =
        ImmutableSortedDictionary.Create<string, Node>(StringComparer.Ordinal);

    private readonly object _lock = new();
    private readonly ILogger _logger;
    private readonly List<WatchRegistration> _watches = [];
    private readonly List<XenStoreConnection> _connections = [];
    private Node _root = new("", DomId.Dom0, 0, NoChildren);
    private long _generation;
    private uint _lastTxId;
    private bool _disposed;

    public XenStore(ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Increments on every committed change.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>
    /// Raised with the changed path after every committed change (write, created directory, removal),
    /// on the writer's thread, outside the store lock. Exceptions from handlers are logged and ignored.
    /// </summary>
    public event Action<string>? Changed;

    /// <summary>Opens a client connection for a domain, with its own watch dispatcher thread.</summary>
    public XenStoreConnection Connect(int domId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(domId);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(domId, FirstReservedDomId);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var connection = new XenStoreConnection(this, domId);
            _connections.Add(connection);
            return connection;
        }
    }

    /// <summary>The subtree at <paramref name="root"/> in pre-order (children sorted ordinally); empty if it does not exist.</summary>
    public IReadOnlyList<XenStoreNodeInfo> Snapshot(string root = "/")
    {
        var segments = ParsePath(root);
        Node tree;
        lock (_lock)
        {
            tree = _root;
        }

        var result = new List<XenStoreNodeInfo>();
        var node = Find(tree, segments, segments.Length);
        if (node is not null)
        {
            AddSnapshot(node, root, segments.Length, result);
        }

        return result;
    }

    public void Dispose()
    {
        XenStoreConnection[] connections;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            connections = [.. _connections];
        }

        foreach (var connection in connections)
        {
            connection.Dispose();
        }
    }

    // ----- operations used by XenStoreConnection -----

    internal string? Read(XenStoreConnection connection, string path, XsTransaction? tx)
    {
        var segments = ParsePath(path);
        lock (_lock)
        {
            return Find(ViewFor(connection, tx, path), segments, segments.Length)?.Value;
        }
    }

    internal IReadOnlyList<string> Directory(XenStoreConnection connection, string path, XsTransaction? tx)
    {
        var segments = ParsePath(path);
        lock (_lock)
        {
            var node = Find(ViewFor(connection, tx, path), segments, segments.Length)
                ?? throw new XenStoreException(XenStoreException.ENOENT, "cannot list a missing node", path);
            return [.. node.Children.Keys];
        }
    }

    internal void Mutate(XenStoreConnection connection, Op op, XsTransaction? tx)
    {
        lock (_lock)
        {
            if (tx is not null)
            {
                var t = CheckTransaction(connection, tx);
                t.Work = Apply(t.Work, op, connection.DomId, 0, t.Touched);
                t.Ops.Add(op);
                return;
            }

            var generation = _generation + 1;
            var root = Apply(_root, op, connection.DomId, generation, null);
            if (ReferenceEquals(root, _root))
            {
                return; // mkdir of an existing node: no change, no watch event
            }

            _root = root;
            Interlocked.Exchange(ref _generation, generation);
            FireWatchesLocked(op);
        }

        RaiseChanged([op.Path]);
    }

    internal XsTransaction BeginTransaction(XenStoreConnection connection)
    {
        lock (_lock)
        {
            if (++_lastTxId == 0)
            {
                _lastTxId = 1;
            }

            return new SimTransaction(_lastTxId, connection, _root);
        }
    }

    internal bool Commit(XenStoreConnection connection, XsTransaction tx)
    {
        var changed = new List<string>();
        lock (_lock)
        {
            var t = CheckTransaction(connection, tx);
            t.IsActive = false;
            foreach (var path in t.Touched)
            {
                var segments = ParsePath(path);
                var before = Find(t.Base, segments, segments.Length);
                var now = Find(_root, segments, segments.Length);
                if ((before is null) != (now is null) || (before is not null && before.Generation != now!.Generation))
                {
                    return false; // EAGAIN
                }
            }

            // Nothing the transaction depends on changed, so replaying its operations on the live
            // tree gives the same result they had on its private view.
            var root = _root;
            var generation = _generation;
            var applied = new List<Op>();
            foreach (var op in t.Ops)
            {
                var next = Apply(root, op, connection.DomId, generation + 1, null);
                if (!ReferenceEquals(next, root))
                {
                    root = next;
                    generation++;
                    applied.Add(op);
                }
            }

            _root = root;
            Interlocked.Exchange(ref _generation, generation);
            foreach (var op in applied)
            {
                FireWatchesLocked(op);
                changed.Add(op.Path);
            }
        }

        RaiseChanged(changed);
        return true;
    }

    internal void Abort(XenStoreConnection connection, XsTransaction tx)
    {
        lock (_lock)
        {
            if (tx.IsActive)
            {
                CheckTransaction(connection, tx).IsActive = false;
            }
        }
    }

    internal WatchRegistration AddWatch(XenStoreConnection connection, string path, string token, Action<string, string> callback)
    {
        ParsePath(path);
        lock (_lock)
        {
            foreach (var w in _watches)
            {
                if (w.Connection == connection && w.Path == path && w.Token == token)
                {
                    throw new XenStoreException(XenStoreException.EEXIST, $"watch with token '{token}' already registered", path);
                }
            }

            var watch = new WatchRegistration(connection, path, token, callback);
            _watches.Add(watch);

            // Xen queues one event for the watched path as soon as the watch is registered.
            connection.Enqueue(watch, path);
            return watch;
        }
    }

    internal void RemoveWatch(WatchRegistration watch)
    {
        lock (_lock)
        {
            _watches.Remove(watch);
        }
    }

    internal void Disconnect(XenStoreConnection connection)
    {
        lock (_lock)
        {
            _watches.RemoveAll(w => w.Connection == connection);
            _connections.Remove(connection);
        }
    }

    internal void ReportCallbackError(XenStoreConnection connection, string path, string token, Exception ex) =>
        _logger.LogError(ex, "Watch callback of dom{DomId} for {Path} (token {Token}) threw", connection.DomId, path, token);

    // ----- paths -----

    /// <summary>Validates an absolute path and splits it into segments ("/" has none).</summary>
    internal static string[] ParsePath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0 || path[0] != '/')
        {
            throw new XenStoreException(XenStoreException.EINVAL, "path must be absolute", path);
        }

        if (path.Length > MaxPathLength)
        {
            throw new XenStoreException(XenStoreException.EINVAL, $"path longer than {MaxPathLength} characters", path);
        }

        if (path.Length == 1)
        {
            return [];
        }

        foreach (var c in path)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '@' or '/' or '-' or '.'))
            {
                throw new XenStoreException(XenStoreException.EINVAL, $"invalid character '{c}' in path", path);
            }
        }

        if (path[^1] == '/')
        {
            throw new XenStoreException(XenStoreException.EINVAL, "path has a trailing '/'", path);
        }

        if (path.Contains("//", StringComparison.Ordinal))
        {
            throw new XenStoreException(XenStoreException.EINVAL, "path has an empty segment", path);
        }

        return path[1..].Split('/');
    }

    internal static void CheckValue(string path, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > MaxValueBytes / 3 && Encoding.UTF8.GetByteCount(value) > MaxValueBytes)
        {
            throw new XenStoreException(XenStoreException.EINVAL, $"value longer than {MaxValueBytes} bytes", path);
        }
    }

    private static string JoinPath(string[] segments, int count) =>
        count == 0 ? "/" : "/" + string.Join('/', segments, 0, count);

    /// <summary>True if <paramref name="path"/> is <paramref name="ancestor"/> or below it.</summary>
    private static bool IsAtOrBelow(string path, string ancestor) =>
        ancestor.Length == 1
        || (path.StartsWith(ancestor, StringComparison.Ordinal)
            && (path.Length == ancestor.Length || path[ancestor.Length] == '/'));

    // ----- tree -----

    internal sealed record Node(string Value, int Owner, long Generation, ImmutableSortedDictionary<string, Node> Children);

    internal enum OpKind { Write, Mkdir, Remove }

    internal readonly record struct Op(OpKind Kind, string Path, string[] Segments, string Value);

    private static Node? Find(Node root, string[] segments, int count)
    {
        Node? node = root;
        for (var i = 0; i < count && node is not null; i++)
        {
            node = node.Children.GetValueOrDefault(segments[i]);
        }

        return node;
    }

    /// <summary>
    /// Returns a new root where the node at <paramref name="segments"/> is replaced by
    /// <paramref name="leaf"/>(old node or null); a null result removes it. Missing parents are
    /// created. A parent whose child list changes gets the new generation.
    /// </summary>
    private static Node Rebuild(Node root, string[] segments, Func<Node?, Node?> leaf, int owner, long generation)
    {
        var chain = new Node?[segments.Length + 1];
        chain[0] = root;
        for (var i = 0; i < segments.Length; i++)
        {
            chain[i + 1] = chain[i]?.Children.GetValueOrDefault(segments[i]);
        }

        var current = leaf(chain[segments.Length]);
        for (var i = segments.Length - 1; i >= 0; i--)
        {
            var parent = chain[i] ?? new Node("", owner, generation, NoChildren);
            var old = chain[i + 1];
            if (current is null)
            {
                current = parent with { Children = parent.Children.Remove(segments[i]), Generation = generation };
            }
            else
            {
                current = parent with
                {
                    Children = parent.Children.SetItem(segments[i], current),
                    Generation = old is null ? generation : parent.Generation,
                };
            }
        }

        return current ?? throw new InvalidOperationException("the root cannot be removed");
    }

    /// <summary>
    /// Applies one mutation to a tree. When <paramref name="touched"/> is given (transactions), it
    /// receives every path whose state the result depends on: the node, the parents it creates and
    /// the existing parent whose child list changes; for a removal, the whole subtree and its parent.
    /// </summary>
    private static Node Apply(Node root, Op op, int owner, long generation, HashSet<string>? touched)
    {
        var segments = op.Segments;
        switch (op.Kind)
        {
            case OpKind.Write:
            {
                TouchForCreate(root, segments, touched);
                var value = op.Value;
                return Rebuild(
                    root,
                    segments,
                    n => n is null ? new Node(value, owner, generation, NoChildren) : n with { Value = value, Generation = generation },
                    owner,
                    generation);
            }

            case OpKind.Mkdir:
                TouchForCreate(root, segments, touched);
                return Find(root, segments, segments.Length) is not null
                    ? root
                    : Rebuild(root, segments, _ => new Node("", owner, generation, NoChildren), owner, generation);

            case OpKind.Remove:
            {
                touched?.Add(op.Path);
                if (segments.Length == 0)
                {
                    throw new XenStoreException(XenStoreException.EINVAL, "cannot remove the root node", op.Path);
                }

                var node = Find(root, segments, segments.Length)
                    ?? throw new XenStoreException(XenStoreException.ENOENT, "cannot remove a missing node", op.Path);
                if (touched is not null)
                {
                    touched.Add(JoinPath(segments, segments.Length - 1));
                    TouchSubtree(node, op.Path, touched);
                }

                return Rebuild(root, segments, _ => null, owner, generation);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(op));
        }
    }

    private static void TouchForCreate(Node root, string[] segments, HashSet<string>? touched)
    {
        if (touched is null)
        {
            return;
        }

        // The node itself, then each missing parent, up to and including the first existing one.
        for (var count = segments.Length; count >= 0; count--)
        {
            touched.Add(JoinPath(segments, count));
            if (Find(root, segments, count) is not null)
            {
                break;
            }
        }
    }

    private static void TouchSubtree(Node node, string path, HashSet<string> touched)
    {
        touched.Add(path);
        foreach (var (name, child) in node.Children)
        {
            TouchSubtree(child, path + "/" + name, touched);
        }
    }

    private static void AddSnapshot(Node node, string path, int depth, List<XenStoreNodeInfo> result)
    {
        result.Add(new XenStoreNodeInfo(path, node.Value, node.Owner, depth, node.Generation));
        var prefix = path.Length == 1 ? "/" : path + "/";
        foreach (var (name, child) in node.Children)
        {
            AddSnapshot(child, prefix + name, depth + 1, result);
        }
    }

    // ----- transactions, watches, observers -----

    /// <summary>The tree an operation sees: the live one, or the transaction's view (recording the access).</summary>
    private Node ViewFor(XenStoreConnection connection, XsTransaction? tx, string path)
    {
        if (tx is null)
        {
            return _root;
        }

        var t = CheckTransaction(connection, tx);
        t.Touched.Add(path);
        return t.Work;
    }

    private static SimTransaction CheckTransaction(XenStoreConnection connection, XsTransaction tx)
    {
        if (tx is not SimTransaction t || t.Owner != connection)
        {
            throw new XenStoreException(XenStoreException.ENOENT, $"transaction {tx.Id} does not belong to this dom{connection.DomId} connection");
        }

        if (!t.IsActive)
        {
            throw new XenStoreException(XenStoreException.ENOENT, $"transaction {tx.Id} has already ended");
        }

        return t;
    }

    private void FireWatchesLocked(Op op)
    {
        var removal = op.Kind == OpKind.Remove;
        foreach (var watch in _watches)
        {
            if (IsAtOrBelow(op.Path, watch.Path))
            {
                watch.Connection.Enqueue(watch, op.Path);
            }
            else if (removal && IsAtOrBelow(watch.Path, op.Path))
            {
                // Like xenstored: removing a subtree also fires watches set inside it, with their own path.
                watch.Connection.Enqueue(watch, watch.Path);
            }
        }
    }

    private void RaiseChanged(List<string> paths)
    {
        var handlers = Changed;
        if (handlers is null)
        {
            return;
        }

        foreach (var path in paths)
        {
            foreach (var handler in handlers.GetInvocationList())
            {
                try
                {
                    ((Action<string>)handler)(path);
                }
                catch (Exception ex)
                {
                    _logger.LogError(ex, "XenStore Changed handler threw for {Path}", path);
                }
            }
        }
    }
}
