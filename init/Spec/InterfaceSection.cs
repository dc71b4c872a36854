using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Init.Spec.Toml;

namespace Init.Spec;

/// <summary>
/// Reads <c>[[interface]]</c> with its addresses and routes, and checks them against each other the way the
/// kernel will: a gateway the kernel would refuse is an error here, before anything is changed.
/// </summary>
internal static class InterfaceSection
{
    private const int Ipv6MinimumMtu = 1280;

    private static readonly Dictionary<string, LinkWait> Waits = new()
    {
        ["none"] = LinkWait.None,
        ["carrier"] = LinkWait.Carrier,
    };

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

    /// <summary>What is shared between interfaces: names in use, MACs matched, routes by kernel identity.</summary>
    private sealed class SeenAcrossInterfaces
    {
        internal Dictionary<string, string> LinkNames { get; } = [];
        internal List<Located<PhysicalAddress>> MatchedMacs { get; } = [];
        internal Dictionary<(IPNetwork To, uint Table, uint Metric, int Interface), string> Routes { get; } = [];
    }

    private sealed record ParsedRoute(RouteSpec Route, TableReader Table, Located<IPAddress>? Via);

    internal static List<InterfaceSpec> Read(TableReader root)
    {
        var seen = new SeenAcrossInterfaces();
        var interfaces = new List<InterfaceSpec>();
        List<TableReader> tables = root.Tables("interface") ?? [];
        for (int i = 0; i < tables.Count; i++)
            if (Interface(tables[i], i, seen) is { } spec)
                interfaces.Add(spec);
        root.Errors.RejectDuplicates(seen.MatchedMacs, mac => mac);
        return interfaces;
    }

    private static InterfaceSpec? Interface(TableReader link, int index, SeenAcrossInterfaces seen)
    {
        Located<string>? name = LinkName(link, "name");
        Located<PhysicalAddress>? matchMac = MatchMac(link);
        if (link.Has("name") == link.Has("match"))
            link.Errors.Add(link.At, link.Path, link.Has("name")
                ? "has both name and match: give exactly one"
                : "needs name = \"…\" or match = { mac = \"…\" }");
        if (matchMac is { } mac)
            seen.MatchedMacs.Add(mac);
        Located<string>? rename = LinkName(link, "rename");
        foreach (Located<string> used in new[] { name, rename }.OfType<Located<string>>().DistinctBy(n => n.Value))
            if (!seen.LinkNames.TryAdd(used.Value, link.Path))
                link.Errors.Add(used.At, used.Path, $"link name \"{used.Value}\" is already used by {seen.LinkNames[used.Value]}");

        string label = rename?.Value ?? name?.Value ?? "this interface";
        PhysicalAddress? newMac = Mac(link, link.String("mac"));
        long? mtu = link.Integer("mtu", 68, 65535);
        bool flush = link.Bool("flush") ?? true;
        LinkWait wait = link.Choice("wait", Waits) ?? LinkWait.None;
        TimeSpan timeout = link.Duration("wait_timeout") is { } located
            ? Positive(link, located)
            : InterfaceSpec.DefaultWaitTimeout;
        List<Located<InterfaceAddress>> addresses = Addresses(link);
        List<RouteSpec> routes = Routes(link, index, label, addresses, seen);
        if (mtu < Ipv6MinimumMtu && FirstIpv6(addresses, routes) is { } ipv6)
            link.Errors.Add(link.Node("mtu")!.At, link.PathOf("mtu"),
                $"{mtu} is below {Ipv6MinimumMtu}, the IPv6 minimum, and {label} has IPv6 {ipv6}");
        link.RejectUnknownKeys();

        LinkMatch? match = name is { } byName ? new LinkMatch.ByName(byName.Value)
            : matchMac is { } byMac ? new LinkMatch.ByMac(byMac.Value) : null;
        return match is null ? null : new InterfaceSpec(match, rename?.Value, newMac, (int?)mtu, flush, wait, timeout,
            [.. addresses.Select(address => address.Value)], routes);
    }

    private static Located<string>? LinkName(TableReader link, string key)
    {
        if (link.String(key) is not { } text)
            return null;
        string? error = text.Value == "lo" ? "lo is configured under [loopback]" : TextRules.LinkName(text.Value);
        if (error is null)
            return text;
        link.Errors.Add(text.At, text.Path, error);
        return null;
    }

    private static Located<PhysicalAddress>? MatchMac(TableReader link)
    {
        if (link.Table("match") is not { } match)
            return null;
        Located<string>? text = match.String("mac");
        if (text is null && !match.Has("mac"))
            match.Errors.Add(match.At, match.PathOf("mac"), "missing: match by MAC needs mac = \"…\"");
        match.RejectUnknownKeys();
        return Mac(match, text) is { } mac ? new Located<PhysicalAddress>(mac, text!.Value.At, text.Value.Path) : null;
    }

