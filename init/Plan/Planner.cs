using System.Net;
using System.Net.Sockets;
using Init.Network;
using Init.Spec;

namespace Init.Plan;

/// <summary>
/// Turns a validated spec into the ordered steps of docs/spec.md's "Start-up: the order of work": lo, then each
/// interface (find → stale addresses out → down, rename, MAC → MTU → addresses → up → carrier → DAD → device routes → gateway
/// routes → stale routes out), then hostname, /etc/hosts, /etc/resolv.conf, then the workload's privileges.
/// </summary>
internal static class Planner
{
    /// <summary>The hostname line's address when no interface has one (Debian's convention).</summary>
    private static readonly IPAddress NoInterfaceAddress = IPAddress.Parse("127.0.1.1");

    internal static IReadOnlyList<PlanStep> Plan(InitSpec spec)
    {
        var steps = new List<PlanStep>();
        if (spec.Network is { } network)
        {
            Loopback(network, steps);
            foreach (InterfaceSpec link in network.Interfaces)
                Interface(link, steps);
            LinklessRoutes(network.Routes, steps);
            Rules(network.Rules, steps);
            Files(network, steps);
        }
        Workload(spec.Workload, steps);
        return steps;
    }

    private static void Loopback(NetworkSpec network, List<PlanStep> steps)
    {
        steps.Add(new SetLinkUp(PlannedLink.Loopback));
        foreach (AddressSpec address in network.LoopbackAddresses)
            steps.Add(new AddAddress(PlannedLink.Loopback, address));
    }

    private static void Interface(InterfaceSpec link, List<PlanStep> steps)
    {
        var found = new PlannedLink(link.Match, link.Match.ToString()!);
        bool rename = link.Rename is not null && link.Rename != (link.Match as LinkMatch.ByName)?.Name;
        LinkMatch? asLeftBefore = rename ? new LinkMatch.ByName(link.Rename!)
            : link.Match is LinkMatch.ByMac && link.Mac is { } newMac ? new LinkMatch.ByMac(newMac)
            : null;
        if (link.Wait is LinkWait.Link or LinkWait.Carrier)
            steps.Add(new WaitForLink(found, asLeftBefore, link.WaitTimeout));
        steps.Add(new FindLink(found, asLeftBefore));
        if (link.Flush)
            steps.Add(new FlushAddresses(found, link.Addresses));
        if (rename || link.Mac is not null)
            steps.Add(new SetLinkDown(found)); // older kernels and many drivers refuse both on an UP link (EBUSY)
        if (rename)
            steps.Add(new RenameLink(found, link.Rename!));
        var named = new PlannedLink(link.Match, link.FinalName);
        if (link.Mac is { } mac)
            steps.Add(new SetLinkMac(named, mac));
        if (link.Mtu is { } mtu)
            steps.Add(new SetLinkMtu(named, mtu));
        foreach (AddressSpec address in link.Addresses)
            steps.Add(new AddAddress(named, address));
        steps.Add(new SetLinkUp(named));
        foreach (NeighborSpec neighbor in link.Neighbors)
            steps.Add(new AddNeighbor(named, neighbor)); // after up: taking a link down flushes its neighbours
        if (link.Wait == LinkWait.Carrier)
            steps.Add(new WaitForCarrier(named, link.WaitTimeout));
        List<Cidr> dad = [];
        foreach (AddressSpec address in link.Addresses)
            if (address.Dad)
                dad.Add(address.Address);
        if (dad.Count > 0)
            steps.Add(new WaitForDad(named, dad, link.WaitTimeout));
        // A gateway must be reachable when its route is added: device routes first.
        foreach (RouteSpec route in link.Routes)
            if (!route.HasGateway)
                steps.Add(new AddRoute(named, route));
        foreach (RouteSpec route in link.Routes)
            if (route.HasGateway)
                steps.Add(new AddRoute(named, route));
        if (link.Flush)
            steps.Add(new FlushRoutes(named, link.Routes));
    }

    private static void LinklessRoutes(IReadOnlyList<RouteSpec> routes, List<PlanStep> steps)
    {
        if (routes.Count == 0)
            return;
        foreach (RouteSpec route in routes)
            steps.Add(new AddLinklessRoute(route));
        steps.Add(new FlushLinklessRoutes(routes));
    }

    /// <summary>After every interface: a rule may select a table whose routes go through any of them.</summary>
    private static void Rules(IReadOnlyList<RuleSpec> rules, List<PlanStep> steps)
    {
        if (rules.Count == 0)
            return;
        foreach (RuleSpec rule in rules)
            steps.Add(new AddRule(rule));
        steps.Add(new FlushRules(rules));
    }

    private static void Files(NetworkSpec network, List<PlanStep> steps)
    {
        if (network.Hostname is { } hostname)
        {
            steps.Add(new SetHostname(hostname));
            steps.Add(new WriteFile("/etc/hostname", EtcFiles.Hostname(hostname), hostname));
        }
        if (network.Hosts is { } hosts)
            steps.Add(new WriteHosts(network.Hostname, HostnameAddress(network), hosts.Entries));
        if (network.Dns is { } dns)
            steps.Add(new WriteFile("/etc/resolv.conf", EtcFiles.ResolvConf(dns),
                PlanText.Count(dns.Nameservers.Count, "nameserver", "nameservers")));
    }

    /// <summary>The interfaces' first IPv4 address (else IPv6), where docker puts the container's IP.</summary>
    private static IPAddress HostnameAddress(NetworkSpec network)
    {
        IPAddress? first = null;
        foreach (InterfaceSpec link in network.Interfaces)
            foreach (AddressSpec address in link.Addresses)
            {
                if (address.Address.Family == AddressFamily.InterNetwork)
                    return address.Address.Address;
                first ??= address.Address.Address;
            }
        return first ?? NoInterfaceAddress;
    }

    private static void Workload(WorkloadSpec workload, List<PlanStep> steps)
    {
        if (workload.DropCapabilities.Count > 0)
            steps.Add(new DropCapabilities(workload.DropCapabilities));
        if (workload.User is { } user)
            steps.Add(new SwitchUser(user));
        if (workload.NoNewPrivileges)
            steps.Add(new SetNoNewPrivileges());
    }
}
