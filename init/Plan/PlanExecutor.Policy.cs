using Init.Interop;
using Init.Logging;
using Init.Network;
using Netlink;

namespace Init.Plan;

/// <summary>The executor's waits for late links, and its convergence of policy rules (which have no replace).</summary>
internal sealed partial class PlanExecutor
{
    /// <summary>
    /// Subscribes to link events before the first look, then looks again after each event (or loss of events):
    /// a link moved in between the two is never missed, and nothing polls. The stop token ends the wait.
    /// </summary>
    private void WaitForLink(WaitForLink wait) => Do(wait.Describe, () =>
    {
        using NetlinkEvents events = netlink.SubscribeEvents(EventGroups.Links);
        long deadline = Environment.TickCount64 + (long)wait.Timeout.TotalMilliseconds;
        while (Lookup(wait.Link.Match) is null && (wait.AsLeftBefore is not { } before || Lookup(before) is null))
        {
            long left = deadline - Environment.TickCount64;
            if (left <= 0)
                throw SetupErrors.TimedOut($"{wait.Link.Name}: wait for the link", wait.Timeout,
                    $"no link {wait.Link.Name} appeared: attach the network (docker network connect, the CNI plugin, the NIC) "
                    + "within wait_timeout, or raise it");
            events.Read(TimeSpan.FromMilliseconds(left), cancellation);
        }
    });

    private void AddNeighbor(AddNeighbor neighbor) =>
        Do(neighbor.Describe, () => netlink.ReplaceNeighbor(Index(neighbor.Link), NetlinkRequests.Neighbor(neighbor.Neighbor), cancellation),
            error => SetupErrors.Ipv6Hint(error, neighbor.Link.Name, neighbor.Neighbor.Address.AddressFamily));

    private void AddLinklessRoute(AddLinklessRoute route) =>
        Do(route.Describe, () => netlink.ReplaceRoute(NetlinkRequests.Route(route.Route, linkIndex: null), cancellation));

    /// <summary>Skipped when an equal rule of ours is already there (a re-run); another's equal rule is left to it.</summary>
    private void AddRule(AddRule step)
    {
        IReadOnlyList<Rule> present = Query(() => "list rules", () => netlink.ListRules(step.Rule.Family, cancellation));
        foreach (Rule rule in present)
            if (rule.Protocol == RouteProtocol.Static && Convergence.Same(rule, step.Rule))
            {
                Log.Debug($"{step.Describe()}: already so");
                return;
            }
        Do(step.Describe, () => netlink.AddRule(NetlinkRequests.Rule(step.Rule), cancellation));
    }

    private void FlushLinklessRoutes(FlushLinklessRoutes flush)
    {
        IReadOnlyList<Route> present = Query(() => "list routes", () => netlink.ListRoutes(family: null, table: null, cancellation));
        foreach (Route stale in Convergence.StaleLinklessRoutes(present, flush.Routes))
            Do(() => $"remove route {stale} proto static (not in the spec)", () => Tolerating(Errno.ESRCH, () => netlink.DeleteRoute(stale, cancellation)));
    }

    private void FlushRules(FlushRules flush)
    {
        IReadOnlyList<Rule> present = Query(() => "list rules", () => netlink.ListRules(family: null, cancellation));
        foreach (Rule stale in Convergence.StaleRules(present, flush.Rules))
            Do(() => $"remove rule {stale} (not in the spec)", () => Tolerating(LibcErrno.ENOENT, () => netlink.DeleteRule(stale, cancellation)));
    }
}
