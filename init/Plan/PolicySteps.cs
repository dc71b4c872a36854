using Init.Network;
using Init.Spec;

namespace Init.Plan;

// The plan's steps for what goes beyond one link's addresses and routes: waiting for a link to appear,
// permanent neighbours and policy rules (docs/spec.md, "Start-up: the order of work").

/// <summary>
/// Wait until a link matching <paramref name="Link"/> (or <paramref name="AsLeftBefore"/>, as <see cref="FindLink"/>)
/// exists: watched through link events, subscribed before the first look so none is missed.
/// </summary>
internal sealed record WaitForLink(PlannedLink Link, LinkMatch? AsLeftBefore, TimeSpan Timeout) : PlanStep
{
    internal override string Describe() => $"wait for link {FindLink.Words(Link.Match)} to appear (up to {Duration.Format(Timeout)})";
}

/// <summary>Create-or-replace a permanent entry: the link never resolves this address.</summary>
internal sealed record AddNeighbor(PlannedLink Link, NeighborSpec Neighbor) : PlanStep
{
    internal override string Describe() =>
        $"{Link.Name}: add neighbour {Neighbor.Address} lladdr {TextRules.FormatMac(Neighbor.Mac)} permanent";
}

/// <summary>Create-or-replace a route through no link: blackhole, unreachable, prohibit or throw.</summary>
internal sealed record AddLinklessRoute(RouteSpec Route) : PlanStep
{
    internal override string Describe() =>
        $"add route {Route.Kind.ToString().ToLowerInvariant()} {(Route.IsDefault ? "default" : Route.To)}"
        + (Route.Table == RouteSpec.MainTable ? "" : $" table {(Route.Table == RouteSpec.LocalTable ? "local" : Route.Table)}")
        + (Route.Metric is { } metric ? $" metric {metric}" : "")
        + " proto static";
}

/// <summary>Remove our (proto static) blackhole, unreachable, prohibit and throw routes that the spec does not list.</summary>
internal sealed record FlushLinklessRoutes(IReadOnlyList<RouteSpec> Routes) : PlanStep
{
    internal override string Describe() => "remove blackhole, unreachable, prohibit and throw routes marked proto static that the spec does not list";
}

/// <summary>Added unless an equal rule of ours (proto static) is there: the kernel has no replace for rules.</summary>
internal sealed record AddRule(RuleSpec Rule) : PlanStep
{
    internal override string Describe() => $"add {TextRules.FamilyName(Rule.Family)} rule {NetlinkRequests.Rule(Rule)}";
}

/// <summary>
/// Remove the rules marked proto static (ours) that <paramref name="Rules"/> does not list. The kernel's own
/// rules (priorities 0, 32766, 32767) and every rule with another protocol stay.
/// </summary>
internal sealed record FlushRules(IReadOnlyList<RuleSpec> Rules) : PlanStep
{
    internal override string Describe() => "remove rules marked proto static that the spec does not list";
}
