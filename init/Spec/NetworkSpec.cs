using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Init.Spec;

// The network half of the validated spec. Immutable, already checked against each other (gateways reachable,
// sources local, names unique), so the planner and the apply never re-validate.

/// <summary>Everything a spec file asks of the network. Present whenever a spec file was read.</summary>
internal sealed record NetworkSpec(
    string? Hostname,
    DnsSpec? Dns,
    HostsSpec? Hosts,
    IReadOnlyList<AddressSpec> LoopbackAddresses,
    IReadOnlyList<InterfaceSpec> Interfaces)
{
    /// <summary>The top-level <c>[[route]]</c>s: blackhole, unreachable, prohibit and throw routes, which have no link.</summary>
    internal IReadOnlyList<RouteSpec> Routes { get; init; } = [];

    /// <summary>The top-level <c>[[rule]]</c>s, one per family.</summary>
    internal IReadOnlyList<RuleSpec> Rules { get; init; } = [];
}

/// <summary><c>[dns]</c>: the content of /etc/resolv.conf.</summary>
internal sealed record DnsSpec(IReadOnlyList<IPAddress> Nameservers, IReadOnlyList<string> Search, IReadOnlyList<string> Options);

/// <summary><c>[hosts]</c>: extra /etc/hosts lines after the localhost and hostname lines.</summary>
internal sealed record HostsSpec(IReadOnlyList<HostEntry> Entries);

internal sealed record HostEntry(IPAddress Address, IReadOnlyList<string> Names);

/// <summary>How an <c>[[interface]]</c> finds its link.</summary>
internal abstract record LinkMatch
{
    internal sealed record ByName(string Name) : LinkMatch
    {
        public override string ToString() => Name;
    }

    internal sealed record ByMac(PhysicalAddress Mac) : LinkMatch
    {
        public override string ToString() => $"link {TextRules.FormatMac(Mac)}";
    }
}

internal enum LinkWait
{
    None,
    /// <summary>Until the link exists (link events, not polling).</summary>
    Link,
    /// <summary>Until the link exists, then until it has carrier.</summary>
    Carrier,
}

/// <summary>One <c>[[interface]]</c>.</summary>
internal sealed record InterfaceSpec(
    LinkMatch Match,
    string? Rename,
    PhysicalAddress? Mac,
    int? Mtu,
    bool Flush,
    LinkWait Wait,
    TimeSpan WaitTimeout,
    IReadOnlyList<AddressSpec> Addresses,
    IReadOnlyList<RouteSpec> Routes)
{
    /// <summary>Permanent neighbour entries (<c>[[interface.neighbor]]</c>).</summary>
    internal IReadOnlyList<NeighborSpec> Neighbors { get; init; } = [];

    /// <summary>Waits are bounded by this when the spec gives no <c>wait_timeout</c>.</summary>
    internal static TimeSpan DefaultWaitTimeout { get; } = TimeSpan.FromSeconds(5);

    /// <summary>The name the link ends up with, or how it was matched when that is unknown before the apply.</summary>
    internal string FinalName => Rename ?? Match.ToString()!;
}

/// <summary>
/// An address of a link. <paramref name="Peer"/>: the other end of a point-to-point link (its prefix is the
/// one on the link). <paramref name="Broadcast"/>: computed for IPv4 below /31 on ordinary interfaces.
/// <paramref name="Dad"/>: IPv6 only; false adds the address with NODAD (never tentative).
/// </summary>
internal sealed record AddressSpec(Cidr Address, Cidr? Peer, IPAddress? Broadcast, bool Dad)
{
    /// <summary>The prefix this address puts on the link: the peer's when there is one.</summary>
    internal IPNetwork OnLinkPrefix => (Peer ?? Address).Network;

    /// <summary>Added with NODAD: only IPv6 addresses can be tentative, so IPv4 ones never carry the flag.</summary>
    internal bool NoDad => Address.Family == AddressFamily.InterNetworkV6 && !Dad;
}

internal enum RouteScope
{
    Global,
    Link,
    Host,
}

/// <summary>
/// One <c>[[interface.route]]</c>. <paramref name="Table"/> is the kernel's number (254 main, 255 local).
/// <paramref name="Metric"/> null leaves the kernel's default (0 for IPv4, 1024 for IPv6);
/// <paramref name="Scope"/> null leaves iproute2's choice (link without a gateway for IPv4, else global).
/// </summary>
internal sealed record RouteSpec(
    IPNetwork To,
    IPAddress? Via,
    uint? Metric,
    uint Table,
    IPAddress? Source,
    RouteScope? Scope,
    bool OnLink)
{
    internal const uint MainTable = 254;
    internal const uint LocalTable = 255;

    internal bool IsDefault => To.PrefixLength == 0;

    /// <summary>Unicast for interface routes; the other kinds are the top-level <c>[[route]]</c>s, without a link.</summary>
    internal RouteKind Kind { get; init; } = RouteKind.Unicast;

    /// <summary>ECMP paths through the interface (<c>nexthops</c>), instead of <see cref="Via"/>; empty for one path.</summary>
    internal IReadOnlyList<NextHopSpec> NextHops { get; init; } = [];

    /// <summary>The path MTU (<c>mtu</c>, RTAX_MTU) and the TCP MSS to advertise (<c>advmss</c>, RTAX_ADVMSS).</summary>
    internal uint? Mtu { get; init; }

    internal uint? AdvertisedMss { get; init; }

    /// <summary>Reaches its destination through a gateway (one, or several): added after the device routes.</summary>
    internal bool HasGateway => Via is not null || NextHops.Count > 0;
}

internal enum RouteKind
{
    Unicast,
    Blackhole,
    Unreachable,
    Prohibit,
    Throw,
}

/// <summary>One path of an ECMP route: a gateway on the route's interface and its share of flows (1..256).</summary>
internal sealed record NextHopSpec(IPAddress Via, int Weight);
