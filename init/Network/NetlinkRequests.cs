using System.Net.Sockets;
using Init.Spec;
using Netlink;

namespace Init.Network;

/// <summary>The spec's addresses and routes as the netlink library's requests.</summary>
internal static class NetlinkRequests
{
    internal static InterfaceAddress Address(AddressSpec address) => new(address.Address.Address, address.Address.PrefixLength)
    {
        Peer = address.Peer?.Address,
        Broadcast = address.Broadcast,
        Flags = address.NoDad ? AddressFlags.NoDad : AddressFlags.None,
    };

    /// <summary>Protocol static: the routes init installs are recognisable as such (<c>ip route</c> shows "proto static").</summary>
    internal static Route Route(RouteSpec route, int linkIndex) => new(route.To)
    {
        Gateway = route.Via,
        OutputLinkIndex = linkIndex,
        OnLink = route.OnLink,
        Metric = route.Metric,
        Table = route.Table,
        PreferredSource = route.Source,
        Scope = route.Scope switch
        {
            RouteScope.Global => Scope.Universe,
            RouteScope.Link => Scope.Link,
            RouteScope.Host => Scope.Host,
            _ => null,
        },
        Protocol = RouteProtocol.Static,
    };

    /// <summary>The metric the kernel stores: as given, or 0 for IPv4; IPv6 turns none and 0 into 1024.</summary>
    internal static uint EffectiveMetric(uint? metric, AddressFamily family) =>
        family == AddressFamily.InterNetworkV6 && metric is null or 0 ? 1024u : metric ?? 0u;
}
