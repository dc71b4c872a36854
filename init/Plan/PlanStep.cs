using System.Net;
using System.Net.NetworkInformation;
using Init.Network;
using Init.Spec;

namespace Init.Plan;

// The plan: every change init makes before it starts the workload, in order, as data. The apply executes
// these records; --check prints Describe() of each, one per line, in iproute2's words.

/// <summary>One change, or one wait, of the start-up.</summary>
internal abstract record PlanStep
{
    internal abstract string Describe();
}

/// <summary>
/// The link a step acts on. <paramref name="Match"/> is how the apply finds it (and its key for the link's
/// index once found: the spec has no two interfaces with the same match); <paramref name="Name"/> is what
/// messages call it at that point of the plan (the new name after a rename).
/// </summary>
internal sealed record PlannedLink(LinkMatch Match, string Name)
{
    internal static PlannedLink Loopback { get; } = new(new LinkMatch.ByName("lo"), "lo");
}

/// <summary>
/// Look the link up by <see cref="PlannedLink.Match"/>; if nothing matches, by <paramref name="AsLeftBefore"/>:
/// how an earlier run of the same spec left it (renamed, or given its new MAC), so applying twice converges.
/// </summary>
internal sealed record FindLink(PlannedLink Link, LinkMatch? AsLeftBefore) : PlanStep
{
    internal override string Describe() =>
        $"find link {Words(Link.Match)}" + (AsLeftBefore is { } before ? $" (or {Words(before)}, as a previous run left it)" : "");

    internal static string Words(LinkMatch match) => match switch
    {
        LinkMatch.ByMac byMac => $"with mac {TextRules.FormatMac(byMac.Mac)}",
        _ => match.ToString()!,
    };
}

internal sealed record SetLinkDown(PlannedLink Link) : PlanStep
{
    internal override string Describe() => $"{Link.Name}: set down";
}

internal sealed record SetLinkUp(PlannedLink Link) : PlanStep
{
    internal override string Describe() => $"{Link.Name}: set up";
}

internal sealed record RenameLink(PlannedLink Link, string NewName) : PlanStep
{
    internal override string Describe() => $"{Link.Name}: rename to {NewName}";
}

internal sealed record SetLinkMac(PlannedLink Link, PhysicalAddress Mac) : PlanStep
{
    internal override string Describe() => $"{Link.Name}: set address {TextRules.FormatMac(Mac)}";
}

internal sealed record SetLinkMtu(PlannedLink Link, int Mtu) : PlanStep
{
    internal override string Describe() => $"{Link.Name}: set mtu {Mtu}";
}

/// <summary>Create-or-replace, so an address the runtime already set is not an error.</summary>
internal sealed record AddAddress(PlannedLink Link, AddressSpec Address) : PlanStep
{
    internal override string Describe() =>
        $"{Link.Name}: add address {Address.Address}"
        + (Address.Peer is { } peer ? $" peer {peer}" : "")
        + (Address.Broadcast is { } broadcast ? $" broadcast {broadcast}" : "")
        + (Address.NoDad ? " nodad" : "");
}

internal sealed record WaitForCarrier(PlannedLink Link, TimeSpan Timeout) : PlanStep
{
    internal override string Describe() => $"{Link.Name}: wait for carrier (up to {Duration.Format(Timeout)})";
}

/// <summary>Wait until none of <paramref name="Addresses"/> is tentative any more (or DAD failed: an error).</summary>
internal sealed record WaitForDad(PlannedLink Link, IReadOnlyList<Cidr> Addresses, TimeSpan Timeout) : PlanStep
{
    internal override string Describe() =>
        $"{Link.Name}: wait for DAD on {string.Join(", ", Addresses)} (up to {Duration.Format(Timeout)})";
}

