using System.Net.Sockets;
using Init.Logging;
using Init.Spec;
using Netlink;

namespace Init.Network;

/// <summary>
/// Runs the plan's network and /etc steps in order over one netlink handle, converging what is already there:
/// every change is a replace, a link already in the wanted state is left alone, and <c>flush</c> removes what
/// the spec does not list. The workload's privilege steps are not run here: the caller applies them when it
/// spawns the workload. Every failure is a <see cref="NetworkSetupException"/>.
/// <para>
/// <paramref name="cancellation"/> (a stop request) ends the run between steps and inside any netlink call or wait,
/// as <see cref="OperationCanceledException"/>: the steps done so far stay done, none is started after it, and a
/// change whose reply was still awaited may or may not have been applied by the kernel.
/// </para>
/// </summary>
internal sealed class PlanExecutor(NetlinkHandle netlink, string root, IReadOnlyList<PlanStep> plan, CancellationToken cancellation)
{
    /// <summary>The link index each interface resolved to, by how the plan matches it.</summary>
    private readonly Dictionary<LinkMatch, int> _indexes = [];

    internal void Run()
    {
        foreach (PlanStep step in plan)
        {
            cancellation.ThrowIfCancellationRequested();
            Run(step);
        }
    }

    private void Run(PlanStep step)
    {
        switch (step)
        {
            case FindLink find: Find(find); break;
            case SetLinkDown down: Change(down, down.Link, link => link.IsUp && NeedsDown(down.Link, link), () => netlink.SetLinkDown(Index(down.Link), cancellation)); break;
            case RenameLink rename: Change(rename, rename.Link, link => link.Name != rename.NewName, () => netlink.RenameLink(Index(rename.Link), rename.NewName, cancellation)); break;
            case SetLinkMac mac: Change(mac, mac.Link, link => !mac.Mac.Equals(link.MacAddress), () => netlink.SetMacAddress(Index(mac.Link), mac.Mac, cancellation)); break;
            case SetLinkMtu mtu: Change(mtu, mtu.Link, link => link.Mtu != mtu.Mtu, () => netlink.SetMtu(Index(mtu.Link), (uint)mtu.Mtu, cancellation)); break;
            case SetLinkUp up: Change(up, up.Link, link => !link.IsUp, () => netlink.SetLinkUp(Index(up.Link), cancellation)); break;
            case AddAddress add: Do(add.Describe(), () => netlink.ReplaceAddress(Index(add.Link), NetlinkRequests.Address(add.Address), cancellation), Ipv6Hint(add.Link, add.Address.Address.Family)); break;
            case WaitForCarrier carrier: WaitForCarrier(carrier); break;
            case WaitForDad dad: WaitForDad(dad); break;
            case AddRoute route: Do(route.Describe(), () => netlink.ReplaceRoute(NetlinkRequests.Route(route.Route, Index(route.Link)), cancellation), RouteHint(route)); break;
            case FlushAddresses flush: FlushAddresses(flush); break;
            case FlushRoutes flush: FlushRoutes(flush); break;
            case SetHostname hostname: SetHostname(hostname); break;
            case WriteFile file: Write(file.Describe(), file.Path, file.Content); break;
            case WriteHosts hosts: Write(hosts.Describe(), WriteHosts.Path, EtcFiles.Hosts(hosts.Hostname ?? Hostname.Current(), hosts.HostnameAddress, hosts.Entries)); break;
            case DropCapabilities or SwitchUser or SetNoNewPrivileges: break; // the workload's: applied at spawn by the caller
            default: throw new InvalidOperationException($"no executor for plan step {step.GetType().Name}");
        }
    }

    private void Find(FindLink find)
    {
        Link link = Query(find.Describe(), () => Lookup(find.Link.Match) ?? (find.AsLeftBefore is { } before ? Lookup(before) : null))
            ?? throw SetupErrors.NoSuchLink(find.Link.Name, Query("list links", () => netlink.ListLinks(cancellation)).Select(present =>
                find.Link.Match is LinkMatch.ByMac && present.MacAddress is { } mac ? $"{present.Name} ({TextRules.FormatMac(mac)})" : present.Name));
        _indexes[find.Link.Match] = link.Index;
        Log.Info($"{find.Link.Name}: is link {link.Index} ({link.Name}" + (link.MacAddress is { } mac ? $", mac {TextRules.FormatMac(mac)})" : ")"));
    }

    /// <summary>Secondaries first; one already gone (its primary took it along) is fine.</summary>
    private void FlushAddresses(FlushAddresses flush)
    {
        int index = Index(flush.Link);
        IReadOnlyList<InterfaceAddress> present = Query($"{flush.Link.Name}: list addresses", () => netlink.ListAddresses(index, cancellationToken: cancellation));
        foreach (InterfaceAddress stale in Convergence.StaleAddresses(present, flush.Addresses))
            Do($"{flush.Link.Name}: remove address {stale} (not in the spec)", () => Tolerating(Errno.EADDRNOTAVAIL, () => netlink.DeleteAddress(index, stale, cancellation)));
    }

    private Link? Lookup(LinkMatch match) => match switch
    {
        LinkMatch.ByName byName => netlink.FindLink(byName.Name, cancellation),
        LinkMatch.ByMac byMac => netlink.FindLinkByMacAddress(byMac.Mac, cancellation),
        _ => throw new InvalidOperationException($"unknown link match {match}"),
    };

    /// <summary>Down is only worth it when a rename or MAC change follows that changes something.</summary>
    private bool NeedsDown(PlannedLink planned, Link link) => plan.Any(step => step switch
    {
        RenameLink rename => rename.Link.Match == planned.Match && rename.NewName != link.Name,
        SetLinkMac mac => mac.Link.Match == planned.Match && !mac.Mac.Equals(link.MacAddress),
        _ => false,
    });

