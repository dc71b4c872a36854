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
    internal static IReadOnlyList<InterfaceAddress> StaleAddresses(IEnumerable<InterfaceAddress> present, IReadOnlyList<AddressSpec> listed) =>
        [.. present
            .Where(address => !IsKernelLinkLocal(address) && !listed.Any(wanted => Same(address, wanted)))
            .OrderByDescending(address => address.Flags.HasFlag(AddressFlags.Secondary))];

    /// <summary>Routes through the link, in any table, that are neither the kernel's nor listed.</summary>
    internal static IReadOnlyList<Route> StaleRoutes(IEnumerable<Route> present, int linkIndex, IReadOnlyList<RouteSpec> listed) =>
        [.. present.Where(route => route.OutputLinkIndex == linkIndex
            && route.Protocol != RouteProtocol.Kernel
            && !listed.Any(wanted => Same(route, wanted)))];

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
    /// The kernel's identity of a route (destination, table, metric) plus the gateway: after a replace, the
    /// route with the spec's key is ours.
    /// </summary>
    private static bool Same(Route present, RouteSpec wanted) =>
        present.Destination.Equals(wanted.To)
        && present.Table == wanted.Table
        && NetlinkRequests.EffectiveMetric(present.Metric, present.Family)
            == NetlinkRequests.EffectiveMetric(wanted.Metric, wanted.To.BaseAddress.AddressFamily)
        && Equals(present.Gateway, wanted.Via);
}
