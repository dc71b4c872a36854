using System.Net;
using System.Net.Sockets;
using Init.Spec;
using Netlink;

namespace Init.Network;

/// <summary>
/// What <c>flush = true</c> removes from a link: whatever is on it that the spec does not list, except what
/// the kernel made itself (the IPv6 link-local address, prefix and local routes: proto kernel).
/// </summary>
internal static class Convergence
{
    /// <summary>
    /// Addresses to remove, secondaries first: with net.ipv4.conf.*.promote_secondaries = 0 (the default in
    /// a new namespace) removing a primary takes its secondaries with it.
    /// </summary>
    internal static IReadOnlyList<InterfaceAddress> StaleAddresses(IEnumerable<InterfaceAddress> present, IReadOnlyList<AddressSpec> listed)
    {
        List<InterfaceAddress> secondaries = [], primaries = [];
        foreach (InterfaceAddress address in present)
            if (!IsKernelLinkLocal(address) && !Listed(address, listed, Same))
                (address.Flags.HasFlag(AddressFlags.Secondary) ? secondaries : primaries).Add(address);
        secondaries.AddRange(primaries);
        return secondaries;
    }

    /// <summary>Routes through the link, in any table, that are neither the kernel's nor listed.</summary>
    internal static IReadOnlyList<Route> StaleRoutes(IEnumerable<Route> present, int linkIndex, IReadOnlyList<RouteSpec> listed)
    {
        List<Route> stale = [];
        foreach (Route route in present)
            if (Through(route, linkIndex) && route.Protocol != RouteProtocol.Kernel && !Listed(route, listed, Same))
                stale.Add(route);
        return stale;
    }

    private static bool Through(Route route, int linkIndex)
    {
        if (route.OutputLinkIndex == linkIndex)
            return true;
        foreach (NextHop hop in route.NextHops ?? [])
            if (hop.OutputLinkIndex == linkIndex)
                return true;
        return false;
    }

    /// <summary>
    /// Our routes (proto static) through no link (blackhole, unreachable, prohibit, throw) that the top-level
    /// [[route]]s do not list; the kernel's and others' stay.
    /// </summary>
    internal static IReadOnlyList<Route> StaleLinklessRoutes(IEnumerable<Route> present, IReadOnlyList<RouteSpec> listed)
    {
        List<Route> stale = [];
        foreach (Route route in present)
            if (route.Protocol == RouteProtocol.Static
                && route.Type is RouteType.Blackhole or RouteType.Unreachable or RouteType.Prohibit or RouteType.Throw
                && !Listed(route, listed, Same))
                stale.Add(route);
        return stale;
    }

    /// <summary>The rules marked ours (proto static) that the spec does not list; the kernel's own are never ours.</summary>
    internal static IReadOnlyList<Rule> StaleRules(IEnumerable<Rule> present, IReadOnlyList<RuleSpec> listed)
    {
        List<Rule> stale = [];
        foreach (Rule rule in present)
            if (rule.Protocol == RouteProtocol.Static && !Listed(rule, listed, Same))
                stale.Add(rule);
        return stale;
    }

    /// <summary>Whether the spec lists an equal of <paramref name="present"/>.</summary>
    private static bool Listed<TPresent, TSpec>(TPresent present, IReadOnlyList<TSpec> listed, Func<TPresent, TSpec, bool> same)
    {
        foreach (TSpec wanted in listed)
            if (same(present, wanted))
                return true;
        return false;
    }

    /// <summary>
    /// A rule as the kernel reports it equals the spec's: every selector, the action and the table. The kernel
    /// reports a mark without a mask with the mask it compares (all 32 bits).
    /// </summary>
    internal static bool Same(Rule present, RuleSpec wanted)
    {
        Rule sent = NetlinkRequests.Rule(wanted);
        return present.Family == sent.Family && present.Priority == sent.Priority
            && Equals(present.Source, sent.Source) && Equals(present.Destination, sent.Destination)
            && present.InputInterface == sent.InputInterface && present.OutputInterface == sent.OutputInterface
            && (present.FirewallMark ?? 0) == (sent.FirewallMark ?? 0)
            && (present.FirewallMask ?? 0) == (sent.FirewallMask ?? (sent.FirewallMark is null ? 0 : uint.MaxValue))
            && present.Action == sent.Action && present.EffectiveTable == sent.EffectiveTable
            && !present.Invert && present.GotoPriority is null && present.SuppressPrefixLength is null;
    }

    /// <summary>
    /// IPv6 link-local (fe80::/10): the kernel makes one when the link comes up and IPv6 neighbour discovery
    /// needs it. It carries the same PERMANENT flag as a configured address, so every link-local one stays.
    /// </summary>
    private static bool IsKernelLinkLocal(InterfaceAddress address) =>
        address.Family == AddressFamily.InterNetworkV6 && address.Address.IsIPv6LinkLocal;

    /// <summary>The kernel's identity of an address: local address, prefix length and peer.</summary>
    private static bool Same(InterfaceAddress present, AddressSpec wanted) =>
        present.Address.Equals(wanted.Address.Address)
        && present.PrefixLength == wanted.Address.PrefixLength
        && Equals(present.Peer, wanted.Peer?.Address);

    /// <summary>
    /// The kernel's identity of a route (destination, table, metric) plus its type and gateway(s): after a
    /// replace, the route with the spec's key is ours. ECMP paths compare as a set (the kernel may report them
    /// in another order).
    /// </summary>
    internal static bool Same(Route present, RouteSpec wanted)
    {
        Route sent = NetlinkRequests.Route(wanted, linkIndex: null);
        return present.Destination.Equals(wanted.To)
            && present.Table == wanted.Table
            && NetlinkRequests.EffectiveMetric(present.Metric, present.Family)
                == NetlinkRequests.EffectiveMetric(wanted.Metric, wanted.To.BaseAddress.AddressFamily)
            && present.Type == sent.Type
            && Equals(present.Gateway, wanted.Via)
            && SameGateways(present.NextHops ?? [], wanted.NextHops);
    }

    /// <summary>The same set of next-hop gateways, in any order (the kernel may report them in its own).</summary>
    private static bool SameGateways(IReadOnlyList<NextHop> present, IReadOnlyList<NextHopSpec> wanted)
    {
        var gateways = new HashSet<IPAddress?>();
        foreach (NextHop hop in present)
            gateways.Add(hop.Gateway);
        var wantedGateways = new HashSet<IPAddress?>();
        foreach (NextHopSpec hop in wanted)
            wantedGateways.Add(hop.Via);
        return gateways.SetEquals(wantedGateways);
    }
}
