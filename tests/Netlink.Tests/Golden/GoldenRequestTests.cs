using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Netlink.Rtnetlink;
using Xunit;

namespace Netlink.Tests.Golden;

/// <summary>Every request the library builds equals, byte for byte, what iproute2 sends for the same command (seq/pid masked).</summary>
public class GoldenRequestTests
{
    private const int V0 = 3;

    internal static string Masked(ReadOnlySpan<byte> message)
    {
        var copy = message.ToArray();
        copy.AsSpan(8, 8).Clear(); // nlmsg_seq and nlmsg_pid differ per run
        return Convert.ToHexStringLower(copy);
    }

    private static void AssertSameAs(string captured, byte[] built) =>
        Assert.Equal(Masked(Convert.FromHexString(captured)), Masked(built));

    [Fact] public void CreateVeth() => AssertSameAs(Captures.CreateVeth, LinkMessages.CreateVeth("v0", "v1", null));
    [Fact] public void CreateDummy() => AssertSameAs(Captures.CreateDummy, LinkMessages.CreateDummy("d0"));
    [Fact] public void SetUp() => AssertSameAs(Captures.SetUp, LinkMessages.SetUp(V0, up: true));
    [Fact] public void SetDown() => AssertSameAs(Captures.SetDown, LinkMessages.SetUp(V0, up: false));
    [Fact] public void SetMtu() => AssertSameAs(Captures.SetMtu, LinkMessages.SetMtu(V0, 1400));
    [Fact] public void SetMac() => AssertSameAs(Captures.SetMac, LinkMessages.SetMacAddress(V0, PhysicalAddress.Parse("02:00:00:00:00:01")));
    [Fact] public void Rename() => AssertSameAs(Captures.Rename, LinkMessages.SetName(V0, "v2"));
    [Fact] public void GetLinkByName() => AssertSameAs(Captures.GetLinkByName, LinkMessages.GetByName("v0"));
    [Fact] public void GetLinkByIndex() => AssertSameAs(Captures.GetLinkByIndex, LinkMessages.GetByIndex(V0));
    [Fact] public void DumpLinks() => AssertSameAs(Captures.DumpLinks, LinkMessages.Dump());
    [Fact] public void DeleteLink() => AssertSameAs(Captures.DeleteLink, LinkMessages.Delete(V0));

    [Fact]
    public void AddAddressWithAutomaticBroadcast() =>
        AssertSameAs(Captures.AddAddressBroadcast, AddressMessages.Add(V0, InterfaceAddress.Parse("10.200.0.1/24"), replace: false));

    [Fact]
    public void AddAddressSlash31HasNoBroadcast() =>
        AssertSameAs(Captures.AddAddress31, AddressMessages.Add(V0, InterfaceAddress.Parse("10.200.1.1/31"), replace: false));

    [Fact]
    public void AddIPv6AddressNoDadNoPrefixRouteUsesIfaFlags() =>
        AssertSameAs(Captures.AddAddressIPv6NoDad, AddressMessages.Add(V0,
            new InterfaceAddress(IPAddress.Parse("fd00:200::1"), 64) { Flags = AddressFlags.NoDad | AddressFlags.NoPrefixRoute }, replace: false));

    [Fact]
    public void AddIPv6Address() =>
        AssertSameAs(Captures.AddAddressIPv6, AddressMessages.Add(V0, InterfaceAddress.Parse("fd00:200::5/64"), replace: false));

    [Fact]
    public void ReplaceAddressWithLifetimes() =>
        AssertSameAs(Captures.ReplaceAddressLifetimes, AddressMessages.Add(V0,
            new InterfaceAddress(IPAddress.Parse("10.200.2.1"), 24) { ValidLifetime = TimeSpan.FromSeconds(100), PreferredLifetime = TimeSpan.FromSeconds(50) },
            replace: true));

    [Fact]
    public void AddPointToPointAddress() =>
        AssertSameAs(Captures.AddAddressPeer, AddressMessages.Add(V0,
            new InterfaceAddress(IPAddress.Parse("10.200.3.1"), 32) { Peer = IPAddress.Parse("10.200.3.2") }, replace: false));

