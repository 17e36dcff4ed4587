namespace XenDisplayWeb.Shared.Xen;

/// <summary>
/// A XenStore operation failed. <see cref="Errno"/> is the positive Linux errno that
/// xenstored would have returned (libxenstore reports it through errno).
/// </summary>
public sealed class XenStoreException : Exception
{
    public const int ENOENT = 2;
    public const int EAGAIN = 11;
    public const int EACCES = 13;
    public const int EEXIST = 17;
    public const int EINVAL = 22;

    public XenStoreException(int errno, string message, string? path = null)
        : base(path is null ? $"{ErrnoName(errno)}: {message}" : $"{ErrnoName(errno)}: {message} (path '{Shorten(path)}')")
    {
        Errno = errno;
        Path = path;
    }

    /// <summary>Positive Linux errno (ENOENT 2, EAGAIN 11, EACCES 13, EEXIST 17, EINVAL 22).</summary>
    public int Errno { get; }

    /// <summary>The path the failed operation was about, if any.</summary>
    public string? Path { get; }

    public static string ErrnoName(int errno) => errno switch
    {
        ENOENT => "ENOENT",
        EAGAIN => "EAGAIN",
        EACCES => "EACCES",
        EEXIST => "EEXIST",
        EINVAL => "EINVAL",
        _ => $"errno {errno}",
    };

    private static string Shorten(string path) => path.Length <= 200 ? path : string.Concat(path.AsSpan(0, 200), "...");
}