    private static PhysicalAddress? Mac(TableReader table, Located<string>? text)
    {
        if (text is not { } value)
            return null;
        if (TextRules.Mac(value.Value, out PhysicalAddress mac) is not { } error)
            return mac;
        table.Errors.Add(value.At, value.Path, error);
        return null;
    }

    private static TimeSpan Positive(TableReader table, Located<TimeSpan> duration)
    {
        if (duration.Value > TimeSpan.Zero)
            return duration.Value;
        table.Errors.Add(duration.At, duration.Path, "must be longer than 0");
        return InterfaceSpec.DefaultWaitTimeout;
    }

    /// <summary>The short form (<c>addresses</c>) then the long form (<c>[[interface.address]]</c>), as one list.</summary>
    private static List<Located<InterfaceAddress>> Addresses(TableReader link)
    {
        var addresses = new List<Located<InterfaceAddress>>();
        foreach (Located<string> text in link.Strings("addresses") ?? [])
            if (link.InterfaceCidr(text) is { } cidr)
                addresses.Add(new(new InterfaceAddress(cidr.Value, null, Broadcast(cidr.Value), false), cidr.At, cidr.Path));
        foreach (TableReader entry in link.Tables("address") ?? [])
            if (LongAddress(entry) is { } address)
                addresses.Add(address);
        // The kernel keys an IPv6 address by the address alone; one address with two prefixes is a typo for both.
        link.Errors.RejectDuplicates(addresses, address => address.Address.Address);
        return addresses;
    }

    private static Located<InterfaceAddress>? LongAddress(TableReader entry)
    {
        Located<Cidr>? address = entry.InterfaceCidr(entry.String("address"));
        if (!entry.Has("address"))
            entry.Error("address", "missing (e.g. address = \"10.0.0.10/24\")");
        Cidr? peer = address is { } local ? Peer(entry, local.Value) : null;
        bool dad = entry.Bool("dad") ?? false;
        if (dad && address?.Value.Family == AddressFamily.InterNetwork)
            entry.Errors.Add(entry.Node("dad")!.At, entry.PathOf("dad"), "DAD is IPv6 only: IPv4 addresses are never tentative");
        entry.RejectUnknownKeys();
        if (address is not { } cidr)
            return null;
        var value = new InterfaceAddress(cidr.Value, peer, peer is null ? Broadcast(cidr.Value) : null, dad);
        return new Located<InterfaceAddress>(value, cidr.At, cidr.Path);
    }

    /// <summary>
    /// The far end of a point-to-point address: same family, and one prefix length for both (the kernel has a
    /// single ifa_prefixlen); written "192.0.2.1" it takes the address's prefix length.
    /// </summary>
    private static Cidr? Peer(TableReader entry, Cidr local)
    {
        if (entry.String("peer") is not { } text)
            return null;
        bool hasPrefix = text.Value.Contains('/');
        Located<Cidr>? peer = entry.InterfaceCidr(hasPrefix ? text : text with { Value = $"{text.Value}/{local.PrefixLength}" });
        if (peer is not { } parsed)
            return null;
        string? error = parsed.Value.Family != local.Family
            ? $"{parsed.Value.Address} is {TextRules.FamilyName(parsed.Value.Family)} but the address is {TextRules.FamilyName(local.Family)}"
            : parsed.Value.PrefixLength != local.PrefixLength
                ? $"/{parsed.Value.PrefixLength} differs from the address's /{local.PrefixLength}: a point-to-point address has one prefix length"
                : parsed.Value.Address.Equals(local.Address) ? "the peer is the address itself" : null;
        if (error is null)
            return parsed.Value;
        entry.Errors.Add(text.At, text.Path, error);
        return null;
    }

    /// <summary>IPv4 below /31 gets the directed broadcast (the kernel does not compute it; RFC 3021 for /31).</summary>
    private static IPAddress? Broadcast(Cidr cidr) =>
        cidr.Family == AddressFamily.InterNetwork && cidr.PrefixLength < 31 ? Cidr.Broadcast(cidr) : null;

    private static string? FirstIpv6(List<Located<InterfaceAddress>> addresses, List<RouteSpec> routes) =>
        addresses.Select(a => a.Value.Address).FirstOrDefault(a => a.Family == AddressFamily.InterNetworkV6) is { Address: not null } address
            ? $"address {address}"
            : routes.FirstOrDefault(r => r.To.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6) is { } route
                ? $"route {route.To}"
                : null;