    [Fact]
    public void IPv4MappedAddressIsSentAsIPv4() =>
        AssertSameAs(Captures.AddAddressBroadcast, AddressMessages.Add(V0, InterfaceAddress.Parse("::ffff:10.200.0.1/120"), replace: false));

    [Fact]
    public void IPv4MappedGatewayIsSentAsIPv4() =>
        AssertSameAs(Captures.AddRouteDefault, RouteMessages.Add(new Route(Route.DefaultIPv4)
        { Gateway = IPAddress.Parse("::ffff:10.200.0.2"), OutputLinkIndex = V0, Metric = 100 }, replace: false));

    [Fact]
    public void DeleteAddress() => AssertSameAs(Captures.DeleteAddress, AddressMessages.Delete(V0, InterfaceAddress.Parse("10.200.2.1/24")));

    [Fact]
    public void DumpAddressesOfLink() => AssertSameAs(Captures.DumpAddressesOfLink, AddressMessages.Dump(null, V0));

    [Fact]
    public void AddDirectRouteGetsLinkScope() =>
        AssertSameAs(Captures.AddRouteDirect, RouteMessages.Add(new Route(IPNetwork.Parse("10.200.5.0/24")) { OutputLinkIndex = V0 }, replace: false));

    [Fact]
    public void AddDefaultRoute() =>
        AssertSameAs(Captures.AddRouteDefault, RouteMessages.Add(new Route(Route.DefaultIPv4)
        { Gateway = IPAddress.Parse("10.200.0.2"), OutputLinkIndex = V0, Metric = 100 }, replace: false));

    [Fact]
    public void AddOnLinkRoute() =>
        AssertSameAs(Captures.AddRouteOnLink, RouteMessages.Add(new Route(IPNetwork.Parse("10.200.6.0/24"))
        { Gateway = IPAddress.Parse("10.200.9.9"), OutputLinkIndex = V0, OnLink = true }, replace: false));

    [Fact]
    public void TableAbove255GoesInRtaTable() =>
        AssertSameAs(Captures.AddRouteTable1000, RouteMessages.Add(new Route(IPNetwork.Parse("10.200.7.0/24"))
        { Gateway = IPAddress.Parse("10.200.0.2"), Table = 1000, Protocol = RouteProtocol.Static }, replace: false));

    [Fact]
    public void TableBelow256GoesInHeader() =>
        AssertSameAs(Captures.AddRouteSourceTable100, RouteMessages.Add(new Route(IPNetwork.Parse("10.200.8.0/24"))
        { OutputLinkIndex = V0, PreferredSource = IPAddress.Parse("10.200.0.1"), Table = 100 }, replace: false));

    [Fact]
    public void RouteWithGatewaySourceAndMetric() =>
        AssertSameAs(Captures.AddRouteGatewaySource, RouteMessages.Add(new Route(IPNetwork.Parse("10.200.9.0/24"))
        { Gateway = IPAddress.Parse("10.200.2.2"), PreferredSource = IPAddress.Parse("10.200.2.1"), Metric = 7, OutputLinkIndex = V0 }, replace: false));

    [Fact]
    public void AddIPv6Route() =>
        AssertSameAs(Captures.AddRouteIPv6, RouteMessages.Add(new Route(IPNetwork.Parse("fd00:201::/64"))
        { Gateway = IPAddress.Parse("fd00:200::2"), OutputLinkIndex = V0, Metric = 5 }, replace: false));

    [Fact]
    public void AddBlackholeRoute() =>
        AssertSameAs(Captures.AddRouteBlackhole, RouteMessages.Add(new Route(IPNetwork.Parse("10.200.99.0/24")) { Type = RouteType.Blackhole }, replace: false));

    [Fact]
    public void ReplaceDefaultRoute() =>
        AssertSameAs(Captures.ReplaceRouteDefault, RouteMessages.Add(new Route(Route.DefaultIPv4)
        { Gateway = IPAddress.Parse("10.200.0.3"), OutputLinkIndex = V0, Metric = 100 }, replace: true));

