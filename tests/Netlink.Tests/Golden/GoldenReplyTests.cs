using System.Net;
using System.Net.NetworkInformation;
using Netlink.Rtnetlink;
using Netlink.Transport;
using Netlink.Wire;
using Xunit;

namespace Netlink.Tests.Golden;

/// <summary>Replies the kernel really sent (captured next to the requests) decode into the expected objects.</summary>
public class GoldenReplyTests
{
    internal static List<(ushort Type, ushort Flags, byte[] Payload)> Messages(string hex)
    {
        var list = new List<(ushort, ushort, byte[])>();
        var reader = new MessageReader(Convert.FromHexString(hex));
        while (reader.TryRead(out var message))
            list.Add((message.Type, message.Flags, message.Payload.ToArray()));
        return list;
    }

    private static NetlinkException? Error(string hex, string request)
    {
        var reader = new MessageReader(Convert.FromHexString(hex));
        Assert.True(reader.TryRead(out var message));
        Assert.Equal(NetlinkHeader.Error, message.Type);
        return Acknowledgement.FromError(message, Convert.FromHexString(request));
    }

    [Fact]
    public void LinkReply()
    {
        var link = LinkMessages.Decode(Messages(Captures.GetLinkReply).Single().Payload);
        Assert.Equal(("v0", 3, 1500u, "veth", 2), (link.Name, link.Index, link.Mtu, link.Kind, link.ParentIndex));
        Assert.Equal(PhysicalAddress.Parse("e6:64:62:87:1c:af"), link.MacAddress);
        Assert.Equal((68u, 65535u), (link.MinMtu, link.MaxMtu));
        Assert.Equal(LinkFlags.Broadcast | LinkFlags.Multicast, link.Flags);
        Assert.False(link.IsUp);
        Assert.False(link.HasCarrier);
        Assert.Equal(OperationalState.Down, link.OperationalState);
    }

    [Fact]
    public void LinkDumpDatagramHoldsSeveralMessagesThenDone()
    {
        var messages = Messages(Captures.DumpLinksReply);
        Assert.All(messages, m => Assert.Equal(NetlinkHeader.Multi, m.Flags & NetlinkHeader.Multi));
        var links = messages.Select(m => LinkMessages.Decode(m.Payload)).ToList();
        Assert.Equal(["lo", "v1", "v0"], links.Select(l => l.Name));
        Assert.True(links[0].Flags.HasFlag(LinkFlags.Loopback));
        Assert.Equal(1400u, links[2].Mtu);
        Assert.Equal(PhysicalAddress.Parse("02:00:00:00:00:01"), links[2].MacAddress);
        Assert.Equal(NetlinkHeader.Done, Messages(Captures.DumpLinksDone).Single().Type);
    }

    [Fact]
    public void AddressDumpWithLifetimesBroadcastAndTentativeIPv6()
    {
        var addresses = Messages(Captures.DumpAddressesReply).Select(m => AddressMessages.Decode(m.Payload)!).ToList();
        Assert.Equal(["10.200.2.1/24", "fd00:200::5/64", "fe80::a8fe:13ff:fe60:d472/64"], addresses.Select(a => a.ToString()));
        var v4 = addresses[0];
        Assert.Equal((3, IPAddress.Parse("10.200.2.255"), "v0"), (v4.LinkIndex, v4.Broadcast, v4.Label));
        Assert.Equal((TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(50)), (v4.ValidLifetime, v4.PreferredLifetime));
        Assert.False(v4.IsTentative);
        Assert.True(addresses[1].IsTentative);
        Assert.True(addresses[1].IsPermanent);
        Assert.Null(addresses[1].ValidLifetime);
        Assert.Equal(Scope.Link, addresses[2].Scope);
    }

    [Fact]
    public void IPv4RouteDump()
    {
        var routes = Messages(Captures.DumpRoutesIPv4Reply).Select(m => RouteMessages.Decode(m.Payload)!).ToList();
        Assert.Equal(
            ["default via 10.200.0.2 dev #3 metric 100", "10.200.0.0/24 dev #3 src 10.200.0.1", "10.200.1.0/31 dev #3 src 10.200.1.1",
             "10.200.3.2/32 dev #3 src 10.200.3.1", "10.200.5.0/24 dev #3", "10.200.6.0/24 via 10.200.9.9 dev #3 onlink", "blackhole 10.200.99.0/24"],
            routes.Select(r => r.ToString()));
        Assert.Equal((3, RouteProtocol.Boot, Scope.Universe), (routes[0].OutputLinkIndex, routes[0].Protocol, routes[0].Scope));
        Assert.Equal((RouteProtocol.Kernel, Scope.Link), (routes[1].Protocol, routes[1].Scope));
        Assert.Equal(RouteType.Blackhole, routes[6].Type);
        Assert.All(routes, r => Assert.Equal(RouteTables.Main, r.Table));
    }

