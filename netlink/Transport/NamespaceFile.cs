using System.Runtime.InteropServices;
using Netlink.Interop;

namespace Netlink.Transport;

/// <summary>Opens a namespace file such as /run/netns/NAME as a descriptor the library owns, and works inside one.</summary>
internal static class NamespaceFile
{
    internal static FileDescriptor Open(string path) =>
        FileDescriptor.Own(Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC), $"open network namespace {path}");

    /// <summary>
    /// Runs <paramref name="create"/> in the network namespace <paramref name="networkNamespace"/> (null: here) on a
    /// short-lived thread that enters it, so the caller's thread never moves. What it creates (a socket, a tun
    /// device) belongs to that namespace for good.
    /// </summary>
    internal static T RunIn<T>(FileDescriptor? networkNamespace, string? namespaceLabel, Func<T> create)
        where T : class
    {
        if (networkNamespace is null)
            return create();
        var added = false;
        networkNamespace.DangerousAddRef(ref added); // ObjectDisposedException once the owner closed it
        try
        {
            T? created = null;
            Exception? failure = null;
            var thread = new Thread(() =>
            {
                try
                {
                    if (Libc.setns(networkNamespace.Number, Libc.CLONE_NEWNET) < 0)
                        throw new NetlinkException(Marshal.GetLastPInvokeError()) { Operation = $"enter network namespace {namespaceLabel}", Kind = RequestKind.EnterNamespace };
                    created = create();
                }
                catch (Exception e)
                {
                    failure = e;
                }
            });
            thread.Start();
            thread.Join();
            return created ?? throw failure!;
        }
        finally
        {
            if (added)
                networkNamespace.DangerousRelease();
        }
    }
}
