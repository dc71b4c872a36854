using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Netlink;

/// <summary>
/// A route: what to add (set the destination and whichever of gateway, output link, metric… apply) and what the
/// kernel reports (RTM_NEWROUTE). Immutable: the library never changes an instance you pass in.
/// </summary>
public sealed class Route
{
    /// <summary>
    /// A route to <paramref name="destination"/>; use <see cref="DefaultIPv4"/> / <see cref="DefaultIPv6"/> for default
    /// routes. An IPv4-mapped IPv6 prefix (<c>::ffff:10.200.0.0/120</c>) is stored as the IPv4 prefix it maps.
    /// </summary>
    public Route(IPNetwork destination) : this(destination, asReported: false) { }

    /// <summary>With <paramref name="asReported"/>, an IPv4-mapped prefix is the IPv6 prefix the kernel has, not mapped.</summary>
    internal Route(IPNetwork destination, bool asReported) => Destination = asReported ? destination : Wire.IPBytes.Normalize(destination);

    /// <summary>0.0.0.0/0.</summary>
    public static IPNetwork DefaultIPv4 { get; } = new(IPAddress.Any, 0);

    /// <summary>::/0.</summary>
    public static IPNetwork DefaultIPv6 { get; } = new(IPAddress.IPv6Any, 0);

    /// <summary>The destination prefix; prefix length 0 is the default route.</summary>
    public IPNetwork Destination { get; }

    /// <summary>The next hop, or null for a directly connected destination.</summary>
    public IPAddress? Gateway { get; init; }

    /// <summary>The output link's index, or null.</summary>
    public int? OutputLinkIndex { get; init; }

    /// <summary>Treat the gateway as on-link even if no prefix covers it (RTNH_F_ONLINK; needs an output link).</summary>
    public bool OnLink { get; init; }

    /// <summary>The metric (RTA_PRIORITY); null lets the kernel choose (0 for IPv4, 1024 for IPv6).</summary>
    public uint? Metric { get; init; }

    /// <summary>The routing table; 254 is main. Tables from 256 up are sent in RTA_TABLE.</summary>
    public uint Table { get; init; } = RouteTables.Main;

    /// <summary>The scope; null uses iproute2's defaults (link for IPv4 unicast without gateway, host for local, else universe).</summary>
    public Scope? Scope { get; init; }

    /// <summary>Who installed the route; <see cref="RouteProtocol.Boot"/> unless set (as iproute2). A distinctive value lets you recognise your own routes.</summary>
    public RouteProtocol Protocol { get; init; } = RouteProtocol.Boot;

    /// <summary>The preferred source address (RTA_PREFSRC); must be a local address.</summary>
    public IPAddress? PreferredSource { get; init; }

    /// <summary>The route type; unicast unless set.</summary>
    public RouteType Type { get; init; } = RouteType.Unicast;

    /// <summary>
    /// The next hops of a multipath (ECMP) route (RTA_MULTIPATH), instead of <see cref="Gateway"/> and
    /// <see cref="OutputLinkIndex"/>; null for a single-path route.
    /// </summary>
    public IReadOnlyList<NextHop>? NextHops { get; init; }

    /// <summary>
    /// The nexthop object the route uses (RTA_NH_ID, <c>ip route … nhid N</c>). With it, <see cref="Gateway"/>,
    /// <see cref="OutputLinkIndex"/> and <see cref="NextHops"/> are what the kernel reports about that object:
    /// they are not sent, the id alone names the path.
    /// </summary>
    public uint? NextHopId { get; init; }

    /// <summary>The path MTU for this route (RTAX_MTU in RTA_METRICS), or null.</summary>
    public uint? Mtu { get; init; }

    /// <summary>The TCP MSS to advertise for connections over this route (RTAX_ADVMSS), or null.</summary>
    public uint? AdvertisedMss { get; init; }

    /// <summary>The address family, from the destination.</summary>
    public AddressFamily Family => Destination.BaseAddress.AddressFamily;

    /// <summary>Whether this is a default route (prefix length 0).</summary>
    public bool IsDefault => Destination.PrefixLength == 0;

    /// <summary>The scope the route is sent with: <see cref="Scope"/>, or iproute2's default.</summary>
    public Scope EffectiveScope => Scope ?? (Type switch
    {
        RouteType.Local or RouteType.Nat => Netlink.Scope.Host,
        RouteType.Broadcast or RouteType.Multicast or RouteType.Anycast => Netlink.Scope.Link,
        RouteType.Unicast when Family == AddressFamily.InterNetwork && Gateway is null && NextHops is null && NextHopId is null => Netlink.Scope.Link,
        _ => Netlink.Scope.Universe,
    });

