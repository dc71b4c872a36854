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
    IReadOnlyList<InterfaceSpec> Interfaces);

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
}
