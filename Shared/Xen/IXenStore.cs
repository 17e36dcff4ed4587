namespace XenDisplayWeb.Shared.Xen;

/// <summary>
/// A domain's client view of XenStore (what libxenstore / Linux xenbus offer).
/// Implemented by <see cref="XenStoreConnection"/>; a real dom0 binding can implement it too.
/// All paths are absolute. Operations that take a transaction act inside it when it is not null.
/// Failures throw <see cref="XenStoreException"/>.
/// </summary>
public interface IXenStore
{
    /// <summary>Domain this client belongs to.</summary>
    int DomId { get; }

    /// <summary>The node's value, or null if it does not exist.</summary>
    string? Read(string path, XsTransaction? tx = null);

    /// <summary>Sets the node's value, creating it and any missing parents (with empty values).</summary>
    void Write(string path, string value, XsTransaction? tx = null);

    /// <summary>Creates the node with an empty value (and missing parents); does nothing if it exists.</summary>
    void Mkdir(string path, XsTransaction? tx = null);

    /// <summary>
    /// Deletes the node and its subtree. ENOENT if it does not exist (stricter than xenstored,
    /// which accepts removing a missing node whose parent exists).
    /// </summary>
    void Remove(string path, XsTransaction? tx = null);

    /// <summary>Names (not paths) of the node's children, sorted ordinally. ENOENT if it does not exist.</summary>
    IReadOnlyList<string> Directory(string path, XsTransaction? tx = null);

    bool Exists(string path, XsTransaction? tx = null);

    /// <summary>The node's value as an integer; null if the node is missing or not an integer.</summary>
    int? ReadInt(string path, XsTransaction? tx = null);

    void WriteInt(string path, int value, XsTransaction? tx = null);

    XsTransaction BeginTransaction();

    /// <summary>
    /// Ends the transaction, applying its writes atomically. Returns false (EAGAIN) if something it
    /// read, listed or wrote was changed by someone else meanwhile; nothing is applied then.
    /// </summary>
    bool Commit(XsTransaction tx);

    /// <summary>Ends the transaction discarding its writes. Does nothing if it has already ended.</summary>
    void Abort(XsTransaction tx);

    /// <summary>
    /// Watches <paramref name="path"/> and everything below it. The callback gets (event path, token);
    /// it fires once right away with <paramref name="path"/>, then for every change at or below it.
    /// Callbacks run asynchronously, one at a time, in event order. Dispose the result to unwatch.
    /// </summary>
    IDisposable Watch(string path, string token, Action<string, string> callback);
}

public static class XenStoreExtensions
{
    /// <summary>
    /// Runs <paramref name="body"/> in a transaction and commits it, starting over on EAGAIN like
    /// xenbus clients do. The body returns false to abort. Returns true once a commit succeeds;
    /// false if the body aborted or every one of <paramref name="maxAttempts"/> commits conflicted.
    /// If the body throws, the transaction is aborted and the exception propagates.
    /// </summary>
    public static bool TryCommitWithRetry(this IXenStore xs, Func<XsTransaction, bool> body, int maxAttempts = 16)
    {
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);

        for (var attempt = 0; attempt < maxAttempts; attempt++)
        {
            var tx = xs.BeginTransaction();
            bool keep;
            try
            {
                keep = body(tx);
            }
            catch
            {
                xs.Abort(tx);
                throw;
            }

            if (!keep)
            {
                xs.Abort(tx);
                return false;
            }

            if (xs.Commit(tx))
            {
                return true;
            }
        }

        return false;
    }
}
