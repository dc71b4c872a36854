using System.Runtime.InteropServices;

namespace Init.Interop;

/// <summary>A failed system call: what was attempted, the errno, its symbol and its text.</summary>
internal sealed class ErrnoException(string operation, int errno)
    : Exception($"{operation}: {LibcErrno.Describe(errno)}")
{
    internal string Operation { get; } = operation;
    internal int Number { get; } = errno;
}

internal static class LibcErrno
{
    internal const int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, ECHILD = 10, EAGAIN = 11,
        EACCES = 13, EEXIST = 17, ENOTDIR = 20, EROFS = 30, EPIPE = 32;

    /// <summary>Throws an <see cref="ErrnoException"/> when a -1/errno call returned a negative value.</summary>
    internal static int Check(int result, string operation) =>
        result >= 0 ? result : throw new ErrnoException(operation, Marshal.GetLastPInvokeError());

    /// <summary>"ENOENT (No such file or directory)", for messages users act on.</summary>
    internal static string Describe(int errno) => $"{Name(errno)} ({Text(errno)})";

    internal static string Text(int errno) => Netlink.Errno.Describe(errno);

    /// <summary>The symbol (EACCES): one table for the whole program, the netlink library's.</summary>
    internal static string Name(int errno) => Netlink.Errno.Name(errno);
}
