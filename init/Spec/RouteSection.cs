using System.Net;
using System.Net.Sockets;
using Init.Spec.Toml;

namespace Init.Spec;

/// <summary>
/// The kernel's identity of a route: destination, table and metric, whatever the device or gateway (a second
/// one is EEXIST, or replaces the first); IPv6 turns metric 0 into 1024.
/// </summary>
internal readonly record struct RouteKey(IPNetwork To, uint Table, uint Metric);

/// <summary>Reads <c>[[interface.route]]</c>: what the kernel would refuse is refused here, before any change.</summary>
internal static class RouteSection
{
    private static readonly Dictionary<string, RouteScope> Scopes = new()
    {
        ["global"] = RouteScope.Global,
        ["link"] = RouteScope.Link,
        ["host"] = RouteScope.Host,
    };

    private static readonly Dictionary<string, uint> NamedTables = new()
    {
        ["main"] = RouteSpec.MainTable,
        ["local"] = RouteSpec.LocalTable,
    };

    private const int Ipv6MinimumMtu = 1280;

    /// <summary>
    /// Prefixes grouped by family and length: whether an address is inside any of them costs one lookup per
    /// length in use, not one comparison per prefix, so a spec's routes are checked in linear time.
    /// </summary>
    private sealed class PrefixSet
    {
        private readonly Dictionary<(AddressFamily Family, int Length), HashSet<IPNetwork>> _byLength = [];

        internal void Add(IPNetwork prefix)
        {
            var length = (prefix.BaseAddress.AddressFamily, prefix.PrefixLength);
            if (!_byLength.TryGetValue(length, out HashSet<IPNetwork>? prefixes))
                _byLength[length] = prefixes = [];
            prefixes.Add(prefix);
        }

        internal bool Contains(IPAddress address)
        {
            foreach (((AddressFamily family, int length), HashSet<IPNetwork> prefixes) in _byLength)
                if (family == address.AddressFamily && prefixes.Contains(new IPNetwork(Cidr.Mask(address, length), length)))
                    return true;
            return false;
        }
    }

    /// <summary>An interface's addresses, indexed once for the checks every route makes against them.</summary>
    private sealed class LinkAddresses
    {
        internal LinkAddresses(List<AddressSpec> addresses)
        {
            All = addresses;
            for (int i = 0; i < All.Count; i++)
            {
                AddressSpec address = All[i];
                Own.Add(address.Address.Address);
                OnLink.Add(address.OnLinkPrefix);
                if (address.Broadcast is { } broadcast)
                    _broadcastOwners.TryAdd(broadcast, i);
            }
        }

        // Broadcast → index in All of the first address with it (an index, not the address: Dictionary<IPAddress,
        // AddressSpec> would be a generic instantiation of its own, with a static base allocated at every start).
        private readonly Dictionary<IPAddress, int> _broadcastOwners = [];

        internal List<AddressSpec> All { get; }
        internal HashSet<IPAddress> Own { get; } = [];
        internal PrefixSet OnLink { get; } = new();

        internal AddressSpec? BroadcastOwner(IPAddress address) =>
            _broadcastOwners.TryGetValue(address, out int index) ? All[index] : null;
    }

    /// <summary>The routes of one interface, checked against its addresses and the routes seen so far.</summary>
    internal static List<RouteSpec> Read(TableReader link, string label,
        List<AddressSpec> addresses, Dictionary<RouteKey, string> seen)
    {
        var own = new LinkAddresses(addresses);
        var routes = new List<RouteSpec>();
        // Each route's gateways, checked once all the interface's routes are known (see below).
        var gateways = new List<(RouteSpec Route, Located<IPAddress> Via)>();
        foreach (TableReader table in link.Tables("route") ?? [])
        {
            if (Route(table, label, own, out List<(Located<IPAddress> Via, int Weight)> paths) is not { } route)
                continue;
            routes.Add(route);
            foreach ((Located<IPAddress> via, _) in paths)
                gateways.Add((route, via));
            RouteKey key = KeyOf(route);
            if (!seen.TryAdd(key, table.Path))
                link.Errors.Add(table.At, table.Path, $"same destination, table and metric as {seen[key]}: the kernel keeps only one");
        }
        // The kernel looks a gateway up in the route's own table, then everywhere (main holds the address
        // prefixes): a gateway-less route of this interface in either makes it reachable.
        var deviceRoutes = new Dictionary<uint, PrefixSet>();
        foreach (RouteSpec route in routes)
        {
            if (route.HasGateway)
                continue;
            if (!deviceRoutes.TryGetValue(route.Table, out PrefixSet? prefixes))
                deviceRoutes[route.Table] = prefixes = new PrefixSet();
            prefixes.Add(route.To);
        }
        foreach ((RouteSpec route, Located<IPAddress> via) in gateways)
            CheckGateway(link, label, own, deviceRoutes, route, via);
        return routes;
    }

    /// <summary>The kernel's identity of <paramref name="route"/>: IPv6 turns metric 0 (or none) into 1024.</summary>
    internal static RouteKey KeyOf(RouteSpec route)
    {
        bool ipv6 = route.To.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6;
        return new RouteKey(route.To, route.Table, route.Metric is null or 0 && ipv6 ? 1024 : route.Metric ?? 0);
    }