    [Fact]
    public void DeleteRouteUsesWildcards() =>
        AssertSameAs(Captures.DeleteRoute, RouteMessages.Delete(new Route(IPNetwork.Parse("10.200.5.0/24")) { OutputLinkIndex = V0 }));

    [Fact]
    public void DumpIPv4MainTable() => AssertSameAs(Captures.DumpRoutesIPv4Main, RouteMessages.Dump(AddressFamily.InterNetwork, RouteTables.Main));

    [Fact]
    public void AddRuleFromPrefixToTable() =>
        AssertSameAs(Captures.AddRuleFrom, RuleMessages.Add(new Rule { Source = IPNetwork.Parse("10.200.1.0/24"), Table = 100, Priority = 110 }));

    [Fact]
    public void AddRuleWithEveryMatchAndTableAbove255() =>
        AssertSameAs(Captures.AddRuleToIifMarkTable1000, RuleMessages.Add(new Rule
        {
            Destination = IPNetwork.Parse("10.200.2.0/24"), InputInterface = "v0", FirewallMark = 0x10, FirewallMask = 0xff,
            Table = 1000, Priority = 200, Protocol = RouteProtocol.Static,
        }));

    [Fact]
    public void AddIPv6RuleWithOutputInterface() =>
        AssertSameAs(Captures.AddRuleIPv6Oif, RuleMessages.Add(new Rule { Source = IPNetwork.Parse("fd00:200::/64"), OutputInterface = "v0", Priority = 300 }));

    [Fact]
    public void AddBlackholeRuleHasNoTable() =>
        AssertSameAs(Captures.AddRuleBlackhole, RuleMessages.Add(new Rule { Source = IPNetwork.Parse("10.200.4.0/24"), Action = RuleAction.Blackhole, Priority = 400 }));

    [Fact]
    public void AddUnreachableRule() =>
        AssertSameAs(Captures.AddRuleUnreachable, RuleMessages.Add(new Rule { Action = RuleAction.Unreachable, Priority = 401 }));

    [Fact]
    public void AddIPv6ProhibitRule() =>
        AssertSameAs(Captures.AddRuleIPv6Prohibit, RuleMessages.Add(new Rule { Family = AddressFamily.InterNetworkV6, Action = RuleAction.Prohibit, Priority = 402 }));

    [Fact]
    public void AddGotoRule() =>
        AssertSameAs(Captures.AddRuleGoto, RuleMessages.Add(new Rule { Action = RuleAction.Goto, GotoPriority = 500, Priority = 403 }));

    [Fact]
    public void AddFirewallMarkRuleWithoutMask() =>
        AssertSameAs(Captures.AddRuleFirewallMark, RuleMessages.Add(new Rule { FirewallMark = 7, Table = 100, Priority = 404 }));

    [Fact]
    public void DeleteRuleSendsNoAction() =>
        AssertSameAs(Captures.DeleteRule, RuleMessages.Delete(new Rule { Source = IPNetwork.Parse("10.200.1.0/24"), Table = 100, Priority = 110 }));

    [Fact]
    public void DumpIPv6Rules() => AssertSameAs(Captures.DumpRulesIPv6, RuleMessages.Dump(AddressFamily.InterNetworkV6));

    [Fact]
    public void AddRuleSuppressingMainsDefaultRoute() =>
        AssertSameAs(Captures.AddRuleSuppressPrefixLength, RuleMessages.Add(new Rule { Table = RouteTables.Main, SuppressPrefixLength = 0, Priority = 90 }));

    [Fact]
    public void IPv4MappedRuleSourceIsSentAsIPv4() =>
        AssertSameAs(Captures.AddRuleFrom, RuleMessages.Add(new Rule { Source = IPNetwork.Parse("::ffff:10.200.1.0/120"), Table = 100, Priority = 110 }));

    [Fact]
    public void RuleFamilyMismatchIsRefusedBeforeSending() =>
        Assert.Throws<ArgumentException>(() => RuleMessages.Add(new Rule { Source = IPNetwork.Parse("10.200.1.0/24"), Destination = IPNetwork.Parse("fd00:200::/64") }));

