using System.Collections.Concurrent;
using System.Net;
using System.Net.NetworkInformation;
using System.Runtime.InteropServices;
using Netlink.Rtnetlink;
using Netlink.Transport;

namespace Netlink;

public sealed partial class NetlinkHandle
{
    private readonly ConcurrentDictionary<int, string> _linkNames = new();

    /// <summary>Gets a link by name or index; throws ENODEV when there is none.</summary>
    public Link GetLink(LinkRef link, CancellationToken cancellationToken = default)
    {
        var request = link.Index > 0 ? LinkMessages.GetByIndex(link.Index) : LinkMessages.GetByName(LinkMessages.ValidName(link.Name!));
        Func<string> describe = () => $"{link}: get link";
        return Described(describe, () => Remember(LinkMessages.Decode(_channel.Query(new PendingRequest(request, describe), Rtnl.NewLink, cancellationToken))));
    }

    /// <summary>Gets a link by name or index, or null when there is none.</summary>
    public Link? FindLink(LinkRef link, CancellationToken cancellationToken = default)
    {
        try
        {
            return GetLink(link, cancellationToken);
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
            return null;
        }
    }

    /// <summary>Finds the link with hardware address <paramref name="macAddress"/>, or null.</summary>
    public Link? FindLinkByMacAddress(PhysicalAddress macAddress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(macAddress);
        foreach (var link in ListLinks(cancellationToken))
            if (macAddress.Equals(link.MacAddress))
                return link;
        return null;
    }

    /// <summary>Lists every link in the namespace.</summary>
    public IReadOnlyList<Link> ListLinks(CancellationToken cancellationToken = default) => Described(() => "list links", () =>
        Decode(DumpConsistently(LinkMessages.Dump, Rtnl.NewLink, () => "list links", cancellationToken),
            payload => Remember(LinkMessages.Decode(payload)), _ => true));

    /// <summary>Sets a link administratively up (only IFF_UP changes).</summary>
    public void SetLinkUp(LinkRef link, CancellationToken cancellationToken = default) =>
        _channel.Execute(LinkUpRequest(link, up: true, cancellationToken), cancellationToken);

    /// <summary>Sets a link administratively down (only IFF_UP changes).</summary>
    public void SetLinkDown(LinkRef link, CancellationToken cancellationToken = default) =>
        _channel.Execute(LinkUpRequest(link, up: false, cancellationToken), cancellationToken);

    /// <summary>Sets a link's MTU. IPv4 needs at least 68, IPv6 at least 1280; the driver bounds it by <see cref="Link.MinMtu"/>/<see cref="Link.MaxMtu"/>.</summary>
    public void SetMtu(LinkRef link, uint mtu, CancellationToken cancellationToken = default)
    {
        var index = IndexOf(link, cancellationToken);
        _channel.Execute(new PendingRequest(LinkMessages.SetMtu(index, mtu), () => $"{Label(link)}: set mtu {mtu}"), cancellationToken);
    }

    /// <summary>Renames a link. Many kernels and drivers refuse (EBUSY) while the link is up: set it down first.</summary>
    public void RenameLink(LinkRef link, string newName, CancellationToken cancellationToken = default)
    {
        var index = IndexOf(link, cancellationToken);
        _channel.Execute(new PendingRequest(LinkMessages.SetName(index, newName), () => $"{Label(link)}: rename to {newName}", Kind: RequestKind.RenameLink), cancellationToken);
        _linkNames[index] = newName;
    }

    /// <summary>Sets a link's hardware address; many drivers require the link to be down.</summary>
    public void SetMacAddress(LinkRef link, PhysicalAddress macAddress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(macAddress);
        var index = IndexOf(link, cancellationToken);
        _channel.Execute(new PendingRequest(LinkMessages.SetMacAddress(index, macAddress), () => $"{Label(link)}: set mac address {macAddress}", Kind: RequestKind.SetMacAddress), cancellationToken);
    }

