using System.Collections.Concurrent;
using System.Net;
using System.Net.NetworkInformation;
using System.Runtime.InteropServices;
using Netlink.Rtnetlink;
using Netlink.Transport;

namespace Netlink;

public sealed partial class NetlinkHandle
{
    private readonly ConcurrentDictionary<int, string> linkNames = new();

    /// <summary>Gets a link by name or index; throws ENODEV when there is none.</summary>
    public Link GetLink(LinkRef link)
    {
        var request = link.Index > 0 ? LinkMessages.GetByIndex(link.Index) : LinkMessages.GetByName(LinkMessages.ValidName(link.Name!));
        Func<string> describe = () => $"{link}: get link";
        return Described(describe, () => Remember(LinkMessages.Decode(channel.Query(new PendingRequest(request, describe), Rtnl.NewLink).Payload)));
    }

    /// <summary>Gets a link by name or index, or null when there is none.</summary>
    public Link? FindLink(LinkRef link)
    {
        try
        {
            return GetLink(link);
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
            return null;
        }
    }

    /// <summary>Finds the link with hardware address <paramref name="macAddress"/>, or null.</summary>
    public Link? FindLinkByMacAddress(PhysicalAddress macAddress)
    {
        ArgumentNullException.ThrowIfNull(macAddress);
        return ListLinks().FirstOrDefault(link => macAddress.Equals(link.MacAddress));
    }

    /// <summary>Lists every link in the namespace.</summary>
    public IReadOnlyList<Link> ListLinks() => Described(() => "list links", () =>
        DumpConsistently(LinkMessages.Dump, () => "list links")
            .Where(message => message.Type == Rtnl.NewLink)
            .Select(message => Remember(LinkMessages.Decode(message.Payload)))
            .ToList());

    /// <summary>Sets a link administratively up (only IFF_UP changes).</summary>
    public void SetLinkUp(LinkRef link) => channel.Execute(LinkUpRequest(link, up: true));

    /// <summary>Sets a link administratively down (only IFF_UP changes).</summary>
    public void SetLinkDown(LinkRef link) => channel.Execute(LinkUpRequest(link, up: false));

    /// <summary>Sets a link's MTU. IPv4 needs at least 68, IPv6 at least 1280; the driver bounds it by <see cref="Link.MinMtu"/>/<see cref="Link.MaxMtu"/>.</summary>
    public void SetMtu(LinkRef link, uint mtu)
    {
        var index = IndexOf(link);
        channel.Execute(new PendingRequest(LinkMessages.SetMtu(index, mtu), () => $"{Label(link)}: set mtu {mtu}"));
    }

    /// <summary>Renames a link. Many kernels and drivers refuse (EBUSY) while the link is up: set it down first.</summary>
    public void RenameLink(LinkRef link, string newName)
    {
        var index = IndexOf(link);
        channel.Execute(new PendingRequest(LinkMessages.SetName(index, newName), () => $"{Label(link)}: rename to {newName}"));
        linkNames[index] = newName;
    }

    /// <summary>Sets a link's hardware address; many drivers require the link to be down.</summary>
    public void SetMacAddress(LinkRef link, PhysicalAddress macAddress)
    {
        ArgumentNullException.ThrowIfNull(macAddress);
        var index = IndexOf(link);
        channel.Execute(new PendingRequest(LinkMessages.SetMacAddress(index, macAddress), () => $"{Label(link)}: set mac address {macAddress}"));
    }

    /// <summary>
    /// Creates a veth pair <paramref name="name"/>–<paramref name="peerName"/>. With <paramref name="peerNamespacePath"/>
    /// (e.g. <c>/run/netns/blue</c>) the peer is created directly in that network namespace.
    /// </summary>
    public void CreateVeth(string name, string peerName, string? peerNamespacePath = null)
    {
        using var peerNamespace = peerNamespacePath is null ? null : NamespaceFile.Open(peerNamespacePath);
        CreateVeth(name, peerName, peerNamespace?.Fd, peerNamespacePath);
    }