    [Fact]
    public void AddPermanentNeighbor() =>
        AssertSameAs(Captures.AddNeighborPermanent, NeighborMessages.Add(V0,
            new Neighbor(IPAddress.Parse("10.200.0.2")) { LinkLayerAddress = PhysicalAddress.Parse("02:00:00:00:00:02") }, replace: false));

    [Fact]
    public void ReplaceReachableNeighbor() =>
        AssertSameAs(Captures.ReplaceNeighborReachable, NeighborMessages.Add(V0,
            new Neighbor(IPAddress.Parse("10.200.0.3")) { LinkLayerAddress = PhysicalAddress.Parse("02:00:00:00:00:03"), State = NeighborState.Reachable }, replace: true));

    [Fact]
    public void AddIPv6NoArpNeighbor() =>
        AssertSameAs(Captures.AddNeighborIPv6NoArp, NeighborMessages.Add(V0,
            new Neighbor(IPAddress.Parse("fd00:200::2")) { LinkLayerAddress = PhysicalAddress.Parse("02:00:00:00:00:02"), State = NeighborState.NoArp }, replace: false));

    [Fact]
    public void AddProxyNeighbor() =>
        AssertSameAs(Captures.AddNeighborProxy, NeighborMessages.Add(V0, new Neighbor(IPAddress.Parse("10.200.0.9")) { IsProxy = true }, replace: false));

    [Fact]
    public void AddIPv6ProxyNeighbor() =>
        AssertSameAs(Captures.AddNeighborIPv6Proxy, NeighborMessages.Add(V0, new Neighbor(IPAddress.Parse("fd00:200::9")) { IsProxy = true }, replace: false));

    [Fact]
    public void DeleteNeighborIgnoresItsLinkLayerAddressAndState() =>
        AssertSameAs(Captures.DeleteNeighbor, NeighborMessages.Delete(V0,
            new Neighbor(IPAddress.Parse("10.200.0.2")) { LinkLayerAddress = PhysicalAddress.Parse("02:00:00:00:00:09"), State = NeighborState.Stale }));

    [Fact]
    public void DeleteProxyNeighbor() =>
        AssertSameAs(Captures.DeleteNeighborProxy, NeighborMessages.Delete(V0, new Neighbor(IPAddress.Parse("10.200.0.9")) { IsProxy = true }));

    [Fact] public void DumpNeighbors() => AssertSameAs(Captures.DumpNeighbors, NeighborMessages.Dump(null, proxies: false));
    [Fact] public void DumpProxyNeighbors() => AssertSameAs(Captures.DumpProxyNeighbors, NeighborMessages.Dump(null, proxies: true));

    [Fact]
    public void AddMultipathRouteWithWeights() =>
        AssertSameAs(Captures.AddRouteMultipath, RouteMessages.Add(new Route(IPNetwork.Parse("10.200.10.0/24"))
        {
            NextHops = [new() { Gateway = IPAddress.Parse("10.200.0.2"), OutputLinkIndex = V0 }, new() { Gateway = IPAddress.Parse("10.200.0.3"), OutputLinkIndex = V0, Weight = 3 }],
        }, replace: false));

    [Fact]
    public void AddMultipathRouteWithAnOnLinkHop() =>
        AssertSameAs(Captures.AddRouteMultipathOnLink, RouteMessages.Add(new Route(IPNetwork.Parse("10.200.11.0/24"))
        {
            NextHops = [new() { Gateway = IPAddress.Parse("10.200.9.9"), OutputLinkIndex = V0, OnLink = true }, new() { Gateway = IPAddress.Parse("10.200.0.4"), OutputLinkIndex = V0 }],
        }, replace: false));

    [Fact]
    public void AddIPv6MultipathRoute() =>
        AssertSameAs(Captures.AddRouteIPv6Multipath, RouteMessages.Add(new Route(IPNetwork.Parse("fd00:201::/64"))
        {
            NextHops = [new() { Gateway = IPAddress.Parse("fd00:200::2"), OutputLinkIndex = V0 }, new() { Gateway = IPAddress.Parse("fd00:200::3"), OutputLinkIndex = V0, Weight = 2 }],
        }, replace: false));