    private static List<RouteSpec> Routes(TableReader link, int index, string label,
        List<Located<InterfaceAddress>> addresses, SeenAcrossInterfaces seen)
    {
        List<ParsedRoute> parsed = [.. (link.Tables("route") ?? []).Select(route => Route(route, label, addresses)).OfType<ParsedRoute>()];
        List<IPNetwork> deviceRoutes = [.. parsed.Where(p => p.Route.Via is null).Select(p => p.Route.To)];
        foreach (ParsedRoute route in parsed)
        {
            if (route.Via is { } via)
                CheckGateway(link, label, addresses, deviceRoutes, route.Route, via);
            RouteSpec r = route.Route;
            bool ipv6 = r.To.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6;
            // The kernel's identity of a route: IPv4 ignores the device (a second one replaces the first),
            // IPv6 does not; IPv6 turns metric 0 into 1024.
            uint metric = r.Metric is null or 0 && ipv6 ? 1024 : r.Metric ?? 0;
            var key = (r.To, r.Table, metric, ipv6 ? index : -1);
            if (!seen.Routes.TryAdd(key, route.Table.Path))
                link.Errors.Add(route.Table.At, route.Table.Path,
                    $"same destination, table and metric as {seen.Routes[key]}: the kernel keeps only one");
        }
        return [.. parsed.Select(p => p.Route)];
    }

    /// <summary>Scenario 27: the kernel refuses a gateway it cannot reach on the link; so do we, earlier.</summary>
    private static void CheckGateway(TableReader link, string label, List<Located<InterfaceAddress>> addresses,
        List<IPNetwork> deviceRoutes, RouteSpec route, Located<IPAddress> via)
    {
        IPAddress gateway = via.Value;
        List<IPNetwork> prefixes = [.. addresses.Select(a => a.Value)
            .Where(a => a.Address.Family == gateway.AddressFamily).Select(a => a.OnLinkPrefix)];
        string? error = null;
        if (addresses.Any(a => a.Value.Address.Address.Equals(gateway)))
            error = $"gateway {gateway} is an address of {label} itself";
        else if (!route.OnLink && !gateway.IsIPv6LinkLocal
            && !prefixes.Concat(deviceRoutes).Any(prefix => prefix.Contains(gateway)))
            error = $"gateway {gateway} is not inside any prefix on {label} ("
                + (prefixes.Count == 0 ? $"it has no {TextRules.FamilyName(gateway.AddressFamily)} address" : string.Join(", ", prefixes))
                + "); set onlink = true if it is on the link";
        if (error is not null)
            link.Errors.Add(via.At, via.Path, error);
    }

    private static ParsedRoute? Route(TableReader route, string label, List<Located<InterfaceAddress>> addresses)
    {
        Located<IPAddress>? via = Address(route, "via", "a gateway");
        IPNetwork? to = Destination(route, via);
        AddressFamily family = to?.BaseAddress.AddressFamily ?? via?.Value.AddressFamily ?? AddressFamily.InterNetwork;
        if (via is { } gateway && gateway.Value.AddressFamily != family)
            route.Errors.Add(gateway.At, gateway.Path, $"{gateway.Value} is {TextRules.FamilyName(gateway.Value.AddressFamily)} but the destination is {TextRules.FamilyName(family)}");
        long? metric = route.Integer("metric", 0, uint.MaxValue);
        uint table = Table(route);
        IPAddress? source = Source(route, label, family, addresses);
        RouteScope? scope = route.Choice("scope", Scopes);
        if (scope is not (null or RouteScope.Global) && (via is not null || family == AddressFamily.InterNetworkV6))
            route.Errors.Add(route.Node("scope")!.At, route.PathOf("scope"), via is not null
                ? "a route with a gateway has scope global"
                : "IPv6 routes have no scope but global");
        bool onLink = route.Bool("onlink") ?? false;
        if (onLink && via is null && route.Node("onlink") is { } node)
            route.Errors.Add(node.At, route.PathOf("onlink"), "onlink applies to a gateway: set via too");
        route.RejectUnknownKeys();
        return to is { } destination
            ? new ParsedRoute(new RouteSpec(destination, via?.Value, (uint?)metric, table, source, scope, onLink), route, via)
            : null;
    }

    /// <summary>"default" (family from via, IPv4 without one: write "::/0" for an IPv6 device route) or a prefix.</summary>
    private static IPNetwork? Destination(TableReader route, Located<IPAddress>? via)
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

    private static IPAddress? Source(TableReader route, string label, AddressFamily family, List<Located<InterfaceAddress>> addresses)
    {
        if (Address(route, "src", "a source address") is not { } source)
            return null;
        string? error = source.Value.AddressFamily != family
            ? $"{source.Value} is {TextRules.FamilyName(source.Value.AddressFamily)} but the route is {TextRules.FamilyName(family)}"
            : !addresses.Any(a => a.Value.Address.Address.Equals(source.Value))
                ? $"{source.Value} is not an address of {label}"
                : null;
        if (error is null)
            return source.Value;
        route.Errors.Add(source.At, source.Path, error);
        return null;
    }

    /// <summary>"main" (default), "local", or a number 1..4294967295.</summary>
    private static uint Table(TableReader route)
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
