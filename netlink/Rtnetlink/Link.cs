using System.Net.NetworkInformation;

namespace Netlink;

/// <summary>A network interface as the kernel reports it (RTM_NEWLINK).</summary>
public sealed class Link
{
    /// <summary>The interface index (ifindex), stable for the life of the link.</summary>
    public required int Index { get; init; }

    /// <summary>The interface name, e.g. <c>eth0</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The device flags (IFF_*).</summary>
    public LinkFlags Flags { get; init; }

    /// <summary>The ARPHRD_* hardware type, e.g. 1 for Ethernet, 772 for loopback.</summary>
    public ushort HardwareType { get; init; }

    /// <summary>RFC 2863 operational state.</summary>
    public OperationalState OperationalState { get; init; }

    /// <summary>The MTU in bytes.</summary>
    public uint Mtu { get; init; }

    /// <summary>The driver's smallest accepted MTU, when reported.</summary>
    public uint? MinMtu { get; init; }

    /// <summary>The driver's largest accepted MTU, when reported.</summary>
    public uint? MaxMtu { get; init; }

    /// <summary>The hardware (MAC) address, when the link has one.</summary>
    public PhysicalAddress? MacAddress { get; init; }

    /// <summary>The link kind (<c>veth</c>, <c>bridge</c>, …); null for physical devices and loopback.</summary>
    public string? Kind { get; init; }

    /// <summary>
    /// The index of the link this one is stacked on or paired with (IFLA_LINK), when reported: an index in this
    /// namespace, or in the namespace <see cref="ParentNamespaceId"/> names when that is set.
    /// </summary>
    public int? ParentIndex { get; init; }

    /// <summary>
    /// The parent (e.g. a veth's peer) is in another network namespace, with this id as seen from this namespace
    /// (IFLA_LINK_NETNSID, iproute2's <c>link-netnsid</c>); null when the parent is local.
    /// </summary>
    public int? ParentNamespaceId { get; init; }

    /// <summary>The link's traffic counters (IFLA_STATS64), as reported.</summary>
    public LinkStatistics? Statistics { get; init; }

    /// <summary>A tun/tap device's mode, options, owner and group (<see cref="Kind"/> <c>tun</c>), when reported.</summary>
    public TunInfo? Tun { get; init; }

    /// <summary>The index of the bridge or bond this link is enslaved to, when any.</summary>
    public int? MasterIndex { get; init; }

    /// <summary>Administratively up (IFF_UP).</summary>
    public bool IsUp => Flags.HasFlag(LinkFlags.Up);

    /// <summary>The lower layer has carrier (IFF_LOWER_UP).</summary>
    public bool HasCarrier => Flags.HasFlag(LinkFlags.LowerUp);

    /// <summary>Usable: operstate UP, or UNKNOWN with carrier (loopback and some virtual links never report UP).</summary>
    public bool IsOperational => OperationalState == OperationalState.Up
        || (OperationalState == OperationalState.Unknown && HasCarrier);

    /// <inheritdoc/>
    public override string ToString() => $"{Index}: {Name} <{Flags}> mtu {Mtu} state {OperationalState}";
}

/// <summary>A link's traffic counters (the first fields of struct rtnl_link_stats64), since the link was created.</summary>
public sealed class LinkStatistics
{
    /// <summary>Packets received.</summary>
    public ulong ReceivedPackets { get; init; }
    /// <summary>Packets sent.</summary>
    public ulong TransmittedPackets { get; init; }
    /// <summary>Bytes received.</summary>
    public ulong ReceivedBytes { get; init; }
    /// <summary>Bytes sent.</summary>
    public ulong TransmittedBytes { get; init; }
    /// <summary>Receive errors (all kinds).</summary>
    public ulong ReceiveErrors { get; init; }
    /// <summary>Transmit errors (all kinds).</summary>
    public ulong TransmitErrors { get; init; }
    /// <summary>Received packets dropped (e.g. no buffer).</summary>
    public ulong ReceiveDropped { get; init; }
    /// <summary>Packets dropped before sending.</summary>
    public ulong TransmitDropped { get; init; }
    /// <summary>Multicast packets received.</summary>
    public ulong Multicast { get; init; }
    /// <summary>Collisions.</summary>
    public ulong Collisions { get; init; }
}

