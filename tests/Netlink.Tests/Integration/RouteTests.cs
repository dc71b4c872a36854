using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Xunit;

namespace Netlink.Tests.Integration;

/// <summary>Route operations against the real kernel, cross-checked with <c>ip -j route</c>.</summary>
[Trait("Needs", "root")]
public class RouteTests : NamespaceTest
{
    private Link _v0 = null!;

    private void Prepare()
    {
        (_v0, _) = CreateVethPair(up: true);
        Netlink.AddAddress(_v0, InterfaceAddress.Parse("10.200.0.1/24"));
        Netlink.AddAddress(_v0, new InterfaceAddress(IPAddress.Parse("fd00:200::1"), 64) { Flags = AddressFlags.NoDad });
    }

    /// <summary>The route to <paramref name="destination"/> in <c>ip -j route show</c> (or the given arguments).</summary>
    private JsonElement IpRoute(string destination, params string[] arguments) =>
        Namespace.IpJson(arguments.Length == 0 ? ["route", "show"] : arguments).EnumerateArray().Single(r => r.GetProperty("dst").GetString() == destination);

    private static string? Text(JsonElement route, string property) =>
        route.TryGetProperty(property, out var value) ? value.ToString() : null;

    [Fact]
    public void DirectRouteHasLinkScope()
    {
        Prepare();
        Netlink.AddRoute(new Route(IPNetwork.Parse("10.200.5.0/24")) { OutputLinkIndex = _v0.Index });
        var ip = IpRoute("10.200.5.0/24");
        Assert.Equal(("v0", "link", null), (Text(ip, "dev"), Text(ip, "scope"), Text(ip, "protocol"))); // boot is iproute2's unprinted default
        var ours = Netlink.ListRoutes(AddressFamily.InterNetwork).Single(r => r.Destination == IPNetwork.Parse("10.200.5.0/24"));
        Assert.Equal((Scope.Link, RouteProtocol.Boot, (int?)_v0.Index), (ours.Scope, ours.Protocol, ours.OutputLinkIndex));
    }

    [Fact]
    public void DefaultRouteViaGatewayWithMetricAndProtocol()
    {
        Prepare();
        Netlink.AddRoute(new Route(Route.DefaultIPv4) { Gateway = IPAddress.Parse("10.200.0.2"), OutputLinkIndex = _v0.Index, Metric = 100, Protocol = RouteProtocol.Static });
        var ip = IpRoute("default");
        Assert.Equal(("10.200.0.2", "v0", "100", "static"), (Text(ip, "gateway"), Text(ip, "dev"), Text(ip, "metric"), Text(ip, "protocol")));
        var ours = Netlink.ListRoutes(AddressFamily.InterNetwork).Single(r => r.IsDefault);
        Assert.Equal($"default via 10.200.0.2 dev #{_v0.Index} metric 100", ours.ToString()); // ip's "dev v0", by index
        Assert.Equal(RouteProtocol.Static, ours.Protocol);
    }

    [Fact]
    public void ListMatchesIproute2()
    {
        Prepare();
        Netlink.AddRoute(new Route(Route.DefaultIPv4) { Gateway = IPAddress.Parse("10.200.0.2"), OutputLinkIndex = _v0.Index });
        Netlink.AddRoute(new Route(IPNetwork.Parse("fd00:201::/64")) { Gateway = IPAddress.Parse("fd00:200::2"), OutputLinkIndex = _v0.Index, Metric = 5 });
        foreach (var (family, option) in new[] { (AddressFamily.InterNetwork, "-4"), (AddressFamily.InterNetworkV6, "-6") })
        {
            var theirs = Namespace.IpJson(option, "route", "show").EnumerateArray()
                .Select(r => $"{Prefix(Text(r, "dst")!, family)} via {Text(r, "gateway")}").Order();
            var ours = Netlink.ListRoutes(family).Select(r => $"{r.Destination} via {r.Gateway}").Order();
            Assert.Equal(theirs, ours);
        }
    }

    /// <summary>iproute2 prints "default" and host routes without a prefix length.</summary>
    private static string Prefix(string destination, AddressFamily family) => destination switch
    {
        "default" => family == AddressFamily.InterNetwork ? "0.0.0.0/0" : "::/0",
        _ when destination.Contains('/') => destination,
        _ => destination + (family == AddressFamily.InterNetwork ? "/32" : "/128"),
    };

