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

    private static NextHop[] NextHops(RouteSpec route, int? linkIndex)
    {
        var hops = new NextHop[route.NextHops.Count];
        for (int i = 0; i < hops.Length; i++)
            hops[i] = new NextHop { Gateway = route.NextHops[i].Via, OutputLinkIndex = linkIndex, Weight = route.NextHops[i].Weight, OnLink = route.OnLink };
        return hops;
    }

    /// <summary>Protocol static: the routes init installs are recognisable as such (<c>ip route</c> shows "proto static").</summary>
    internal static Route Route(RouteSpec route, int? linkIndex) => new(route.To)
    {
        Gateway = route.Via,
        OutputLinkIndex = route.NextHops.Count > 0 ? null : linkIndex,
        NextHops = route.NextHops.Count == 0 ? null : NextHops(route, linkIndex),
        Type = route.Kind switch
        {
            RouteKind.Blackhole => RouteType.Blackhole,
            RouteKind.Unreachable => RouteType.Unreachable,
            RouteKind.Prohibit => RouteType.Prohibit,
            RouteKind.Throw => RouteType.Throw,
            _ => RouteType.Unicast,
        },
        Mtu = route.Mtu,
        AdvertisedMss = route.AdvertisedMss,
        OnLink = route.OnLink && route.NextHops.Count == 0,
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

    /// <summary>Protocol static marks the rule as the init's: a re-run removes ours the spec no longer lists, and only those.</summary>
    internal static Rule Rule(RuleSpec rule) => new()
    {
        Family = rule.Family,
        Priority = rule.Priority,
        Source = rule.From,
        Destination = rule.To,
        InputInterface = rule.InputInterface,
        OutputInterface = rule.OutputInterface,
        FirewallMark = rule.Mark,
        FirewallMask = rule.Mask,
        Table = rule.Table,
        Action = rule.Reject switch
        {
            RuleReject.Blackhole => RuleAction.Blackhole,
            RuleReject.Unreachable => RuleAction.Unreachable,
            RuleReject.Prohibit => RuleAction.Prohibit,
            _ => RuleAction.ToTable,
        },
        Protocol = RouteProtocol.Static,
    };

    internal static Neighbor Neighbor(NeighborSpec neighbor) => new(neighbor.Address)
    {
        LinkLayerAddress = neighbor.Mac,
        State = NeighborState.Permanent,
    };

    /// <summary>The metric the kernel stores: as given, or 0 for IPv4; IPv6 turns none and 0 into 1024.</summary>
    internal static uint EffectiveMetric(uint? metric, AddressFamily family) =>
        family == AddressFamily.InterNetworkV6 && metric is null or 0 ? 1024u : metric ?? 0u;
}
