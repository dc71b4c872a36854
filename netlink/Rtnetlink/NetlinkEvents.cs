using Netlink.Rtnetlink;
using Netlink.Transport;
using Netlink.Wire;

namespace Netlink;

/// <summary>Which rtnetlink multicast groups to listen to.</summary>
[Flags]
public enum EventGroups
{
    /// <summary>Link changes (RTNLGRP_LINK).</summary>
    Links = 1,
    /// <summary>IPv4 address changes.</summary>
    IPv4Addresses = 2,
    /// <summary>IPv6 address changes (including the end of DAD).</summary>
    IPv6Addresses = 4,
    /// <summary>IPv4 route changes.</summary>
    IPv4Routes = 8,
    /// <summary>IPv6 route changes.</summary>
    IPv6Routes = 16,
    /// <summary>Address changes of both families.</summary>
    Addresses = IPv4Addresses | IPv6Addresses,
    /// <summary>Route changes of both families.</summary>
    Routes = IPv4Routes | IPv6Routes,
    /// <summary>Neighbour (ARP/NDP) and proxy entry changes (RTNLGRP_NEIGH).</summary>
    Neighbors = 32,
    /// <summary>Policy rule changes of both families.</summary>
    Rules = 64,
}

/// <summary>Something changed in the kernel's tables, or notifications were lost.</summary>
public abstract class NetlinkEvent
{
    private protected NetlinkEvent() { }
}

/// <summary>A link appeared or changed (<see cref="Removed"/> false), or was deleted.</summary>
public sealed class LinkEvent(Link link, bool removed) : NetlinkEvent
{
    /// <summary>The link's state after the change.</summary>
    public Link Link { get; } = link;

    /// <summary>Whether the link was deleted.</summary>
    public bool Removed { get; } = removed;
}

/// <summary>An address was added or changed (<see cref="Removed"/> false), or removed.</summary>
public sealed class AddressEvent(InterfaceAddress address, bool removed) : NetlinkEvent
{
    /// <summary>The address, with its link index and flags.</summary>
    public InterfaceAddress Address { get; } = address;

    /// <summary>Whether the address was removed.</summary>
    public bool Removed { get; } = removed;
}

/// <summary>A route was added or changed (<see cref="Removed"/> false), or removed.</summary>
public sealed class RouteEvent(Route route, bool removed) : NetlinkEvent
{
    /// <summary>The route.</summary>
    public Route Route { get; } = route;

    /// <summary>Whether the route was removed.</summary>
    public bool Removed { get; } = removed;
}

/// <summary>
/// The socket's buffer overflowed (ENOBUFS) and notifications were dropped: state known from events is stale,
/// list again to re-synchronise. The subscription stays usable.
/// </summary>
public sealed class EventsLost : NetlinkEvent
{
    internal static readonly EventsLost Instance = new();

    private EventsLost() { }
}

/// <summary>
/// A subscription to rtnetlink notifications. Subscribe before listing the current state, so that no change
/// between the two is missed. Dispose to leave the groups.
/// </summary>
public sealed class NetlinkEvents : IDisposable
{
    private readonly INetlinkTransport _transport;
    private readonly Queue<NetlinkEvent> _pending = new();

    internal NetlinkEvents(INetlinkTransport transport) => _transport = transport;

    private static readonly (EventGroups Flag, uint Group)[] Groups =
    [
        (EventGroups.Links, Rtnl.GroupLink),
        (EventGroups.IPv4Addresses, Rtnl.GroupIPv4Address),
        (EventGroups.IPv6Addresses, Rtnl.GroupIPv6Address),
        (EventGroups.IPv4Routes, Rtnl.GroupIPv4Route),
        (EventGroups.IPv6Routes, Rtnl.GroupIPv6Route),
        (EventGroups.Neighbors, Rtnl.GroupNeighbor),
        (EventGroups.Rules, Rtnl.GroupIPv4Rule),
        (EventGroups.Rules, Rtnl.GroupIPv6Rule),
    ];

    internal static uint[] GroupNumbers(EventGroups groups)
    {
        var numbers = new List<uint>(Groups.Length);
        foreach (var (flag, group) in Groups)
            if (groups.HasFlag(flag))
                numbers.Add(group);
        return [.. numbers];
    }

    /// <summary>
    /// Returns the next event, <see cref="EventsLost"/> after an overflow, or null when nothing arrived within
    /// <paramref name="timeout"/> (<see cref="Timeout.InfiniteTimeSpan"/>: no limit). Malformed notifications raise
    /// <see cref="NetlinkProtocolException"/>; a cancelled token <see cref="OperationCanceledException"/>, and a
    /// Dispose from another thread <see cref="ObjectDisposedException"/>, both at once.
    /// </summary>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="cancellationToken">Ends the wait at once.</param>
    public NetlinkEvent? Read(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = Deadline.After(timeout);
        while (_pending.Count == 0)
        {
            ReadOnlyMemory<byte> datagram;
            uint sender;
            try
            {
                if (!_transport.TryReceive(deadline, cancellationToken, acknowledgementsOnly: false, out datagram, out sender))
                    return null;
            }
            catch (NetlinkException e) when (e.Errno == Errno.ENOBUFS)
            {
                return EventsLost.Instance;
            }
            if (sender == 0)
                Enqueue(datagram.Span);
        }
        return _pending.Dequeue();
    }

    private void Enqueue(ReadOnlySpan<byte> datagram)
    {
        var reader = new MessageReader(datagram);
        while (reader.TryRead(out var message))
        {
            if (Decode(message) is { } decoded)
                _pending.Enqueue(decoded);
        }
    }

    internal static NetlinkEvent? Decode(NetlinkMessage message) => message.Type switch
    {
        Rtnl.NewLink or Rtnl.DelLink => new LinkEvent(LinkMessages.Decode(message.Payload), message.Type == Rtnl.DelLink),
        Rtnl.NewAddress or Rtnl.DelAddress => AddressMessages.Decode(message.Payload) is { } address
            ? new AddressEvent(address, message.Type == Rtnl.DelAddress) : null,
        Rtnl.NewRoute or Rtnl.DelRoute => RouteMessages.Decode(message.Payload) is { } route
            ? new RouteEvent(route, message.Type == Rtnl.DelRoute) : null,
        Rtnl.NewNeighbor or Rtnl.DelNeighbor => NeighborMessages.Decode(message.Payload) is { } neighbor
            ? new NeighborEvent(neighbor, message.Type == Rtnl.DelNeighbor) : null,
        Rtnl.NewRule or Rtnl.DelRule => RuleMessages.Decode(message.Payload) is { } rule
            ? new RuleEvent(rule, message.Type == Rtnl.DelRule) : null,
        _ => null,
    };

    /// <summary>Leaves the groups and closes the socket; a <see cref="Read"/> blocked in another thread ends at once.</summary>
    public void Dispose() => _transport.Dispose();
}
