namespace XenDisplayWeb.Shared.Xen;

/// <summary>Xen errno values (public/errno.h). Positive here; displif statuses carry them negated.</summary>
public static class XenErrno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EIO = 5;
    public const int E2BIG = 7;
    public const int EAGAIN = 11;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int EFAULT = 14;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int ESRCH = 3;
    public const int ENODEV = 19;
    public const int EINVAL = 22;
    public const int ENOSPC = 28;
    public const int EOPNOTSUPP = 95;
    public const int ETIMEDOUT = 110;

    public static string Name(int errno) => Math.Abs(errno) switch
    {
        0 => "OK",
        EPERM => "EPERM",
        ENOENT => "ENOENT",
        EIO => "EIO",
        E2BIG => "E2BIG",
        EAGAIN => "EAGAIN",
        ENOMEM => "ENOMEM",
        EACCES => "EACCES",
        EFAULT => "EFAULT",
        EBUSY => "EBUSY",
        EEXIST => "EEXIST",
        ENODEV => "ENODEV",
        ESRCH => "ESRCH",
        EINVAL => "EINVAL",
        ENOSPC => "ENOSPC",
        EOPNOTSUPP => "EOPNOTSUPP",
        ETIMEDOUT => "ETIMEDOUT",
        var e => "E" + e,
    };

    /// <summary>Formats a displif status: "0 (OK)" or "-22 (EINVAL)".</summary>
    public static string Describe(int status) => status == 0 ? "0 (OK)" : $"{status} ({Name(status)})";
}

/// <summary>A Xen operation failed with an errno.</summary>
public class XenException(int errno, string message) : Exception($"{message} ({XenErrno.Name(errno)})")
{
    /// <summary>The positive errno.</summary>
    public int Errno { get; } = errno;
}