    [Fact]
    public void IPv6RouteDumpOfAllTables()
    {
        var routes = Messages(Captures.DumpRoutesIPv6Reply).Select(m => RouteMessages.Decode(m.Payload)!).ToList();
        Assert.Equal(IPNetwork.Parse("fd00:200::/64"), routes[0].Destination);
        Assert.Equal(256u, routes[0].Metric);
        Assert.Contains(routes, r => r.Type == RouteType.Multicast && r.Table == RouteTables.Local);
    }

    [Fact]
    public void CappedAckIsSuccess()
    {
        var (type, flags, _) = Messages(Captures.CappedAck).Single();
        Assert.Equal(NetlinkHeader.Error, type);
        Assert.Equal(NetlinkHeader.Capped, flags);
        Assert.Null(Error(Captures.CappedAck, Captures.SetUp));
    }

    [Fact]
    public void UncappedErrorWithExtendedAck()
    {
        var error = Error(Captures.CreateDummyError, Captures.CreateDummy)!;
        Assert.Equal((Errno.EOPNOTSUPP, "EOPNOTSUPP", "Unknown device type"), (error.Errno, error.ErrnoName, error.KernelMessage));
    }

    [Fact]
    public void UnreachableGatewayReadsLikeTheChecklist()
    {
        var error = Error(Captures.AddRouteUnreachableGateway, Captures.AddRouteDefault)!;
        error.Operation = "v0: add route default via 10.200.0.1 metric 100";
        Assert.Equal(
            "v0: add route default via 10.200.0.1 metric 100: ENETUNREACH (Network is unreachable)\n  kernel: Nexthop has invalid gateway",
            error.Message);
    }

    [Fact]
    public void ErrorWithoutExtendedAck()
    {
        var error = Error(Captures.AddRouteIPv6Error, Captures.AddRouteIPv6)!;
        Assert.Equal(("EHOSTUNREACH", "No route to host", null), (error.ErrnoName, error.ErrnoDescription, error.KernelMessage));
    }

    [Fact]
    public void RuleDumpDecodesEveryRule()
    {
        var rules = Messages(Captures.DumpRulesIPv6Reply).Where(m => m.Type == 32).Select(m => RuleMessages.Decode(m.Payload)!).ToList();
        Assert.Equal(
            ["0: from all lookup 255 proto kernel", "300: from fd00:200::/64 oif v0 lookup 254", "402: from all prohibit", "32766: from all lookup 254 proto kernel"],
            rules.Select(r => r.ToString()));
        Assert.All(rules, r => Assert.Equal(System.Net.Sockets.AddressFamily.InterNetworkV6, r.Family));
        Assert.Equal(RouteProtocol.Kernel, rules[0].Protocol);
        Assert.Null(rules[2].Table);
    }

    [Fact]
    public void NeighborDumpKeepsStatesAndLinkLayerAddresses()
    {
        var neighbors = Messages(Captures.DumpNeighborsReply).Where(m => m.Type == 28).Select(m => NeighborMessages.Decode(m.Payload)!).ToList();
        Assert.Equal("10.200.0.3 lladdr 02:00:00:00:00:03 STALE", neighbors[0].ToString());
        Assert.Equal(3, neighbors[0].LinkIndex);
        Assert.Contains(neighbors, n => n.ToString() == "fd00:200::2 lladdr 02:00:00:00:00:02 NOARP");
        Assert.All(neighbors.Skip(1), n => Assert.Equal(NeighborState.NoArp, n.State));
        var proxy = NeighborMessages.Decode(Messages(Captures.DumpProxyNeighborsReply)[0].Payload)!;
        Assert.Equal(("proxy fd00:200::9", true, null), (proxy.ToString(), proxy.IsProxy, proxy.LinkLayerAddress));
    }

    [Fact]
    public void IPv6MultipathRouteKeepsItsNextHops()
    {
        var routes = Messages(Captures.DumpRoutesIPv6MultipathReply).Select(m => RouteMessages.Decode(m.Payload)!).ToList();
        var multipath = routes.Single(r => r.Destination == System.Net.IPNetwork.Parse("fd00:201::/64"));
        Assert.Null(multipath.Gateway);
        Assert.Equal(["via fd00:200::2 dev #3 weight 1", "via fd00:200::3 dev #3 weight 2"], multipath.NextHops!.Select(h => h.ToString()));
        Assert.Equal("fd00:201::/64 nexthop via fd00:200::2 dev #3 weight 1 nexthop via fd00:200::3 dev #3 weight 2 metric 1024", multipath.ToString());
    }
}