/// <summary>How a macvlan link forwards between its siblings and the parent (MACVLAN_MODE_*).</summary>
public enum MacvlanMode : uint
{
    /// <summary>No traffic between siblings.</summary>
    Private = 1,
    /// <summary>Sibling traffic goes out to the external switch (the kernel's default).</summary>
    Vepa = 2,
    /// <summary>Siblings reach each other directly, like ports of a bridge (what containers usually want).</summary>
    Bridge = 4,
    /// <summary>The only macvlan on the parent, taking over its address.</summary>
    Passthru = 8,
}

/// <summary>Interface flags (IFF_* in linux/if.h).</summary>
[Flags]
public enum LinkFlags : uint
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary>Administratively up.</summary>
    Up = 0x1,
    /// <summary>Broadcast address valid.</summary>
    Broadcast = 0x2,
    /// <summary>Loopback device.</summary>
    Loopback = 0x8,
    /// <summary>Point-to-point link.</summary>
    PointToPoint = 0x10,
    /// <summary>Operationally up (RFC 2863 UP).</summary>
    Running = 0x40,
    /// <summary>No ARP.</summary>
    NoArp = 0x80,
    /// <summary>Receives all packets.</summary>
    Promiscuous = 0x100,
    /// <summary>Supports multicast.</summary>
    Multicast = 0x1000,
    /// <summary>The lower layer is up: carrier.</summary>
    LowerUp = 0x10000,
    /// <summary>Dormant.</summary>
    Dormant = 0x20000,
}

/// <summary>RFC 2863 operational state (IF_OPER_*).</summary>
public enum OperationalState : byte
{
    /// <summary>The driver does not report a state.</summary>
    Unknown = 0,
    /// <summary>Not present.</summary>
    NotPresent = 1,
    /// <summary>Down.</summary>
    Down = 2,
    /// <summary>Down because a lower layer is down (e.g. the veth peer).</summary>
    LowerLayerDown = 3,
    /// <summary>In test mode.</summary>
    Testing = 4,
    /// <summary>Waiting for an external event.</summary>
    Dormant = 5,
    /// <summary>Up and able to pass packets.</summary>
    Up = 6,
}

/// <summary>
/// Names a link by name or by index; converts implicitly from <see cref="string"/>, <see cref="int"/> and
/// <see cref="Link"/>, so every operation accepts <c>"eth0"</c>, <c>2</c> or a <see cref="Link"/>.
/// </summary>
public readonly record struct LinkRef
{
    private LinkRef(string? name, int index)
    {
        Name = name;
        Index = index;
    }

    /// <summary>The name, when the link was named by name (or given as a <see cref="Link"/>).</summary>
    public string? Name { get; }

    /// <summary>The index, or 0 when only the name is known.</summary>
    public int Index { get; }

    /// <summary>A link named <paramref name="name"/>.</summary>
    public static implicit operator LinkRef(string name) => new(name ?? throw new ArgumentNullException(nameof(name)), 0);

    /// <summary>The link with index <paramref name="index"/>.</summary>
    public static implicit operator LinkRef(int index) => index > 0
        ? new(null, index)
        : throw new ArgumentOutOfRangeException(nameof(index), "a link index is positive");

    /// <summary>The given link (its index is used; its name labels errors).</summary>
    public static implicit operator LinkRef(Link link) => new((link ?? throw new ArgumentNullException(nameof(link))).Name, link.Index);

    /// <inheritdoc/>
    public override string ToString() => Name ?? $"link #{Index}";
}
