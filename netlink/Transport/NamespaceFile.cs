using Netlink.Interop;

namespace Netlink.Transport;

/// <summary>Opens a namespace file such as /run/netns/NAME as a descriptor the library owns.</summary>
internal static class NamespaceFile
{
    internal static FileDescriptor Open(string path) =>
        FileDescriptor.Own(Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC), $"open network namespace {path}");
}
