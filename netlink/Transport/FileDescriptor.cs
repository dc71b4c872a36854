using System.Runtime.InteropServices;
using Netlink.Interop;

namespace Netlink.Transport;

/// <summary>
/// A descriptor the library owns. As a <see cref="SafeHandle"/> it is closed by a finalizer if never disposed, and
/// never while a call that took a reference (DangerousAddRef) still uses it: a Dispose from another thread cannot
/// close a descriptor under a blocked poll, nor let its number be reused for someone else's file meanwhile.
/// </summary>
internal sealed class FileDescriptor : SafeHandle
{
    private FileDescriptor(int fd)
        : base(invalidHandleValue: -1, ownsHandle: true) => SetHandle(fd);

    public override bool IsInvalid => handle < 0; // 0 is a valid descriptor when stdin was closed

    /// <summary>Takes ownership of what a -1/errno call returned, or throws that call's errno as <paramref name="operation"/>.</summary>
    internal static FileDescriptor Own(int fd, string operation) => fd >= 0
        ? new FileDescriptor(fd)
        : throw new NetlinkException(Marshal.GetLastPInvokeError()) { Operation = operation };

    /// <summary>The number, for a call made while a reference is held.</summary>
    internal int Number => (int)handle;

    protected override bool ReleaseHandle() => Libc.close((int)handle) == 0;
}