    /// <summary>iproute2-like text, e.g. <c>default via 10.200.0.1 dev #3 metric 100</c> (the link by index: a route does not know its name).</summary>
    public override string ToString() => Describe(withLink: true);

    /// <summary>
    /// The route as <c>ip route</c> shows it; the output link as <c>dev #INDEX</c> unless the caller names the
    /// link itself (an operation's description starts with the link's name).
    /// </summary>
    internal string Describe(bool withLink)
    {
        var text = new StringBuilder();
        if (Type != RouteType.Unicast)
            text.Append(Type.ToString().ToLowerInvariant()).Append(' ');
        text.Append(IsDefault ? "default" : Destination.ToString());
        if (NextHopId is not null)
            text.Append(" nhid ").Append(NextHopId);
        if (Gateway is not null)
            text.Append(" via ").Append(Gateway);
        if (withLink && OutputLinkIndex is not null)
            text.Append(" dev #").Append(OutputLinkIndex);
        if (OnLink)
            text.Append(" onlink");
        foreach (var hop in NextHops ?? [])
            text.Append(" nexthop ").Append(hop);
        if (Metric is not null)
            text.Append(" metric ").Append(Metric);
        if (Table != RouteTables.Main)
            text.Append(" table ").Append(Table);
        if (PreferredSource is not null)
            text.Append(" src ").Append(PreferredSource);
        if (Mtu is not null)
            text.Append(" mtu ").Append(Mtu);
        if (AdvertisedMss is not null)
            text.Append(" advmss ").Append(AdvertisedMss);
        return text.ToString();
    }
}

/// <summary>One path of a multipath route (struct rtnexthop): a gateway and/or output link, and a weight.</summary>
public sealed class NextHop
{
    /// <summary>The next hop's gateway, or null for a directly connected path.</summary>
    public IPAddress? Gateway { get; init; }

    /// <summary>The output link's index, or null.</summary>
    public int? OutputLinkIndex { get; init; }

    /// <summary>The share of flows relative to the other paths, 1–256 (sent as rtnh_hops = weight − 1).</summary>
    public int Weight { get; init; } = 1;

    /// <summary>Treat the gateway as on-link (RTNH_F_ONLINK; needs an output link).</summary>
    public bool OnLink { get; init; }

    /// <summary>iproute2-like text, e.g. <c>via 10.200.0.2 dev #3 weight 2</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        if (Gateway is not null)
            text.Append("via ").Append(Gateway).Append(' ');
        if (OutputLinkIndex is not null)
            text.Append("dev #").Append(OutputLinkIndex).Append(' ');
        text.Append("weight ").Append(Weight);
        if (OnLink)
            text.Append(" onlink");
        return text.ToString();
    }
}

/// <summary>Well-known routing table ids.</summary>
public static class RouteTables
{
    /// <summary>Unspecified (a wildcard when listing).</summary>
    public const uint Unspecified = 0;
    /// <summary>The default table.</summary>
    public const uint Default = 253;
    /// <summary>The main table, where routes go unless told otherwise.</summary>
    public const uint Main = 254;
    /// <summary>The local table (local and broadcast addresses, kernel-managed).</summary>
    public const uint Local = 255;
}

/// <summary>Route origin (RTPROT_*).</summary>
public enum RouteProtocol : byte
{
    /// <summary>Unknown.</summary>
    Unspecified = 0,
    /// <summary>ICMP redirect.</summary>
    Redirect = 1,
    /// <summary>Installed by the kernel (prefix routes of addresses).</summary>
    Kernel = 2,
    /// <summary>Installed during boot (iproute2's default).</summary>
    Boot = 3,
    /// <summary>Installed by the administrator.</summary>
    Static = 4,
    /// <summary>IPv6 router advertisement.</summary>
    RouterAdvertisement = 9,
    /// <summary>DHCP client.</summary>
    Dhcp = 16,
}

/// <summary>Route type (RTN_*).</summary>
public enum RouteType : byte
{
    /// <summary>Unspecified (a wildcard when deleting).</summary>
    Unspecified = 0,
    /// <summary>A gateway or direct route.</summary>
    Unicast = 1,
    /// <summary>A local interface address.</summary>
    Local = 2,
    /// <summary>A broadcast address, sent as broadcast.</summary>
    Broadcast = 3,
    /// <summary>A local broadcast route, sent as unicast.</summary>
    Anycast = 4,
    /// <summary>A multicast route.</summary>
    Multicast = 5,
    /// <summary>Drop silently.</summary>
    Blackhole = 6,
    /// <summary>Reject with "network unreachable".</summary>
    Unreachable = 7,
    /// <summary>Reject with "administratively prohibited".</summary>
    Prohibit = 8,
    /// <summary>Continue the lookup in another table.</summary>
    Throw = 9,
    /// <summary>Network address translation.</summary>
    Nat = 10,
}