    /// <summary>
    /// Creates a veth pair <paramref name="name"/>–<paramref name="peerName"/>. With <paramref name="peerNamespacePath"/>
    /// (e.g. <c>/run/netns/blue</c>) the peer is created directly in that network namespace.
    /// </summary>
    public void CreateVeth(string name, string peerName, string? peerNamespacePath = null, CancellationToken cancellationToken = default)
    {
        using var peerNamespace = peerNamespacePath is null ? null : NamespaceFile.Open(peerNamespacePath);
        CreateVeth(name, peerName, peerNamespace?.Number, peerNamespacePath, cancellationToken); // not shared: no other thread can close it
    }

    /// <summary>
    /// Creates a veth pair whose peer is created in the network namespace open as <paramref name="peerNamespace"/>
    /// (e.g. <c>File.OpenHandle("/proc/1234/ns/net")</c>); the kernel receives it as IFLA_NET_NS_FD.
    /// </summary>
    public void CreateVeth(string name, string peerName, SafeHandle peerNamespace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(peerNamespace);
        WithDescriptor(peerNamespace, fd => CreateVeth(name, peerName, fd, $"namespace fd {fd}", cancellationToken));
    }

    /// <summary>Runs <paramref name="use"/> with the handle's descriptor, which cannot be closed meanwhile.</summary>
    private static void WithDescriptor(SafeHandle handle, Action<int> use)
    {
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            use((int)handle.DangerousGetHandle());
        }
        finally
        {
            if (added)
                handle.DangerousRelease();
        }
    }

    private void CreateVeth(string name, string peerName, int? peerNamespaceFd, string? peerNamespace, CancellationToken cancellationToken)
    {
        var request = LinkMessages.CreateVeth(name, peerName, peerNamespaceFd);
        _channel.Execute(new PendingRequest(request, () => $"{name}: create veth with peer {peerName}" + (peerNamespace is null ? "" : $" in {peerNamespace}"), Kind: RequestKind.CreateLink), cancellationToken);
    }

    /// <summary>Creates a dummy link (needs the kernel's dummy driver: EOPNOTSUPP without it).</summary>
    public void CreateDummy(string name, CancellationToken cancellationToken = default) =>
        _channel.Execute(new PendingRequest(LinkMessages.CreateDummy(name), () => $"{name}: create dummy", Kind: RequestKind.CreateLink), cancellationToken);

    /// <summary>Creates a bridge; attach links to it with <see cref="SetMaster"/>.</summary>
    public void CreateBridge(string name, CancellationToken cancellationToken = default) =>
        _channel.Execute(new PendingRequest(LinkMessages.CreateBridge(name), () => $"{name}: create bridge", Kind: RequestKind.CreateLink), cancellationToken);

    /// <summary>Creates a macvlan link on <paramref name="parent"/>: its own MAC address on the parent's wire.</summary>
    public void CreateMacvlan(string name, LinkRef parent, MacvlanMode mode = MacvlanMode.Bridge,
        CancellationToken cancellationToken = default)
    {
        var parentIndex = IndexOf(parent, cancellationToken);
        _channel.Execute(new PendingRequest(LinkMessages.CreateMacvlan(name, parentIndex, mode),
            () => $"{name}: create macvlan on {Label(parent)} mode {mode.ToString().ToLowerInvariant()}", Kind: RequestKind.CreateLink), cancellationToken);
    }

    /// <summary>
    /// Creates a VXLAN link with network identifier <paramref name="id"/> (24 bits) on UDP <paramref name="port"/>.
    /// <paramref name="remote"/> is the peer's unicast address or a multicast group; <paramref name="local"/> the
    /// source address; <paramref name="underlying"/> the link the encapsulated packets leave by (needed for a group).
    /// </summary>
    public void CreateVxlan(string name, uint id, IPAddress? local = null, IPAddress? remote = null, LinkRef? underlying = null, ushort port = 4789,
        CancellationToken cancellationToken = default)
    {
        var underlyingIndex = underlying is { } link ? IndexOf(link, cancellationToken) : (int?)null;
        _channel.Execute(new PendingRequest(LinkMessages.CreateVxlan(name, id, local, remote, underlyingIndex, port),
            () => $"{name}: create vxlan id {id}" + (remote is null ? "" : $" remote {remote}") + (local is null ? "" : $" local {local}"),
            Kind: RequestKind.CreateLink), cancellationToken);
    }

    /// <summary>Attaches a link to a bridge (its master), or with null detaches it (<c>nomaster</c>).</summary>
    public void SetMaster(LinkRef link, LinkRef? master, CancellationToken cancellationToken = default)
    {
        var index = IndexOf(link, cancellationToken);
        var masterIndex = master is { } named ? IndexOf(named, cancellationToken) : 0;
        _channel.Execute(new PendingRequest(LinkMessages.SetMaster(index, masterIndex),
            () => $"{Label(link)}: " + (master is { } m ? $"set master {Label(m)}" : "set nomaster")), cancellationToken);
    }

    /// <summary>
    /// Moves a link into the network namespace open as <paramref name="networkNamespace"/> (e.g.
    /// <c>File.OpenHandle("/run/netns/blue")</c>; sent as IFLA_NET_NS_FD). The link leaves this handle's namespace
    /// (with its addresses and routes gone) and keeps its name there unless one is taken (EEXIST).
    /// </summary>
    public void MoveLinkToNamespace(LinkRef link, SafeHandle networkNamespace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(networkNamespace);
        var index = IndexOf(link, cancellationToken);
        WithDescriptor(networkNamespace, fd =>
            _channel.Execute(new PendingRequest(LinkMessages.MoveToNamespaceFd(index, fd), () => $"{Label(link)}: move to namespace fd {fd}"), cancellationToken));
        _linkNames.TryRemove(index, out _);
    }

    /// <summary>Moves a link into the network namespace of process <paramref name="processId"/> (IFLA_NET_NS_PID).</summary>
    public void MoveLinkToNamespaceOfProcess(LinkRef link, int processId, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(processId);
        var index = IndexOf(link, cancellationToken);
        _channel.Execute(new PendingRequest(LinkMessages.MoveToNamespaceOfProcess(index, processId), () => $"{Label(link)}: move to the namespace of process {processId}"), cancellationToken);
        _linkNames.TryRemove(index, out _);
    }

    /// <summary>Deletes a link (both ends, for a veth).</summary>
    public void DeleteLink(LinkRef link, CancellationToken cancellationToken = default)
    {
        var index = IndexOf(link, cancellationToken);
        _channel.Execute(new PendingRequest(LinkMessages.Delete(index), () => $"{Label(link)}: delete link"), cancellationToken);
        _linkNames.TryRemove(index, out _);
    }

    private PendingRequest LinkUpRequest(LinkRef link, bool up, CancellationToken cancellationToken)
    {
        var index = IndexOf(link, cancellationToken);
        return new PendingRequest(LinkMessages.SetUp(index, up), () => $"{Label(link)}: set link {(up ? "up" : "down")}");
    }

    /// <summary>The index of a link, looking it up by name when only the name is known (as iproute2 does).</summary>
    private int IndexOf(LinkRef link, CancellationToken cancellationToken) => link.Index > 0 ? link.Index : GetLink(link, cancellationToken).Index;

    /// <summary>
    /// A link's name for an error message, from the names this handle has seen: describing an error must not
    /// itself wait on a kernel that may be the reason for the error.
    /// </summary>
    private string Label(LinkRef link) => link.Name ?? Label(link.Index);

    private string Label(int index) => _linkNames.TryGetValue(index, out var name) ? name : $"link #{index}";

    private Link Remember(Link link)
    {
        _linkNames[link.Index] = link.Name;
        return link;
    }
}
