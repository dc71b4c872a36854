using System.Net;
using System.Net.Sockets;
using Netlink.Rtnetlink;
using Netlink.Transport;

namespace Netlink;

public sealed partial class NetlinkHandle
{
    /// <summary>Adds a route (NLM_F_EXCL: EEXIST if an equal one exists, even with another gateway at the same metric).</summary>
    public void AddRoute(Route route, CancellationToken cancellationToken = default) => ChangeRoute(route, Change.Add, cancellationToken);

    /// <summary>Adds a route or replaces the one with the same destination, table and metric: the idempotent form.</summary>
    public void ReplaceRoute(Route route, CancellationToken cancellationToken = default) => ChangeRoute(route, Change.Replace, cancellationToken);

    /// <summary>Deletes the route matching destination, gateway, output link, metric and table (any protocol, scope and type).</summary>
    public void DeleteRoute(Route route, CancellationToken cancellationToken = default) => _channel.Execute(RouteRequest(route, Change.Delete), cancellationToken);

    /// <summary>Lists routes of one family (or both) in one table (<see cref="RouteTables.Main"/> unless told; null for all tables).</summary>
    public IReadOnlyList<Route> ListRoutes(AddressFamily? family = null, uint? table = RouteTables.Main, CancellationToken cancellationToken = default) => Described(() => "list routes", () =>
        Decode(DumpConsistently(() => RouteMessages.Dump(family, table), Rtnl.NewRoute, () => "list routes", cancellationToken),
            RouteMessages.Decode,
            route => (table is null || route.Table == table) && (family is null || route.Family == family))); // the kernel filters already when strict checking is on; older kernels ignore the filter

    /// <summary>
    /// Asks the kernel which route it would use for <paramref name="destination"/> (<c>ip route get</c>): the
    /// answer's <see cref="Route.Gateway"/>, <see cref="Route.OutputLinkIndex"/>, <see cref="Route.PreferredSource"/>
    /// (the source address it would pick) and <see cref="Route.Table"/>, for the host prefix of the destination.
    /// The kernel's errno (e.g. ENETUNREACH) when it has no usable route.
    /// </summary>
    public Route GetRoute(IPAddress destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var wanted = Wire.IPBytes.Normalize(destination);
        Func<string> describe = () => $"get route to {wanted}";
        return Described(describe, () => RouteMessages.Decode(_channel.Query(new PendingRequest(RouteMessages.Get(wanted), describe), Rtnl.NewRoute, cancellationToken))
            ?? throw new NetlinkProtocolException("the kernel answered a route lookup with a route of another family"));
    }

    /// <summary>
    /// Adds or replaces a route. An unreachable gateway on a link that is down gets the hint to bring it up: the
    /// link's state is asked for only then, after the request failed and the channel is free again.
    /// </summary>
    private void ChangeRoute(Route route, Change change, CancellationToken cancellationToken)
    {
        try
        {
            _channel.Execute(RouteRequest(route, change), cancellationToken);
        }
        catch (NetlinkException e) when (e.Errno is Errno.ENETUNREACH or Errno.EHOSTUNREACH && route.OutputLinkIndex is { } index)
        {
            if (IsDown(index, cancellationToken))
                e.SpecificHint = ErrorHints.ForRouteOnDownLink(Label(index));
            throw;
        }
    }

    private bool IsDown(int index, CancellationToken cancellationToken)
    {
        try
        {
            return !GetLink(index, cancellationToken).IsUp;
        }
        catch (NetlinkException)
        {
            return false; // no better hint than the general one
        }
    }

    internal PendingRequest RouteRequest(Route route, Change change)
    {
        ArgumentNullException.ThrowIfNull(route);
        var request = change == Change.Delete ? RouteMessages.Delete(route) : RouteMessages.Add(route, replace: change == Change.Replace);
        string? LinkLabel() => route.OutputLinkIndex is { } index ? Label(index) : null;
        return new PendingRequest(request,
            () => (LinkLabel() is { } link ? $"{link}: " : "") + $"{change.ToString().ToLowerInvariant()} route {route.Describe(withLink: false)}",
            error => ErrorHints.ForRoute(error, route, LinkLabel()),
            change.Kind());
    }
}