    /// <summary>The kernel refuses a gateway it cannot reach on the link; so do we, before any change.</summary>
    private static void CheckGateway(TableReader link, string label, LinkAddresses addresses,
        Dictionary<uint, PrefixSet> deviceRoutes, RouteSpec route, Located<IPAddress> via)
    {
        IPAddress gateway = via.Value;
        string? error = null;
        if (addresses.Own.Contains(gateway))
            error = $"gateway {gateway} is an address of {label} itself";
        else if (addresses.BroadcastOwner(gateway) is { } owner)
            error = $"gateway {gateway} is the broadcast address of {owner.Address.Network}";
        else if (!route.OnLink && !gateway.IsIPv6LinkLocal && !addresses.OnLink.Contains(gateway)
            && !InDeviceRoute(deviceRoutes, route.Table, gateway) && !InDeviceRoute(deviceRoutes, RouteSpec.MainTable, gateway))
            error = $"gateway {gateway} is not inside any prefix on {label} ({Prefixes(addresses, gateway.AddressFamily)}); set onlink = true if it is on the link";
        if (error is not null)
            link.Errors.Add(via.At, via.Path, error);
    }

    private static bool InDeviceRoute(Dictionary<uint, PrefixSet> deviceRoutes, uint table, IPAddress gateway) =>
        deviceRoutes.GetValueOrDefault(table)?.Contains(gateway) ?? false;

    /// <summary>The on-link prefixes of a family, for the message: the first few (a list of thousands helps no one).</summary>
    private static string Prefixes(LinkAddresses addresses, AddressFamily family)
    {
        const int shown = 4;
        List<IPNetwork> prefixes = [];
        foreach (AddressSpec address in addresses.All)
            if (address.Address.Family == family && prefixes.Count <= shown)
                prefixes.Add(address.OnLinkPrefix);
        return prefixes.Count == 0 ? $"it has no {TextRules.FamilyName(family)} address"
            : string.Join(", ", prefixes[..Math.Min(shown, prefixes.Count)]) + (prefixes.Count > shown ? ", …" : "");
    }

    private static readonly Dictionary<string, RouteKind> Kinds = new()
    {
        ["unicast"] = RouteKind.Unicast,
        ["blackhole"] = RouteKind.Blackhole,
        ["unreachable"] = RouteKind.Unreachable,
        ["prohibit"] = RouteKind.Prohibit,
        ["throw"] = RouteKind.Throw,
    };

    /// <summary>The route, and in <paramref name="paths"/> its gateway (via) or the gateway of each ECMP path.</summary>
    private static RouteSpec? Route(TableReader route, string label, LinkAddresses addresses,
        out List<(Located<IPAddress> Via, int Weight)> paths)
    {
        Located<IPAddress>? via = Address(route, "via", "a gateway");
        List<(Located<IPAddress> Via, int Weight)> hops = NextHops(route);
        if (via is not null && route.Has("nexthops"))
            route.Errors.Add(route.Node("nexthops")!.At, route.PathOf("nexthops"), "has both via and nexthops: give one gateway, or several in nexthops");
        paths = via is { } single ? [(single, 1)] : hops;
        IPNetwork? to = Destination(route, paths.Count > 0 ? paths[0].Via : null);
        AddressFamily family = to?.BaseAddress.AddressFamily ?? via?.Value.AddressFamily ?? AddressFamily.InterNetwork;
        foreach ((Located<IPAddress> gateway, _) in paths)
            if (gateway.Value.AddressFamily != family)
                route.Errors.Add(gateway.At, gateway.Path, $"{gateway.Value} is {TextRules.FamilyName(gateway.Value.AddressFamily)} but the destination is {TextRules.FamilyName(family)}");
        if (route.Choice("type", Kinds) is { } kind and not RouteKind.Unicast)
            route.Errors.Add(route.Node("type")!.At, route.PathOf("type"),
                $"a {kind.ToString().ToLowerInvariant()} route goes through no interface: write it as a top-level [[route]]");
        long? mtu = route.Integer("mtu", 68, 65535);
        if (mtu < Ipv6MinimumMtu && family == AddressFamily.InterNetworkV6)
            route.Errors.Add(route.Node("mtu")!.At, route.PathOf("mtu"), $"{mtu} is below {Ipv6MinimumMtu}, the IPv6 minimum");
        long? advmss = route.Integer("advmss", 1, 65535);
        long? metric = route.Integer("metric", 0, uint.MaxValue);
        uint table = Table(route);
        IPAddress? source = Source(route, label, family, addresses);
        RouteScope? scope = route.Choice("scope", Scopes);
        if (scope is not (null or RouteScope.Global) && (paths.Count > 0 || family == AddressFamily.InterNetworkV6))
            route.Errors.Add(route.Node("scope")!.At, route.PathOf("scope"), paths.Count > 0
                ? "a route with a gateway has scope global"
                : "IPv6 routes have no scope but global");
        bool onLink = route.Bool("onlink") ?? false;
        if (onLink && paths.Count == 0 && route.Node("onlink") is { } node)
            route.Errors.Add(node.At, route.PathOf("onlink"), "onlink applies to a gateway: set via too");
        route.RejectUnknownKeys();
        return to is { } destination
            ? new RouteSpec(destination, via?.Value, (uint?)metric, table, source, scope, onLink)
            {
                // [] is the one shared empty array: routes without next hops stay equal as records.
                NextHops = hops.Count == 0 ? [] : NextHopSpecs(hops),
                Mtu = (uint?)mtu,
                AdvertisedMss = (uint?)advmss,
            }
            : null;
    }