    /// <summary>
    /// Creates a veth pair whose peer is created in the network namespace open as <paramref name="peerNamespace"/>
    /// (e.g. <c>File.OpenHandle("/proc/1234/ns/net")</c>); the kernel receives it as IFLA_NET_NS_FD.
    /// </summary>
    public void CreateVeth(string name, string peerName, SafeHandle peerNamespace)
    {
        ArgumentNullException.ThrowIfNull(peerNamespace);
        WithDescriptor(peerNamespace, fd => CreateVeth(name, peerName, fd, $"namespace fd {fd}"));
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

    private void CreateVeth(string name, string peerName, int? peerNamespaceFd, string? peerNamespace)
    {
        var request = LinkMessages.CreateVeth(name, peerName, peerNamespaceFd);
        channel.Execute(new PendingRequest(request, () => $"{name}: create veth with peer {peerName}" + (peerNamespace is null ? "" : $" in {peerNamespace}")));
    }

    /// <summary>Creates a dummy link (needs the kernel's dummy driver: EOPNOTSUPP without it).</summary>
    public void CreateDummy(string name) =>
        channel.Execute(new PendingRequest(LinkMessages.CreateDummy(name), () => $"{name}: create dummy"));

    /// <summary>Creates a bridge; attach links to it with <see cref="SetMaster"/>.</summary>
    public void CreateBridge(string name) =>
        channel.Execute(new PendingRequest(LinkMessages.CreateBridge(name), () => $"{name}: create bridge"));

    /// <summary>Creates a macvlan link on <paramref name="parent"/>: its own MAC address on the parent's wire.</summary>
    public void CreateMacvlan(string name, LinkRef parent, MacvlanMode mode = MacvlanMode.Bridge)
    {
        var parentIndex = IndexOf(parent);
        channel.Execute(new PendingRequest(LinkMessages.CreateMacvlan(name, parentIndex, mode),
            () => $"{name}: create macvlan on {Label(parent)} mode {mode.ToString().ToLowerInvariant()}"));
    }

    /// <summary>
    /// Creates a VXLAN link with network identifier <paramref name="id"/> (24 bits) on UDP <paramref name="port"/>.
    /// <paramref name="remote"/> is the peer's unicast address or a multicast group; <paramref name="local"/> the
    /// source address; <paramref name="underlying"/> the link the encapsulated packets leave by (needed for a group).
    /// </summary>
    public void CreateVxlan(string name, uint id, IPAddress? local = null, IPAddress? remote = null, LinkRef? underlying = null, ushort port = 4789)
    {
        var underlyingIndex = underlying is { } link ? IndexOf(link) : (int?)null;
        channel.Execute(new PendingRequest(LinkMessages.CreateVxlan(name, id, local, remote, underlyingIndex, port),
            () => $"{name}: create vxlan id {id}" + (remote is null ? "" : $" remote {remote}") + (local is null ? "" : $" local {local}")));
    }

    /// <summary>Attaches a link to a bridge (its master), or with null detaches it (<c>nomaster</c>).</summary>
    public void SetMaster(LinkRef link, LinkRef? master)
    {
        var index = IndexOf(link);
        var masterIndex = master is { } named ? IndexOf(named) : 0;
        channel.Execute(new PendingRequest(LinkMessages.SetMaster(index, masterIndex),
            () => $"{Label(link)}: " + (master is { } m ? $"set master {Label(m)}" : "set nomaster")));
    }

    /// <summary>
    /// Moves a link into the network namespace open as <paramref name="networkNamespace"/> (e.g.
    /// <c>File.OpenHandle("/run/netns/blue")</c>; sent as IFLA_NET_NS_FD). The link leaves this handle's namespace
    /// (with its addresses and routes gone) and keeps its name there unless one is taken (EEXIST).
    /// </summary>
    public void MoveLinkToNamespace(LinkRef link, SafeHandle networkNamespace)
    {
        ArgumentNullException.ThrowIfNull(networkNamespace);
        var index = IndexOf(link);
        WithDescriptor(networkNamespace, fd =>
            channel.Execute(new PendingRequest(LinkMessages.MoveToNamespaceFd(index, fd), () => $"{Label(link)}: move to namespace fd {fd}")));
        linkNames.TryRemove(index, out _);
    }

    /// <summary>Moves a link into the network namespace of process <paramref name="processId"/> (IFLA_NET_NS_PID).</summary>
    public void MoveLinkToNamespaceOfProcess(LinkRef link, int processId)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(processId);
        var index = IndexOf(link);
        channel.Execute(new PendingRequest(LinkMessages.MoveToNamespaceOfProcess(index, processId), () => $"{Label(link)}: move to the namespace of process {processId}"));
        linkNames.TryRemove(index, out _);
    }

    /// <summary>Deletes a link (both ends, for a veth).</summary>
    public void DeleteLink(LinkRef link)
    {
        var index = IndexOf(link);
        channel.Execute(new PendingRequest(LinkMessages.Delete(index), () => $"{Label(link)}: delete link"));
        linkNames.TryRemove(index, out _);
    }

    private PendingRequest LinkUpRequest(LinkRef link, bool up)
    {
        var index = IndexOf(link);
        return new PendingRequest(LinkMessages.SetUp(index, up), () => $"{Label(link)}: set link {(up ? "up" : "down")}");
    }

    /// <summary>The index of a link, looking it up by name when only the name is known (as iproute2 does).</summary>
    private int IndexOf(LinkRef link) => link.Index > 0 ? link.Index : GetLink(link).Index;

    /// <summary>
    /// A link's name for an error message, from the names this handle has seen: describing an error must not
    /// itself wait on a kernel that may be the reason for the error.
    /// </summary>
    private string Label(LinkRef link) => link.Name ?? Label(link.Index);

    private string Label(int index) => linkNames.TryGetValue(index, out var name) ? name : $"link #{index}";

    private Link Remember(Link link)
    {
        linkNames[link.Index] = link.Name;
        return link;
    }
}
