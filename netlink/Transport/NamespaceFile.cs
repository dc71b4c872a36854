using System.Runtime.InteropServices;
using Netlink.Interop;

namespace Netlink.Transport;

/// <summary>An open namespace file such as /run/netns/NAME, closed on dispose.</summary>
internal sealed class NamespaceFile : IDisposable
{
    private NamespaceFile(int fd) => Fd = fd;

    internal int Fd { get; private set; }

    internal static NamespaceFile Open(string path)
    {
        var fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC);
        return fd >= 0
            ? new NamespaceFile(fd)
            : throw new NetlinkException(Marshal.GetLastPInvokeError()) { Operation = $"open network namespace {path}" };
    }

    public void Dispose()
    {
        if (Fd >= 0)
            Libc.close(Fd);
        Fd = -1;
    }
}