    /// <summary><c>nexthops = [{ via, weight }, …]</c>: at least two paths, each gateway once, weights 1..256 (default 1).</summary>
    private static List<(Located<IPAddress> Via, int Weight)> NextHops(TableReader route)
    {
        var hops = new List<(Located<IPAddress> Via, int Weight)>();
        List<TableReader>? tables = route.Tables("nexthops");
        foreach (TableReader hop in tables ?? [])
        {
            Located<IPAddress>? via = Address(hop, "via", "a gateway");
            if (via is null && !hop.Has("via"))
                hop.Error("via", "missing: each next hop is a gateway");
            long weight = hop.Integer("weight", 1, 256) ?? 1;
            hop.RejectUnknownKeys();
            if (via is { } gateway)
                hops.Add((gateway, (int)weight));
        }
        if (tables is { Count: < 2 } && route.Node("nexthops") is { } node)
            route.Errors.Add(node.At, route.PathOf("nexthops"), "give at least two next hops (one is via = \"…\")");
        var firstSeen = new Dictionary<string, string>();
        foreach ((Located<IPAddress> via, _) in hops)
            route.Errors.RejectDuplicate(firstSeen, via.Value.ToString(), via.At, via.Path);
        return hops;
    }

    private static NextHopSpec[] NextHopSpecs(List<(Located<IPAddress> Via, int Weight)> hops)
    {
        var specs = new NextHopSpec[hops.Count];
        for (int i = 0; i < specs.Length; i++)
            specs[i] = new NextHopSpec(hops[i].Via.Value, hops[i].Weight);
        return specs;
    }

    /// <summary>"default" (family from via, IPv4 without one: write "::/0" for an IPv6 device route) or a prefix.</summary>
    internal static IPNetwork? Destination(TableReader route, Located<IPAddress>? via)
    {
        if (route.String("to") is not { } text)
        {
            if (!route.Has("to"))
                route.Error("to", "missing: \"default\" or a prefix such as \"198.51.100.0/24\"");
            return null;
        }
        if (text.Value == "default")
            return via?.Value.AddressFamily == AddressFamily.InterNetworkV6
                ? new IPNetwork(IPAddress.IPv6Any, 0)
                : new IPNetwork(IPAddress.Any, 0);
        string? error = TextRules.Cidr(text.Value, out Cidr cidr);
        if (error is null && cidr.HasHostBits)
            error = $"{cidr} has host bits set; did you mean {cidr.Network}?";
        if (error is null)
            return cidr.Network;
        route.Errors.Add(text.At, text.Path, error + (text.Value.Contains('/') ? "" : DidYouMean.Hint(text.Value, ["default"])));
        return null;
    }

    private static Located<IPAddress>? Address(TableReader table, string key, string what)
    {
        if (table.String(key) is not { } text)
            return null;
        string? error = TextRules.Ip(text.Value, out IPAddress address);
        if (error is null && (TextRules.IsUnspecified(address) || TextRules.IsMulticast(address)))
            error = $"{address} cannot be {what}";
        if (error is null)
            return new Located<IPAddress>(address, text.At, text.Path);
        table.Errors.Add(text.At, text.Path, error);
        return null;
    }

    private static IPAddress? Source(TableReader route, string label, AddressFamily family, LinkAddresses addresses)
    {
        if (Address(route, "src", "a source address") is not { } source)
            return null;
        string? error = source.Value.AddressFamily != family
            ? $"{source.Value} is {TextRules.FamilyName(source.Value.AddressFamily)} but the route is {TextRules.FamilyName(family)}"
            : !addresses.Own.Contains(source.Value)
                ? $"{source.Value} is not an address of {label}"
                : null;
        if (error is null)
            return source.Value;
        route.Errors.Add(source.At, source.Path, error);
        return null;
    }

    /// <summary>"main" (default), "local", or a number 1..4294967295.</summary>
    internal static uint Table(TableReader route)
    {
        switch (route.Node("table"))
        {
            case null:
                return RouteSpec.MainTable;
            case TomlValueNode { Value: string }:
                return route.Choice("table", NamedTables) ?? RouteSpec.MainTable;
            case TomlValueNode { Value: long } node:
                return (uint?)route.AsInteger(node, route.PathOf("table"), 1, uint.MaxValue) ?? RouteSpec.MainTable;
            case var other:
                route.Errors.Add(other.At, route.PathOf("table"), $"expected \"main\", \"local\" or a number, got {other.TypeName}");
                return RouteSpec.MainTable;
        }
    }
}
