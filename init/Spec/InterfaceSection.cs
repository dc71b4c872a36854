using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Init.Spec.Toml;

namespace Init.Spec;

/// <summary>Reads <c>[[interface]]</c> and its addresses; its routes are <see cref="RouteSection"/>'s.</summary>
internal static class InterfaceSection
{
    private const int Ipv6MinimumMtu = 1280;

    private static readonly Dictionary<string, LinkWait> Waits = new()
    {
        ["none"] = LinkWait.None,
        ["link"] = LinkWait.Link,
        ["carrier"] = LinkWait.Carrier,
    };

    /// <summary>What is shared between interfaces: names in use, MACs matched, routes by kernel identity.</summary>
    private sealed class SeenAcrossInterfaces
    {
        internal Dictionary<string, string> LinkNames { get; } = [];
        internal Dictionary<string, string> MatchedMacs { get; } = [];
        internal Dictionary<RouteKey, string> Routes { get; } = [];
    }

    internal static List<InterfaceSpec> Read(TableReader root)
    {
        var seen = new SeenAcrossInterfaces();
        var interfaces = new List<InterfaceSpec>();
        List<TableReader> tables = root.Tables("interface") ?? [];
        foreach (TableReader table in tables)
            if (Interface(table, seen) is { } spec)
                interfaces.Add(spec);
        return interfaces;
    }

    private static void ClaimLinkName(TableReader link, SeenAcrossInterfaces seen, Located<string>? used)
    {
        if (used is { } given && !seen.LinkNames.TryAdd(given.Value, link.Path))
            link.Errors.Add(given.At, given.Path, $"link name {SpecErrors.Quote(given.Value)} is already used by {seen.LinkNames[given.Value]}");
    }

    private static InterfaceSpec? Interface(TableReader link, SeenAcrossInterfaces seen)
    {
        Located<string>? name = LinkName(link, "name");
        Located<PhysicalAddress>? matchMac = MatchMac(link);
        if (link.Has("name") == link.Has("match"))
            link.Errors.Add(link.At, link.Path, link.Has("name")
                ? "has both name and match: give exactly one"
                : "needs name = \"…\" or match = { mac = \"…\" }");
        if (matchMac is { } mac)
            link.Errors.RejectDuplicate(seen.MatchedMacs, mac.Value.ToString(), mac.At, mac.Path);
        Located<string>? rename = LinkName(link, "rename");
        ClaimLinkName(link, seen, name);
        if (rename?.Value != name?.Value) // renamed to its own name: one claim
            ClaimLinkName(link, seen, rename);

        string label = rename?.Value ?? name?.Value ?? "this interface";
        PhysicalAddress? newMac = Mac(link, link.String("mac"));
        long? mtu = link.Integer("mtu", 68, 65535);
        bool flush = link.Bool("flush") ?? true;
        LinkWait wait = link.Choice("wait", Waits) ?? LinkWait.None;
        TimeSpan timeout = link.Duration("wait_timeout") is { } located
            ? Positive(link, located)
            : InterfaceSpec.DefaultWaitTimeout;
        List<AddressSpec> addresses = Addresses(link);
        List<RouteSpec> routes = RouteSection.Read(link, label, addresses, seen.Routes);
        if (mtu < Ipv6MinimumMtu && FirstIpv6(addresses, routes) is { } ipv6)
            link.Errors.Add(link.Node("mtu")!.At, link.PathOf("mtu"),
                $"{mtu} is below {Ipv6MinimumMtu}, the IPv6 minimum, and {label} has IPv6 {ipv6}");
        List<NeighborSpec> neighbors = NeighborSection.Read(link);
        link.RejectUnknownKeys();

        LinkMatch? match = name is { } byName ? new LinkMatch.ByName(byName.Value)
            : matchMac is { } byMac ? new LinkMatch.ByMac(byMac.Value) : null;
        return match is null ? null : new InterfaceSpec(match, rename?.Value, newMac, (int?)mtu, flush, wait, timeout,
            addresses, routes)
        { Neighbors = neighbors };
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
    private static List<AddressSpec> Addresses(TableReader link)
    {
        var addresses = new List<AddressSpec>();
        var firstSeen = new Dictionary<string, string>();
        foreach (Located<string> text in link.Strings("addresses") ?? [])
            if (link.InterfaceCidr(text) is { } cidr)
                Add(new AddressSpec(cidr.Value, null, Broadcast(cidr.Value), false), cidr.At, cidr.Path);
        foreach (TableReader entry in link.Tables("address") ?? [])
            if (LongAddress(entry) is { } address)
                Add(address.Value, address.At, address.Path);
        return addresses;

        void Add(AddressSpec address, Position at, string path)
        {
            // The kernel keys an IPv6 address by the address alone; one address with two prefixes is a typo for both.
            link.Errors.RejectDuplicate(firstSeen, address.Address.Address.ToString(), at, path);
            // The kernel refuses ::1 off lo; 127/8 off lo only makes martians.
            if (IPAddress.IsLoopback(address.Address.Address))
                link.Errors.Add(at, path, $"{address.Address.Address} is a loopback address: put it under [loopback]");
            addresses.Add(address);
        }
    }

    private static Located<AddressSpec>? LongAddress(TableReader entry)
    {
        Located<Cidr>? address = entry.InterfaceCidr(entry.String("address"));
        if (!entry.Has("address"))
            entry.Error("address", "missing (e.g. address = \"10.0.0.10/24\")");
        Cidr? peer = Peer(entry, address?.Value);
        bool dad = entry.Bool("dad") ?? false;
        if (dad && address?.Value.Family == AddressFamily.InterNetwork)
            entry.Errors.Add(entry.Node("dad")!.At, entry.PathOf("dad"), "DAD is IPv6 only: IPv4 addresses are never tentative");
        entry.RejectUnknownKeys();
        if (address is not { } cidr)
            return null;
        var value = new AddressSpec(cidr.Value, peer, peer is null ? Broadcast(cidr.Value) : null, dad);
        return new Located<AddressSpec>(value, cidr.At, cidr.Path);
    }

    /// <summary>
    /// The far end of a point-to-point address: same family, and one prefix length for both (the kernel has a
    /// single ifa_prefixlen); written "192.0.2.1" it takes the address's prefix length.
    /// </summary>
    private static Cidr? Peer(TableReader entry, Cidr? address)
    {
        if (entry.String("peer") is not { } text || address is not { } local)
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

    private static string? FirstIpv6(List<AddressSpec> addresses, List<RouteSpec> routes)
    {
        foreach (AddressSpec address in addresses)
            if (address.Address.Family == AddressFamily.InterNetworkV6)
                return $"address {address.Address}";
        foreach (RouteSpec route in routes)
            if (route.To.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6)
                return $"route {route.To}";
        return null;
    }
}