/// <summary>Create-or-replace. Routes carry protocol "static", so init's own routes are recognisable.</summary>
internal sealed record AddRoute(PlannedLink Link, RouteSpec Route) : PlanStep
{
    internal override string Describe()
    {
        RouteSpec r = Route;
        string to = r.IsDefault ? "default" : r.To.ToString();
        return $"{Link.Name}: add route {to}"
            + (r.Via is { } via ? $" via {via}" : "")
            + NextHopsText(r.NextHops)
            + (r.Table == RouteSpec.MainTable ? "" : $" table {(r.Table == RouteSpec.LocalTable ? "local" : r.Table)}")
            + (r.Metric is { } metric ? $" metric {metric}" : "")
            + (r.Source is { } source ? $" src {source}" : "")
            + (r.Scope switch
            {
                RouteScope.Global => " scope global",
                RouteScope.Link => " scope link",
                RouteScope.Host => " scope host",
                _ => "",
            })
            + (r.OnLink ? " onlink" : "")
            + (r.Mtu is { } mtu ? $" mtu {mtu}" : "")
            + (r.AdvertisedMss is { } mss ? $" advmss {mss}" : "")
            + " proto static";
    }

    private static string NextHopsText(IReadOnlyList<NextHopSpec> hops)
    {
        string text = "";
        foreach (NextHopSpec hop in hops)
            text += $" nexthop via {hop.Via} weight {hop.Weight}";
        return text;
    }
}

/// <summary>
/// Remove the link's addresses that are not in <paramref name="Addresses"/>; IPv6 link-local addresses stay.
/// Planned right after the link is found, before any of the spec's addresses and routes exist: removing a primary
/// IPv4 address takes its secondaries with it, and the link's last one its IPv4 routes, so the only things the
/// kernel can take along are re-added afterwards.
/// </summary>
internal sealed record FlushAddresses(PlannedLink Link, IReadOnlyList<AddressSpec> Addresses) : PlanStep
{
    internal override string Describe() => $"{Link.Name}: remove addresses the spec does not list (IPv6 link-local stays)";
}

/// <summary>
/// Remove the routes through the link, in any table, that are not in <paramref name="Routes"/>; kernel routes stay.
/// Planned last: by then a replace has taken over, in place, a runtime's route with the same destination and metric.
/// </summary>
internal sealed record FlushRoutes(PlannedLink Link, IReadOnlyList<RouteSpec> Routes) : PlanStep
{
    internal override string Describe() => $"{Link.Name}: remove routes the spec does not list (kernel routes stay)";
}

internal sealed record SetHostname(string Hostname) : PlanStep
{
    internal override string Describe() => $"set hostname {Hostname}";
}

/// <summary>Files are written in place: docker bind-mounts them, a rename over them would fail or be lost.</summary>
internal sealed record WriteFile(string Path, string Content, string Summary) : PlanStep
{
    internal override string Describe() => $"write {Path} ({Summary})";
}

/// <summary>
/// /etc/hosts; rendered by <see cref="EtcFiles.Hosts"/> at apply time because, when the spec sets no hostname,
/// the hostname line uses the kernel's (<paramref name="Hostname"/> null).
/// </summary>
internal sealed record WriteHosts(string? Hostname, IPAddress HostnameAddress, IReadOnlyList<HostEntry> Entries) : PlanStep
{
    internal const string Path = "/etc/hosts";

    internal override string Describe() =>
        $"write {Path} ({PlanText.Count(Entries.Count, "entry", "entries")}, {Hostname ?? "the current hostname"} at {HostnameAddress})";
}

/// <summary>Removed from every capability set of the workload; "ALL" is every capability.</summary>
internal sealed record DropCapabilities(IReadOnlyList<string> Names) : PlanStep
{
    internal override string Describe() =>
        Names is [Capabilities.All] ? "workload: drop all capabilities" : $"workload: drop capabilities {string.Join(", ", Names)}";
}

internal sealed record SwitchUser(string User) : PlanStep
{
    internal override string Describe() => $"workload: run as user {User}";
}

internal sealed record SetNoNewPrivileges : PlanStep
{
    internal override string Describe() => "workload: set no_new_privs";
}

internal static class PlanText
{
    internal static string Count(int count, string one, string many) => $"{count} {(count == 1 ? one : many)}";
}