    /// <summary>A link change made only when <paramref name="needed"/> says the link is not already so.</summary>
    private void Change(PlanStep step, PlannedLink planned, Func<Link, bool> needed, Action change)
    {
        Link link = Query(step.Describe(), () => netlink.GetLink(Index(planned), cancellation));
        if (needed(link))
            Do(step.Describe(), change, error => step is SetLinkMtu && error.Errno == Errno.EINVAL && link.MinMtu is { } min && link.MaxMtu is { } max
                ? $"{link.Name} accepts an MTU from {min} to {max}"
                : null);
        else
            Log.Debug($"{step.Describe()}: already so");
    }

    private void WaitForCarrier(WaitForCarrier wait) => Do(wait.Describe(), () =>
    {
        try
        {
            netlink.WaitForCarrier(Index(wait.Link), wait.Timeout, cancellation);
        }
        catch (NetlinkTimeoutException)
        {
            throw SetupErrors.TimedOut($"{wait.Link.Name}: wait for carrier", wait.Timeout,
                $"{wait.Link.Name} is up but has no carrier: the other end (veth peer, bridge port, cable) is down or missing. "
                + "Raise wait_timeout, or set wait = \"none\"");
        }
    });

    /// <summary>
    /// One deadline for all of the link's DAD addresses, on the monotonic clock: a VM's wall clock may be stepped
    /// at boot, exactly while the init waits.
    /// </summary>
    private void WaitForDad(WaitForDad wait) => Do(wait.Describe(), () =>
    {
        long start = Environment.TickCount64;
        foreach (Cidr address in wait.Addresses)
        {
            TimeSpan left = wait.Timeout - TimeSpan.FromMilliseconds(Environment.TickCount64 - start);
            try
            {
                netlink.WaitForAddressReady(Index(wait.Link), address.Address, left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1), cancellation);
            }
            catch (NetlinkTimeoutException)
            {
                throw SetupErrors.TimedOut($"{wait.Link.Name}: wait for DAD on {address}", wait.Timeout,
                    $"{address} is still tentative: duplicate address detection needs carrier and takes about "
                    + "net.ipv6.conf.*.dad_transmits seconds. Raise wait_timeout, or set dad = false");
            }
        }
    });

    private void FlushRoutes(FlushRoutes flush)
    {
        int index = Index(flush.Link);
        IReadOnlyList<Route> routes = Query($"{flush.Link.Name}: list routes", () => netlink.ListRoutes(family: null, table: null, cancellation));
        foreach (Route stale in Convergence.StaleRoutes(routes, index, flush.Routes))
            Do($"{flush.Link.Name}: remove route {stale} proto {stale.Protocol.ToString().ToLowerInvariant()} (not in the spec)",
                () => Tolerating(Errno.ESRCH, () => netlink.DeleteRoute(stale, cancellation)));
    }

    private static void SetHostname(SetHostname step)
    {
        if (Hostname.Set(step.Hostname))
            Log.Info(step.Describe());
        else
            Log.Debug($"{step.Describe()}: already so");
    }

    private void Write(string description, string path, string content)
    {
        Log.Info(description);
        InPlaceFile.Write(root, path, content);
    }

    /// <summary>The kernel's index for a link: found by <see cref="Find"/>, or looked up by name (lo has no find step).</summary>
    private int Index(PlannedLink link)
    {
        if (!_indexes.TryGetValue(link.Match, out int index))
            _indexes[link.Match] = index = netlink.GetLink(((LinkMatch.ByName)link.Match).Name, cancellation).Index;
        return index;
    }

    private static Func<NetlinkException, string?> RouteHint(AddRoute step) => error =>
        (error.Errno, step.Route.Via) switch
        {
            (Errno.ENETUNREACH or Errno.EHOSTUNREACH, { } via) =>
                $"{via} is not inside any address prefix on {step.Link.Name}; set onlink = true on this route if the gateway is on the link",
            _ => Ipv6Hint(step.Link, step.Route.To.BaseAddress.AddressFamily)(error),
        };

    /// <summary>The kernel answers EACCES to IPv6 on a link where it is disabled, which docker does unless the network has IPv6.</summary>
    private static Func<NetlinkException, string?> Ipv6Hint(PlannedLink link, AddressFamily family) => error =>
        error.Errno == Errno.EACCES && family == AddressFamily.InterNetworkV6
            ? $"IPv6 is disabled on {link.Name} (docker disables it unless the network has IPv6): "
              + "docker run --sysctl net.ipv6.conf.all.disable_ipv6=0, or remove the IPv6 addresses and routes from the spec"
            : null;

    /// <summary>An operation that may find its object already gone (a cascade removed it): that is the goal too.</summary>
    private static void Tolerating(int errno, Action action)
    {
        try
        {
            action();
        }
        catch (NetlinkException error) when (error.Errno == errno)
        {
        }
    }

    /// <summary>Logs a change and makes it; a netlink failure becomes the setup error that names it.</summary>
    private static void Do(string operation, Action change, Func<NetlinkException, string?>? hint = null)
    {
        Log.Info(operation);
        Query<object?>(operation, () => { change(); return null; }, hint);
    }

    /// <summary>Runs a read (or a step's inner part); a netlink failure becomes the setup error that names it.</summary>
    private static T Query<T>(string operation, Func<T> action, Func<NetlinkException, string?>? hint = null)
    {
        try
        {
            return action();
        }
        catch (NetlinkException error)
        {
            throw SetupErrors.Netlink(operation, error, hint?.Invoke(error));
        }
    }
}
