using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Netlink;

/// <summary>
/// A neighbour (ARP / NDP) entry on a link, or a proxy entry: what to add (set the link-layer address and
/// state) and what the kernel reports (RTM_NEWNEIGH, with <see cref="LinkIndex"/> filled in). Immutable.
/// </summary>
public sealed class Neighbor
{
    /// <summary>The entry for <paramref name="address"/>; an IPv4-mapped IPv6 address is stored as the IPv4 address it maps.</summary>
    public Neighbor(IPAddress address) : this(address, asReported: false) { }

    /// <summary>With <paramref name="asReported"/>, an IPv4-mapped address is the IPv6 address the kernel has, not mapped.</summary>
    internal Neighbor(IPAddress address, bool asReported)
    {
        ArgumentNullException.ThrowIfNull(address);
        Address = asReported ? address : Wire.IPBytes.Normalize(address);
    }

    /// <summary>The neighbour's IP address (NDA_DST).</summary>
    public IPAddress Address { get; }

    /// <summary>Its link-layer (MAC) address (NDA_LLADDR); null for proxy entries and unresolved ones.</summary>
    public PhysicalAddress? LinkLayerAddress { get; init; }

    /// <summary>The state to set or the state reported; <see cref="NeighborState.Permanent"/> unless set.</summary>
    public NeighborState State { get; init; } = NeighborState.Permanent;

    /// <summary>
    /// A proxy entry (NTF_PROXY, <c>ip neigh add proxy</c>): this host answers ARP / neighbour solicitations for
    /// <see cref="Address"/> on the link. Proxy entries have no link-layer address and are listed separately.
    /// </summary>
    public bool IsProxy { get; init; }

    /// <summary>The neighbour announced itself as an IPv6 router (NTF_ROUTER), as reported.</summary>
    public bool IsRouter { get; init; }

    /// <summary>The link the entry is on (filled in by the kernel's reports; ignored when adding).</summary>
    public int LinkIndex { get; init; }

    /// <summary>The address family.</summary>
    public AddressFamily Family => Address.AddressFamily;

    /// <summary>iproute2-like text, e.g. <c>10.200.0.2 lladdr 02:00:00:00:00:02 PERMANENT</c>.</summary>
    public override string ToString() => IsProxy
        ? $"proxy {Address}"
        : $"{Address}" + (LinkLayerAddress is { } mac ? $" lladdr {BitConverter.ToString(mac.GetAddressBytes()).Replace('-', ':').ToLowerInvariant()}" : "")
            + $" {State.ToString().ToUpperInvariant()}";
}

/// <summary>A neighbour or proxy entry was added or changed, e.g. its state (<see cref="Removed"/> false), or removed.</summary>
public sealed class NeighborEvent(Neighbor neighbor, bool removed) : NetlinkEvent
{
    /// <summary>The entry after the change, with its link index and state.</summary>
    public Neighbor Neighbor { get; } = neighbor;

    /// <summary>Whether the entry was removed.</summary>
    public bool Removed { get; } = removed;
}

/// <summary>Neighbour cache states (NUD_* in linux/neighbour.h).</summary>
[Flags]
public enum NeighborState : ushort
{
    /// <summary>No state.</summary>
    None = 0,
    /// <summary>Resolution in progress.</summary>
    Incomplete = 0x01,
    /// <summary>Confirmed reachable recently.</summary>
    Reachable = 0x02,
    /// <summary>Valid but unconfirmed.</summary>
    Stale = 0x04,
    /// <summary>Waiting before probing.</summary>
    Delay = 0x08,
    /// <summary>Probing.</summary>
    Probe = 0x10,
    /// <summary>Resolution failed.</summary>
    Failed = 0x20,
    /// <summary>No resolution needed (e.g. multicast, or point-to-point links); never expires.</summary>
    NoArp = 0x40,
    /// <summary>Set by the administrator; never expires or changes.</summary>
    Permanent = 0x80,
}
