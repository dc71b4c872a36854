using Netlink.Rtnetlink;
using Netlink.Transport;

namespace Netlink;

public sealed partial class NetlinkHandle
{
    /// <summary>
    /// Creates a persistent tun or tap device in this handle's namespace, as <c>ip tuntap add</c> does (through
    /// /dev/net/tun, which has no netlink request for it), and returns it. It stays until <see cref="DeleteLink"/>;
    /// <see cref="Link.Tun"/> reports its settings. A name that is taken fails with EBUSY.
    /// </summary>
    /// <param name="name">The name; a pattern such as <c>tap%d</c> lets the kernel pick the number.</param>
    /// <param name="mode">Tun (IP packets) or tap (Ethernet frames).</param>
    /// <param name="options">Packet information header, virtio-net header, multiple queues.</param>
    /// <param name="owner">A user id that may attach to the device without CAP_NET_ADMIN.</param>
    /// <param name="group">A group id that may attach to the device without CAP_NET_ADMIN.</param>
    /// <param name="cancellationToken">Checked before the device is made.</param>
    public Link CreateTun(string name, TunMode mode, TunOptions options = TunOptions.None, uint? owner = null, uint? group = null,
        CancellationToken cancellationToken = default)
    {
        LinkMessages.ValidName(name);
        ObjectDisposedException.ThrowIf(_disposal.IsCancellationRequested, this);
        cancellationToken.ThrowIfCancellationRequested();
        var created = Described(() => $"{name}: create {mode.ToString().ToLowerInvariant()}",
            () => NamespaceFile.RunIn(_namespace, NamespacePath, () => TunDevice.CreatePersistent(name, mode, options, owner, group)));
        return GetLink(created, cancellationToken);
    }
}