    [Fact]
    public void TableAbove255()
    {
        Prepare();
        var route = new Route(IPNetwork.Parse("10.200.7.0/24")) { Gateway = IPAddress.Parse("10.200.0.2"), Table = 1000 };
        Netlink.AddRoute(route);
        Assert.Equal("10.200.0.2", Text(IpRoute("10.200.7.0/24", "route", "show", "table", "1000"), "gateway"));
        Assert.Equal(1000u, Netlink.ListRoutes(AddressFamily.InterNetwork, table: 1000).Single().Table);
        Assert.DoesNotContain(Netlink.ListRoutes(AddressFamily.InterNetwork), r => r.Destination == route.Destination);
        Assert.Contains(Netlink.ListRoutes(table: null), r => r.Table == RouteTables.Local);
        Netlink.DeleteRoute(route);
        Assert.Empty(Netlink.ListRoutes(AddressFamily.InterNetwork, table: 1000));
    }

    [Fact]
    public void OnLinkGatewayOutsideEveryPrefix()
    {
        Prepare();
        Netlink.AddRoute(new Route(IPNetwork.Parse("10.200.6.0/24")) { Gateway = IPAddress.Parse("10.200.9.9"), OutputLinkIndex = _v0.Index, OnLink = true });
        Assert.Contains("onlink", IpRoute("10.200.6.0/24").GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.True(Netlink.ListRoutes(AddressFamily.InterNetwork).Single(r => r.Destination == IPNetwork.Parse("10.200.6.0/24")).OnLink);
    }

    [Fact]
    public void UnreachableGatewayNamesTheRouteErrnoKernelMessageAndHint()
    {
        Prepare();
        var error = Assert.Throws<NetlinkException>(() => Netlink.AddRoute(new Route(Route.DefaultIPv4)
        {
            Gateway = IPAddress.Parse("10.200.9.1"), OutputLinkIndex = _v0.Index, Metric = 100,
        }));
        Assert.Equal(
            "v0: add route default via 10.200.9.1 metric 100: ENETUNREACH (Network is unreachable)\n  kernel: Nexthop has invalid gateway\n"
            + "  hint: 10.200.9.1 is not inside any address prefix on v0; add that address first, or make the route onlink if the gateway is on the link",
            error.Message);
    }

    [Fact]
    public void AGatewayOnALinkThatIsDownSaysToBringItUp()
    {
        (_v0, _) = CreateVethPair(); // down: the kernel keeps its prefixes out of the table
        Netlink.AddAddress(_v0, InterfaceAddress.Parse("10.200.0.1/24"));
        var error = Assert.Throws<NetlinkException>(() => Netlink.AddRoute(new Route(IPNetwork.Parse("10.200.5.0/24"))
        {
            Gateway = IPAddress.Parse("10.200.0.2"), OutputLinkIndex = _v0.Index,
        }));
        Assert.Equal(Errno.ENETUNREACH, error.Errno);
        Assert.Equal("v0 is down, and the kernel reaches no gateway through a link that is down; bring it up first, or make the route onlink", error.Hint);
        Assert.Equal("DOWN", Namespace.IpJson("link", "show", "dev", "v0")[0].GetProperty("operstate").GetString());

        Netlink.SetLinkUp(_v0); // the hint was right: now the same route is accepted
        Netlink.AddRoute(new Route(IPNetwork.Parse("10.200.5.0/24")) { Gateway = IPAddress.Parse("10.200.0.2"), OutputLinkIndex = _v0.Index });
        Assert.Equal("10.200.0.2", Text(IpRoute("10.200.5.0/24"), "gateway"));
    }

    [Fact]
    public void IPv6GatewayWithoutAnOnLinkPrefix()
    {
        (_v0, _) = CreateVethPair(up: true);
        Netlink.AddAddress(_v0, new InterfaceAddress(IPAddress.Parse("fd00:200::1"), 64) { Flags = AddressFlags.NoDad | AddressFlags.NoPrefixRoute });
        var error = Assert.Throws<NetlinkException>(() => Netlink.AddRoute(new Route(IPNetwork.Parse("fd00:201::/64"))
        {
            Gateway = IPAddress.Parse("fd00:200::2"), OutputLinkIndex = _v0.Index,
        }));
        Assert.Equal((Errno.EHOSTUNREACH, "v0: add route fd00:201::/64 via fd00:200::2"), (error.Errno, error.Operation));
        Assert.Equal("no on-link prefix on v0 covers fd00:200::2; add the address with its prefix route first, or make the route onlink", error.Hint);
    }

    [Fact]
    public void IPv6RouteAndDefaultGetUniverseScope()
    {
        Prepare();
        Netlink.AddRoute(new Route(IPNetwork.Parse("fd00:201::/64")) { Gateway = IPAddress.Parse("fd00:200::2"), OutputLinkIndex = _v0.Index, Metric = 5 });
        Netlink.AddRoute(new Route(Route.DefaultIPv6) { Gateway = IPAddress.Parse("fd00:200::2"), OutputLinkIndex = _v0.Index });
        var ip = IpRoute("fd00:201::/64", "-6", "route", "show");
        Assert.Equal(("fd00:200::2", "5"), (Text(ip, "gateway"), Text(ip, "metric")));
        Assert.Equal("1024", Text(IpRoute("default", "-6", "route", "show"), "metric")); // the kernel's IPv6 default metric
        var ours = Netlink.ListRoutes(AddressFamily.InterNetworkV6);
        Assert.Equal(1024u, ours.Single(r => r.IsDefault).Metric);
        Assert.All(ours, r => Assert.Equal(Scope.Universe, r.Scope));
    }

    [Fact]
    public void ReplaceConvergesTheDefaultRoute()
    {
        Prepare();
        Netlink.AddRoute(new Route(Route.DefaultIPv4) { Gateway = IPAddress.Parse("10.200.0.2"), OutputLinkIndex = _v0.Index, Metric = 100 });
        var second = new Route(Route.DefaultIPv4) { Gateway = IPAddress.Parse("10.200.0.3"), OutputLinkIndex = _v0.Index, Metric = 100 };
        Assert.Equal(Errno.EEXIST, Assert.Throws<NetlinkException>(() => Netlink.AddRoute(second)).Errno);
        Netlink.ReplaceRoute(second);
        Netlink.ReplaceRoute(second);
        Assert.Equal("10.200.0.3", Text(IpRoute("default"), "gateway"));
        Assert.Single(Netlink.ListRoutes(AddressFamily.InterNetwork), r => r.IsDefault);
    }

    [Fact]
    public void PreferredSourceAndBlackhole()
    {
        Prepare();
        Netlink.AddRoute(new Route(IPNetwork.Parse("10.200.8.0/24")) { OutputLinkIndex = _v0.Index, PreferredSource = IPAddress.Parse("10.200.0.1") });
        Netlink.AddRoute(new Route(IPNetwork.Parse("10.200.99.0/24")) { Type = RouteType.Blackhole });
        Assert.Equal("10.200.0.1", Text(IpRoute("10.200.8.0/24"), "prefsrc"));
        Assert.Equal("blackhole", Text(IpRoute("10.200.99.0/24"), "type"));
        var routes = Netlink.ListRoutes(AddressFamily.InterNetwork);
        Assert.Equal(IPAddress.Parse("10.200.0.1"), routes.Single(r => r.Destination == IPNetwork.Parse("10.200.8.0/24")).PreferredSource);
        Assert.Equal(RouteType.Blackhole, routes.Single(r => r.Destination == IPNetwork.Parse("10.200.99.0/24")).Type);
        var error = Assert.Throws<NetlinkException>(() => Netlink.AddRoute(new Route(IPNetwork.Parse("10.200.10.0/24")) { OutputLinkIndex = _v0.Index, PreferredSource = IPAddress.Parse("10.200.77.1") }));
        Assert.Equal(Errno.EINVAL, error.Errno);
        Assert.NotNull(error.KernelMessage);
        Assert.Equal("10.200.77.1 must be an address of this host that has finished DAD (add it with NoDad, or wait for it)", error.Hint);
    }

    [Fact]
    public void DeleteRemovesTheRoute()
    {
        Prepare();
        using var events = Netlink.SubscribeEvents(EventGroups.Routes);
        var route = new Route(IPNetwork.Parse("10.200.5.0/24")) { OutputLinkIndex = _v0.Index };
        Netlink.AddRoute(route);
        Assert.False(NextEventFor(events, route.Destination).Removed);
        Netlink.DeleteRoute(route);
        Assert.DoesNotContain(Namespace.IpJson("route", "show").EnumerateArray(), r => Text(r, "dst") == "10.200.5.0/24");
        Assert.True(NextEventFor(events, route.Destination).Removed);
        var error = Assert.Throws<NetlinkException>(() => Netlink.DeleteRoute(route));
        Assert.Equal(("v0: delete route 10.200.5.0/24", "ESRCH"), (error.Operation, error.ErrnoName));
    }

    [Fact]
    public void EverythingListedCanBeDeletedAsListed()
    {
        // What a converging init does with what the spec does not mention: list, then delete exactly that.
        Prepare();
        Netlink.AddAddress(_v0, new InterfaceAddress(IPAddress.Parse("10.200.3.1"), 32) { Peer = IPAddress.Parse("10.200.3.2") });
        Netlink.AddRoute(new Route(Route.DefaultIPv4) { Gateway = IPAddress.Parse("10.200.0.2"), OutputLinkIndex = _v0.Index, Metric = 7 });
        Netlink.AddRoute(new Route(IPNetwork.Parse("fd00:201::/64")) { Gateway = IPAddress.Parse("fd00:200::2"), OutputLinkIndex = _v0.Index });
        Netlink.AddRoute(new Route(IPNetwork.Parse("10.200.7.0/24")) { Gateway = IPAddress.Parse("10.200.0.2"), Table = 1000 });

        foreach (var route in Netlink.ListRoutes().Concat(Netlink.ListRoutes(table: 1000)))
            Netlink.DeleteRoute(route);
        foreach (var address in Netlink.ListAddresses(_v0).Where(a => a.Scope == Scope.Universe))
            Netlink.DeleteAddress(_v0, address);

        Assert.Empty(Netlink.ListRoutes());
        Assert.Empty(Netlink.ListRoutes(table: 1000));
        Assert.DoesNotContain(Netlink.ListAddresses(_v0), a => a.Scope == Scope.Universe);
        Assert.Empty(Namespace.IpJson("route", "show").EnumerateArray());
        Assert.DoesNotContain(Namespace.IpJson("-6", "route", "show").EnumerateArray(), r => Text(r, "dst")!.StartsWith("fd00", StringComparison.Ordinal));
    }

    [Fact]
    public void AnIPv4MappedIPv6RouteIsListedAsIPv6AndDeletingItLeavesTheIPv4Route()
    {
        Prepare();
        Namespace.Ip("route", "add", "::ffff:10.200.5.0/120", "dev", "v0");
        Netlink.AddRoute(new Route(IPNetwork.Parse("10.200.5.0/24")) { OutputLinkIndex = _v0.Index });

        var mapped = Netlink.ListRoutes(AddressFamily.InterNetworkV6).Single(r => r.Destination.BaseAddress.IsIPv4MappedToIPv6);
        Assert.Equal(AddressFamily.InterNetworkV6, mapped.Family);
        Netlink.DeleteRoute(mapped);
        Assert.DoesNotContain(Namespace.IpJson("-6", "route", "show").EnumerateArray(), r => Text(r, "dst") == "::ffff:10.200.5.0/120");
        Assert.Equal("v0", Text(IpRoute("10.200.5.0/24"), "dev"));
    }

    /// <summary>The next notification about <paramref name="destination"/>; the kernel also announces IPv6 link-local routes meanwhile.</summary>
    private static RouteEvent NextEventFor(NetlinkEvents events, IPNetwork destination)
    {
        while (events.Read(TimeSpan.FromSeconds(2)) is { } change)
        {
            if (change is RouteEvent routeEvent && routeEvent.Route.Destination == destination)
                return routeEvent;
        }
        throw new TimeoutException($"no event for {destination}");
    }

    [Fact]
    public void BatchAppliesAddressesAndRoutesInOneSend()
    {
        (_v0, _) = CreateVethPair(up: true);
        var failures = Netlink.CreateBatch()
            .AddAddress(_v0, InterfaceAddress.Parse("10.200.0.1/24"))
            .AddRoute(new Route(IPNetwork.Parse("10.200.5.0/24")) { Gateway = IPAddress.Parse("10.200.0.2"), OutputLinkIndex = _v0.Index })
            .AddAddress(_v0, InterfaceAddress.Parse("10.200.0.1/24"))
            .Execute();
        var failure = Assert.Single(failures);
        Assert.Equal((Errno.EEXIST, "v0: add address 10.200.0.1/24"), (failure.Errno, failure.Operation));
        Assert.Equal("10.200.0.2", Text(IpRoute("10.200.5.0/24"), "gateway"));
    }

    [Fact]
    public void MultipathRoutesAreListedWithTheirNextHopsAndDeletedAsListed()
    {
        Prepare();
        Netlink.SetLinkUp("v1");
        Netlink.AddAddress("v1", InterfaceAddress.Parse("10.200.1.1/24"));
        var v1 = Netlink.GetLink("v1");
        Netlink.AddRoute(new Route(IPNetwork.Parse("10.200.10.0/24"))
        {
            NextHops = [new() { Gateway = IPAddress.Parse("10.200.0.2"), OutputLinkIndex = _v0.Index }, new() { Gateway = IPAddress.Parse("10.200.1.2"), OutputLinkIndex = v1.Index, Weight = 3 }],
        });
        Netlink.AddRoute(new Route(IPNetwork.Parse("fd00:201::/64"))
        {
            NextHops = [new() { Gateway = IPAddress.Parse("fd00:200::2"), OutputLinkIndex = _v0.Index }, new() { Gateway = IPAddress.Parse("fd00:200::3"), OutputLinkIndex = _v0.Index, Weight = 2 }],
        });

        foreach (var (destination, option) in new[] { ("10.200.10.0/24", "-4"), ("fd00:201::/64", "-6") })
        {
            var theirs = IpRoute(destination, option, "route", "show").GetProperty("nexthops").EnumerateArray()
                .Select(h => $"{Text(h, "gateway")} {Text(h, "dev")} {Text(h, "weight")}");
            var names = new Dictionary<int, string> { [_v0.Index] = "v0", [v1.Index] = "v1" };
            var ours = Netlink.ListRoutes().Single(r => r.Destination == IPNetwork.Parse(destination));
            Assert.Equal((null, null), (ours.Gateway, ours.OutputLinkIndex));
            Assert.Equal(theirs, ours.NextHops!.Select(h => $"{h.Gateway} {names[h.OutputLinkIndex!.Value]} {h.Weight}"));
            Netlink.DeleteRoute(ours);
        }
        Assert.DoesNotContain(Netlink.ListRoutes(), r => r.NextHops is not null);
        Assert.DoesNotContain(Namespace.IpJson("-6", "route", "show").EnumerateArray(), r => Text(r, "dst") == "fd00:201::/64");
    }

    [Fact]
    public void MtuAndAdvmssAreKeptThroughListAndReplace()
    {
        Prepare();
        Netlink.AddRoute(new Route(IPNetwork.Parse("10.200.12.0/24")) { Gateway = IPAddress.Parse("10.200.0.2"), OutputLinkIndex = _v0.Index, Mtu = 1400, AdvertisedMss = 1360 });
        Netlink.AddRoute(new Route(IPNetwork.Parse("fd00:212::/64")) { Gateway = IPAddress.Parse("fd00:200::2"), OutputLinkIndex = _v0.Index, Mtu = 1300 });
        var metrics = IpRoute("10.200.12.0/24").GetProperty("metrics")[0];
        Assert.Equal(("1400", "1360"), (Text(metrics, "mtu"), Text(metrics, "advmss")));
        Assert.Equal("1300", Text(IpRoute("fd00:212::/64", "-6", "route", "show").GetProperty("metrics")[0], "mtu"));

        var listed = Netlink.ListRoutes().Where(r => r.Mtu is not null).ToDictionary(r => r.Destination.ToString());
        Assert.Equal((1400u, 1360u), (listed["10.200.12.0/24"].Mtu, listed["10.200.12.0/24"].AdvertisedMss));
        Assert.Equal((1300u, (uint?)null), (listed["fd00:212::/64"].Mtu, listed["fd00:212::/64"].AdvertisedMss));
        Netlink.ReplaceRoute(listed["10.200.12.0/24"]); // a listed route written back changes nothing
        Assert.Equal("1400", Text(IpRoute("10.200.12.0/24").GetProperty("metrics")[0], "mtu"));
        foreach (var route in listed.Values)
            Netlink.DeleteRoute(route);
        Assert.DoesNotContain(Netlink.ListRoutes(), r => r.Mtu is not null);
    }

    [Fact]
    public void RejectingRouteTypesRoundTrip()
    {
        Prepare();
        var types = new[] { RouteType.Unreachable, RouteType.Prohibit, RouteType.Throw, RouteType.Blackhole };
        for (var i = 0; i < types.Length; i++)
        {
            Netlink.AddRoute(new Route(IPNetwork.Parse($"10.200.{13 + i}.0/24")) { Type = types[i] });
            Netlink.AddRoute(new Route(IPNetwork.Parse($"fd00:2{13 + i}::/64")) { Type = types[i] });
        }
        foreach (var (family, option) in new[] { (AddressFamily.InterNetwork, "-4"), (AddressFamily.InterNetworkV6, "-6") })
        {
            var theirs = Namespace.IpJson(option, "route", "show").EnumerateArray().Where(r => Text(r, "type") is not null)
                .Select(r => $"{Text(r, "type")} {Text(r, "dst")}").Order();
            var ours = Netlink.ListRoutes(family).Where(r => r.Type != RouteType.Unicast).ToList();
            Assert.Equal(theirs, ours.Select(r => $"{r.Type.ToString().ToLowerInvariant()} {r.Destination}").Order());
            Assert.Equal(4, ours.Count);
            foreach (var route in ours)
                Netlink.DeleteRoute(route);
        }
        Assert.DoesNotContain(Netlink.ListRoutes(), r => r.Type != RouteType.Unicast);
    }

    [Fact]
    public void ANextHopObjectRouteIsListedWithItsIdAndDeletedExactly()
    {
        Prepare();
        Namespace.Ip("nexthop", "add", "id", "1", "via", "10.200.0.2", "dev", "v0");
        Namespace.Ip("route", "add", "10.200.16.0/24", "nhid", "1");
        Netlink.AddRoute(new Route(IPNetwork.Parse("10.200.16.0/24")) { Gateway = IPAddress.Parse("10.200.0.3"), OutputLinkIndex = _v0.Index, Metric = 5 });
        Netlink.AddRoute(new Route(IPNetwork.Parse("10.200.17.0/24")) { NextHopId = 1 });
        Assert.Equal("1", Text(IpRoute("10.200.17.0/24"), "nhid"));

        var listed = Netlink.ListRoutes(AddressFamily.InterNetwork).Where(r => r.NextHopId is not null).ToList();
        Assert.Equal([$"10.200.16.0/24 nhid 1 via 10.200.0.2 dev #{_v0.Index}", $"10.200.17.0/24 nhid 1 via 10.200.0.2 dev #{_v0.Index}"], listed.Select(r => r.ToString()).Order());
        foreach (var route in listed)
            Netlink.DeleteRoute(route);
        var left = Namespace.IpJson("route", "show", "10.200.16.0/24").EnumerateArray().Single();
        Assert.Equal(("10.200.0.3", null), (Text(left, "gateway"), Text(left, "nhid")));
        Assert.Empty(Namespace.IpJson("route", "show", "10.200.17.0/24").EnumerateArray());
    }

    [Fact]
    public void GetRouteTellsTheGatewayLinkAndSourceTheKernelWouldUse()
    {
        Prepare();
        Netlink.AddRoute(new Route(IPNetwork.Parse("10.200.12.0/24")) { Gateway = IPAddress.Parse("10.200.0.2"), OutputLinkIndex = _v0.Index, Table = 1000 });
        Netlink.AddRule(new Rule { Destination = IPNetwork.Parse("10.200.12.0/24"), Table = 1000, Priority = 100 });

        var ip = Namespace.IpJson("route", "get", "10.200.12.7").EnumerateArray().Single();
        var ours = Netlink.GetRoute(IPAddress.Parse("10.200.12.7"));
        Assert.Equal((Text(ip, "gateway"), Text(ip, "prefsrc"), "v0"), (ours.Gateway?.ToString(), ours.PreferredSource?.ToString(), Text(ip, "dev")));
        Assert.Equal((_v0.Index, 1000u, "10.200.12.7/32"), (ours.OutputLinkIndex, ours.Table, ours.Destination.ToString()));

        var direct = Netlink.GetRoute(IPAddress.Parse("fd00:200::5"));
        Assert.Equal((null, _v0.Index, "fd00:200::1"), (direct.Gateway, direct.OutputLinkIndex, direct.PreferredSource?.ToString()));

        var error = Assert.Throws<NetlinkException>(() => Netlink.GetRoute(IPAddress.Parse("10.200.77.1")));
        Assert.Equal(("get route to 10.200.77.1", "ENETUNREACH"), (error.Operation, error.ErrnoName));
    }
}