    [Fact]
    public void AddRouteWithMtuAndAdvmss() =>
        AssertSameAs(Captures.AddRouteMetrics, RouteMessages.Add(new Route(IPNetwork.Parse("10.200.12.0/24"))
        { Gateway = IPAddress.Parse("10.200.0.2"), OutputLinkIndex = V0, Mtu = 1400, AdvertisedMss = 1360 }, replace: false));

    [Theory]
    [InlineData(RouteType.Unreachable, "10.200.13.0/24", nameof(Captures.AddRouteUnreachable))]
    [InlineData(RouteType.Prohibit, "10.200.14.0/24", nameof(Captures.AddRouteProhibit))]
    [InlineData(RouteType.Throw, "10.200.15.0/24", nameof(Captures.AddRouteThrow))]
    public void AddRouteOfType(RouteType type, string destination, string capture) =>
        AssertSameAs((string)typeof(Captures).GetField(capture, System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)!.GetValue(null)!,
            RouteMessages.Add(new Route(IPNetwork.Parse(destination)) { Type = type }, replace: false));

    [Fact]
    public void AddRouteThroughANextHopObject() =>
        AssertSameAs(Captures.AddRouteNextHopObject, RouteMessages.Add(new Route(IPNetwork.Parse("10.200.16.0/24")) { NextHopId = 1 }, replace: false));

    [Fact]
    public void DeleteAListedNextHopObjectRouteSendsOnlyTheId() =>
        AssertSameAs(Captures.DeleteRouteNextHopObject, RouteMessages.Delete(new Route(IPNetwork.Parse("10.200.16.0/24"))
        { NextHopId = 1, Gateway = IPAddress.Parse("10.200.0.2"), OutputLinkIndex = V0, Scope = Scope.Universe }));

    [Fact] public void GetRouteIPv4() => AssertSameAs(Captures.GetRouteIPv4, RouteMessages.Get(IPAddress.Parse("10.200.0.5")));
    [Fact] public void GetRouteIPv6() => AssertSameAs(Captures.GetRouteIPv6, RouteMessages.Get(IPAddress.Parse("fd00:200::5")));

    [Fact] public void CreateBridge() => AssertSameAs(Captures.CreateBridge, LinkMessages.CreateBridge("br0"));
    [Fact] public void SetMaster() => AssertSameAs(Captures.SetMaster, LinkMessages.SetMaster(V0, 8));
    [Fact] public void SetNoMaster() => AssertSameAs(Captures.SetNoMaster, LinkMessages.SetMaster(V0, 0));
    [Fact] public void CreateMacvlanInBridgeMode() => AssertSameAs(Captures.CreateMacvlanBridge, LinkMessages.CreateMacvlan("mv0", V0, MacvlanMode.Bridge));

    [Fact]
    public void CreateVxlanWithLocalAddressAndUnderlyingLink() =>
        AssertSameAs(Captures.CreateVxlanLocal, LinkMessages.CreateVxlan("vx0", 42, IPAddress.Parse("10.200.0.1"), null, V0, 4789));

    [Fact]
    public void CreateVxlanWithRemote() =>
        AssertSameAs(Captures.CreateVxlanRemote, LinkMessages.CreateVxlan("vx1", 43, IPAddress.Parse("10.200.0.1"), IPAddress.Parse("10.200.0.2"), V0, 4789));

    [Fact]
    public void CreateIPv6Vxlan() =>
        AssertSameAs(Captures.CreateVxlanIPv6, LinkMessages.CreateVxlan("vx6", 44, IPAddress.Parse("fd00:200::1"), IPAddress.Parse("fd00:200::2"), V0, 4789));

    [Fact] public void MoveLinkToNamespaceFd() => AssertSameAs(Captures.MoveLinkToNamespaceFd, LinkMessages.MoveToNamespaceFd(2, 4));
    [Fact] public void MoveLinkToNamespaceOfProcess() => AssertSameAs(Captures.MoveLinkToNamespaceOfProcess, LinkMessages.MoveToNamespaceOfProcess(2, 25465));
}
