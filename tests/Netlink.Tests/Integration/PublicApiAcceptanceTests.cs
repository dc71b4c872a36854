using System.Net;
using System.Net.Sockets;
using Xunit;

namespace Netlink.Tests.Integration;

/// <summary>
/// The library's acceptance test: with the public API alone, wire a container-like namespace to a host-like one over a
/// veth pair, bring it up, address it, route through it, and see traffic cross it. This is the sequence the init
/// runs: find eth0, set MTU while down, converge addresses (NODAD), bring up, wait for carrier, converge routes.
/// </summary>
[Trait("Needs", "root")]
public sealed class PublicApiAcceptanceTests : IDisposable
{
    private readonly TestNamespace _host = new();
    private readonly TestNamespace _container = new();

    public void Dispose()
    {
        _container.Dispose(); // holds eth0, whose deletion takes h0 with it
        _host.Dispose();
    }

    [Fact]
    public void VethUpAddressedAndRoutedThroughUsingOnlyThePublicApi()
    {
        using (var outside = NetlinkHandle.OpenInNamespace(_host.Path))
        {
            outside.CreateVeth("h0", "eth0", _container.Path);
            outside.AddAddress("h0", InterfaceAddress.Parse("10.200.10.1/24"));
            outside.SetLinkUp("h0");
        }

        using var netlink = NetlinkHandle.OpenInNamespace(_container.Path, TimeSpan.FromSeconds(2));
        var eth0 = netlink.FindLink("eth0") ?? throw new InvalidOperationException("eth0 missing");
        netlink.SetMtu(eth0, 1400);
        netlink.SetLinkUp("lo");
        netlink.ReplaceAddress(eth0, InterfaceAddress.Parse("10.200.10.2/24"));
        netlink.ReplaceAddress(eth0, new InterfaceAddress(IPAddress.Parse("fd00:200::2"), 64) { Flags = AddressFlags.NoDad });
        netlink.SetLinkUp(eth0);
        netlink.WaitForCarrier(eth0, TimeSpan.FromSeconds(5));
        netlink.ReplaceRoute(new Route(Route.DefaultIPv4)
        {
            Gateway = IPAddress.Parse("10.200.10.1"), OutputLinkIndex = eth0.Index, Metric = 100, Protocol = RouteProtocol.Static,
        });

        // Converging: everything listed is what we configured (plus what the kernel derives).
        Assert.Equal(["10.200.10.2/24", "fd00:200::2/64"],
            netlink.ListAddresses(eth0).Where(a => a.Scope == Scope.Universe).Select(a => a.ToString()).Order());
        Assert.Contains(netlink.ListRoutes(AddressFamily.InterNetwork), r => r.IsDefault && r.Protocol == RouteProtocol.Static);

        Assert.Contains("via 10.200.10.1 dev eth0", _container.Ip("route", "get", "10.200.77.7"), StringComparison.Ordinal);
        _container.Exec("bash", "-c", "echo probe > /dev/udp/10.200.77.7/9");
        Assert.True(SpinWait.SpinUntil(() => GatewayResolved(), TimeSpan.FromSeconds(3)), "the gateway never answered ARP across the veth");
    }

    /// <summary>The UDP probe made eth0 ARP for the gateway; an answer means frames crossed the veth both ways.</summary>
    private bool GatewayResolved() => _container.IpJson("neigh", "show", "dev", "eth0").EnumerateArray().Any(n =>
        n.GetProperty("dst").GetString() == "10.200.10.1"
        && n.GetProperty("state").EnumerateArray().Any(s => s.GetString() is "REACHABLE" or "STALE" or "DELAY"));
}
