using System.Globalization;

namespace XenDisplayWeb.Shared.Xen;

/// <summary>
/// One domain's connection to a <see cref="XenStore"/>. Watch callbacks run on a dedicated
/// thread ("xenwatch-dom{N}", like Linux's xenwatch), one at a time, in the order the events
/// happened. Dispose closes the connection: its watches are removed and the thread stops.
/// </summary>
public sealed class XenStoreConnection : IXenStore, IDisposable
{
    private readonly XenStore _store;
    private readonly object _sync = new();
    private readonly Queue<(WatchRegistration Watch, string Path)> _events = new();
    private readonly Thread _dispatcher;
    private WatchRegistration? _running;
    private bool _stopping;
    private int _disposed;

    internal XenStoreConnection(XenStore store, int domId)
    {
        _store = store;
        DomId = domId;
        _dispatcher = new Thread(DispatchLoop) { IsBackground = true, Name = $"xenwatch-dom{domId}" };
        _dispatcher.Start();
    }

    public int DomId { get; }

    /// <summary>The store this connection talks to.</summary>
    public XenStore Store => _store;

    public string? Read(string path, XsTransaction? tx = null)
    {
        ThrowIfDisposed();
        return _store.Read(this, path, tx);
    }

    public void Write(string path, string value, XsTransaction? tx = null)
    {
        ThrowIfDisposed();
        var segments = XenStore.ParsePath(path);
        XenStore.CheckValue(path, value);
        _store.Mutate(this, new XenStore.Op(XenStore.OpKind.Write, path, segments, value), tx);
    }

    public void Mkdir(string path, XsTransaction? tx = null)
    {
        ThrowIfDisposed();
        var segments = XenStore.ParsePath(path);
        _store.Mutate(this, new XenStore.Op(XenStore.OpKind.Mkdir, path, segments, ""), tx);
    }

    public void Remove(string path, XsTransaction? tx = null)
    {
        ThrowIfDisposed();
        var segments = XenStore.ParsePath(path);
        _store.Mutate(this, new XenStore.Op(XenStore.OpKind.Remove, path, segments, ""), tx);
    }

    public IReadOnlyList<string> Directory(string path, XsTransaction? tx = null)
    {
        ThrowIfDisposed();
        return _store.Directory(this, path, tx);
    }

    public bool Exists(string path, XsTransaction? tx = null) => Read(path, tx) is not null;

    public int? ReadInt(string path, XsTransaction? tx = null) =>
        int.TryParse(Read(path, tx), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    public void WriteInt(string path, int value, XsTransaction? tx = null) =>
        Write(path, value.ToString(CultureInfo.InvariantCulture), tx);

    public XsTransaction BeginTransaction()
    {
        ThrowIfDisposed();
        return _store.BeginTransaction(this);
    }

    public bool Commit(XsTransaction tx)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ThrowIfDisposed();
        return _store.Commit(this, tx);
    }

    public void Abort(XsTransaction tx)
    {
        ArgumentNullException.ThrowIfNull(tx);
        _store.Abort(this, tx); // no disposed check: aborting in cleanup code must not throw
    }

    /// <inheritdoc/>
    /// <remarks>
    /// After the returned handle's Dispose returns, the callback is not running and will not run
    /// again. Disposing from inside a callback of this connection does not wait (it cannot deadlock).
    /// Registering the same path and token twice on one connection is EEXIST, as in xenstored.
    /// </remarks>
    public IDisposable Watch(string path, string token, Action<string, string> callback)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(callback);
        ThrowIfDisposed();
        return _store.AddWatch(this, path, token, callback);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _store.Disconnect(this);
        lock (_sync)
        {
            _stopping = true;
            _events.Clear();
            Monitor.PulseAll(_sync);
        }

        if (Thread.CurrentThread != _dispatcher)
        {
            _dispatcher.Join();
        }
    }

    /// <summary>For tests: whether the watch dispatcher thread is still running.</summary>
    internal bool IsDispatcherAlive => _dispatcher.IsAlive;

    public override string ToString() => $"xenstore connection dom{DomId}";

    /// <summary>Queues a watch event; called by the store with its lock held, in event order.</summary>
    internal void Enqueue(WatchRegistration watch, string path)
    {
        lock (_sync)
        {
            if (_stopping)
            {
                return;
            }

            _events.Enqueue((watch, path));
            Monitor.PulseAll(_sync);
        }
    }

    internal void Unwatch(WatchRegistration watch)
    {
        _store.RemoveWatch(watch);
        lock (_sync)
        {
            watch.Active = false;
            if (Thread.CurrentThread == _dispatcher)
            {
                return;
            }

            while (_running == watch)
            {
                Monitor.Wait(_sync);
            }
        }
    }

    private void DispatchLoop()
    {
        while (true)
        {
            WatchRegistration watch;
            string path;
            lock (_sync)
            {
                while (_events.Count == 0 && !_stopping)
                {
                    Monitor.Wait(_sync);
                }

                if (_stopping)
                {
                    return;
                }

                (watch, path) = _events.Dequeue();
                if (!watch.Active)
                {
                    continue;
                }

                _running = watch;
            }

            try
            {
                watch.Callback(path, watch.Token);
            }
            catch (Exception ex)
            {
                _store.ReportCallbackError(this, path, watch.Token, ex);
            }
            finally
            {
                lock (_sync)
                {
                    _running = null;
                    Monitor.PulseAll(_sync);
                }
            }
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}

/// <summary>A registered watch; disposing it unregisters the watch.</summary>
internal sealed class WatchRegistration(XenStoreConnection connection, string path, string token, Action<string, string> callback) : IDisposable
{
    public XenStoreConnection Connection { get; } = connection;
    public string Path { get; } = path;
    public string Token { get; } = token;
    public Action<string, string> Callback { get; } = callback;

    /// <summary>Cleared on unwatch; guarded by the connection's dispatcher lock.</summary>
    public bool Active { get; set; } = true;

    public void Dispose() => Connection.Unwatch(this);
}
