using Init.Logging;
using Init.Network;
using Init.Spec;
using Netlink;

namespace Init.Plan;

/// <summary>
/// Runs the plan's network and /etc steps in order over one netlink handle, converging what is already there:
/// every change is a replace, a link already in the wanted state is left alone, and <c>flush</c> removes what
/// the spec does not list. The workload's privilege steps are not run here: the caller applies them when it
/// spawns the workload. Every failure is a <see cref="NetworkSetupException"/> (exit status 3).
/// <para>
/// <paramref name="cancellation"/> (a stop request) ends the run between steps and inside any netlink call or wait,
/// as <see cref="OperationCanceledException"/>: the steps done so far stay done, none is started after it, and a
/// change whose reply was still awaited may or may not have been applied by the kernel.
/// </para>
/// </summary>
internal sealed partial class PlanExecutor(NetlinkHandle netlink, string root, IReadOnlyList<PlanStep> plan, CancellationToken cancellation)
{
    /// <summary>
    /// Each interface the plan has resolved, by how it matches it: the link as last read from the kernel. A link step
    /// checks that state instead of asking again; a change made here marks it stale (<see cref="KnownLink.Fresh"/>).
    /// </summary>
    private readonly Dictionary<LinkMatch, KnownLink> _links = [];

    private sealed class KnownLink(Link link)
    {
        internal Link Link { get; set; } = link;

        /// <summary>False once a step here changed the link: its state is then read again before the next check.</summary>
        internal bool Fresh { get; set; } = true;
    }

    /// <summary>Plans <paramref name="spec"/> and applies it to the init's own network namespace and root.</summary>
    internal static void Apply(InitSpec spec, CancellationToken cancellation)
    {
        NetlinkHandle netlink;
        try
        {
            netlink = NetlinkHandle.Open();
        }
        catch (NetlinkException error)
        {
            throw SetupErrors.Netlink("open a netlink socket", error);
        }
        using (netlink)
            Apply(spec, netlink, "/", cancellation);
    }

    /// <summary>Plans and applies to the namespace <paramref name="netlink"/> talks to, writing files below <paramref name="root"/>.</summary>
    internal static void Apply(InitSpec spec, NetlinkHandle netlink, string root, CancellationToken cancellation = default) =>
        new PlanExecutor(netlink, root, Planner.Plan(spec), cancellation).Run();

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
            case SetLinkDown down: SetDown(down); break;
            case RenameLink rename: Rename(rename); break;
            case SetLinkMac mac: SetMac(mac); break;
            case SetLinkMtu mtu: SetMtu(mtu); break;
            case SetLinkUp up: SetUp(up); break;
            case AddAddress add: AddAddress(add); break;
            case WaitForCarrier carrier: WaitForCarrier(carrier); break;
            case WaitForDad dad: WaitForDad(dad); break;
            case AddRoute route: AddRoute(route); break;
            case FlushAddresses flush: FlushAddresses(flush); break;
            case FlushRoutes flush: FlushRoutes(flush); break;
            case SetHostname hostname: SetHostname(hostname); break;
            case WriteFile file: Write(file.Describe(), file.Path, file.Content); break;
            case WriteHosts hosts: Write(hosts); break;
            case WaitForLink wait: WaitForLink(wait); break;
            case AddNeighbor neighbor: AddNeighbor(neighbor); break;
            case AddRule rule: AddRule(rule); break;
            case AddLinklessRoute route: AddLinklessRoute(route); break;
            case FlushLinklessRoutes flush: FlushLinklessRoutes(flush); break;
            case FlushRules flush: FlushRules(flush); break;
            case DropCapabilities or SwitchUser or SetNoNewPrivileges: break; // the workload's: applied at spawn by the caller
            default: throw new InvalidOperationException($"no executor for plan step {step.GetType().Name}");
        }
    }

    private void Find(FindLink find)
    {
        Link link = Query(find.Describe, () => Lookup(find.Link.Match) ?? (find.AsLeftBefore is { } before ? Lookup(before) : null))
            ?? throw SetupErrors.NoSuchLink(find.Link.Name, PresentLinks(find.Link.Match));
        _links[find.Link.Match] = new KnownLink(link);
        Log.Info($"{find.Link.Name}: is link {link.Index} ({link.Name}{MacSuffix(link)})");
    }

    private static string MacSuffix(Link link) => link.MacAddress is { } address ? $", mac {TextRules.FormatMac(address)}" : "";

    /// <summary>The links there are, for the error: with their MAC when the spec matched by MAC.</summary>
    private List<string> PresentLinks(LinkMatch match)
    {
        List<string> names = [];
        foreach (Link present in Query(() => "list links", () => netlink.ListLinks(cancellation)))
            names.Add(match is LinkMatch.ByMac && present.MacAddress is { } mac ? $"{present.Name} ({TextRules.FormatMac(mac)})" : present.Name);
        return names;
    }

    private Link? Lookup(LinkMatch match) => match switch
    {
        LinkMatch.ByName byName => netlink.FindLink(byName.Name, cancellation),
        LinkMatch.ByMac byMac => netlink.FindLinkByMacAddress(byMac.Mac, cancellation),
        _ => throw new InvalidOperationException($"unknown link match {match}"),
    };

    private void SetDown(SetLinkDown down) =>
        Change(down, down.Link, link => link.IsUp && NeedsDown(down.Link, link), index => netlink.SetLinkDown(index, cancellation));

    private void Rename(RenameLink rename) =>
        Change(rename, rename.Link, link => link.Name != rename.NewName, index => netlink.RenameLink(index, rename.NewName, cancellation));

    private void SetMac(SetLinkMac mac) =>
        Change(mac, mac.Link, link => !mac.Mac.Equals(link.MacAddress), index => netlink.SetMacAddress(index, mac.Mac, cancellation));

    private void SetMtu(SetLinkMtu mtu) =>
        Change(mtu, mtu.Link, link => link.Mtu != mtu.Mtu, index => netlink.SetMtu(index, (uint)mtu.Mtu, cancellation));

    private void SetUp(SetLinkUp up) =>
        Change(up, up.Link, link => !link.IsUp, index => netlink.SetLinkUp(index, cancellation));

    /// <summary>Down is only worth it when a rename or MAC change follows that changes something.</summary>
    private bool NeedsDown(PlannedLink planned, Link link)
    {
        foreach (PlanStep step in plan)
            if (step switch
            {
                RenameLink rename => rename.Link.Match == planned.Match && rename.NewName != link.Name,
                SetLinkMac mac => mac.Link.Match == planned.Match && !mac.Mac.Equals(link.MacAddress),
                _ => false,
            })
                return true;
        return false;
    }

    /// <summary>A link change made only when <paramref name="needed"/> says the link is not already so.</summary>
    private void Change(PlanStep step, PlannedLink planned, Func<Link, bool> needed, Action<int> change)
    {
        KnownLink known = Known(planned);
        if (!known.Fresh)
        {
            known.Link = Query(step.Describe, () => netlink.GetLink(known.Link.Index, cancellation));
            known.Fresh = true;
        }
        Link link = known.Link;
        if (needed(link))
        {
            known.Fresh = false;
            Do(step.Describe, () => change(link.Index), error => step is SetLinkMtu ? SetupErrors.MtuHint(error, link) : null);
        }
        else
            Log.Debug($"{step.Describe()}: already so");
    }

    private void AddAddress(AddAddress add) =>
        Do(add.Describe, () => netlink.ReplaceAddress(Index(add.Link), NetlinkRequests.Address(add.Address), cancellation),
            error => SetupErrors.Ipv6Hint(error, add.Link.Name, add.Address.Address.Family));

    private void AddRoute(AddRoute add) =>
        Do(add.Describe, () => netlink.ReplaceRoute(NetlinkRequests.Route(add.Route, Index(add.Link)), cancellation),
            error => SetupErrors.Ipv6Hint(error, add.Link.Name, add.Route.To.BaseAddress.AddressFamily));

    private void WaitForCarrier(WaitForCarrier wait) => Do(wait.Describe, () =>
    {
        try
        {
            netlink.WaitForCarrier(Index(wait.Link), wait.Timeout, cancellation);
        }
        catch (NetlinkTimeoutException)
        {
            throw SetupErrors.NoCarrier(wait.Link.Name, wait.Timeout);
        }
    });

    /// <summary>
    /// One deadline for all of the link's DAD addresses, on the monotonic clock: a VM's wall clock may be stepped
    /// at boot, exactly while the init waits.
    /// </summary>
    private void WaitForDad(WaitForDad wait) => Do(wait.Describe, () =>
    {
        long start = Environment.TickCount64;
        foreach (Cidr address in wait.Addresses)
        {
            TimeSpan left = wait.Timeout - TimeSpan.FromMilliseconds(Environment.TickCount64 - start);
            try
            {
                netlink.WaitForAddressReady(Index(wait.Link), address.Address, Max(left, TimeSpan.FromMilliseconds(1)), cancellation);
            }
            catch (NetlinkTimeoutException)
            {
                throw SetupErrors.StillTentative(wait.Link.Name, address, wait.Timeout);
            }
        }
    });

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>Secondaries first; one already gone (its primary took it along) is fine.</summary>
    private void FlushAddresses(FlushAddresses flush)
    {
        int index = Index(flush.Link);
        IReadOnlyList<InterfaceAddress> present =
            Query(() => $"{flush.Link.Name}: list addresses", () => netlink.ListAddresses(index, cancellationToken: cancellation));
        foreach (InterfaceAddress stale in Convergence.StaleAddresses(present, flush.Addresses))
            Do(() => $"{flush.Link.Name}: remove address {stale} (not in the spec)",
                () => Tolerating(Errno.EADDRNOTAVAIL, () => netlink.DeleteAddress(index, stale, cancellation)));
    }

    private void FlushRoutes(FlushRoutes flush)
    {
        int index = Index(flush.Link);
        IReadOnlyList<Route> routes =
            Query(() => $"{flush.Link.Name}: list routes", () => netlink.ListRoutes(family: null, table: null, cancellation));
        foreach (Route stale in Convergence.StaleRoutes(routes, index, flush.Routes))
            Do(() => $"{flush.Link.Name}: remove route {stale} proto {stale.Protocol.ToString().ToLowerInvariant()} (not in the spec)",
                () => Tolerating(Errno.ESRCH, () => netlink.DeleteRoute(stale, cancellation)));
    }

    private static void SetHostname(SetHostname step)
    {
        if (Hostname.Set(step.Hostname))
            Log.Info(step.Describe());
        else
            Log.Debug($"{step.Describe()}: already so");
    }

    /// <summary>Rendered now: without a hostname in the spec, the line names the kernel's.</summary>
    private void Write(WriteHosts hosts) =>
        Write(hosts.Describe(), WriteHosts.Path,
            EtcFiles.Hosts(hosts.Hostname ?? Hostname.Current(), hosts.HostnameAddress, hosts.Entries));

    private void Write(string description, string path, string content)
    {
        Log.Info(description);
        InPlaceFile.Write(root, path, content);
    }

    /// <summary>The kernel's index for a link: found by <see cref="Find"/>, or looked up by name (lo has no find step).</summary>
    private int Index(PlannedLink link) => Known(link).Link.Index;

    private KnownLink Known(PlannedLink link)
    {
        if (!_links.TryGetValue(link.Match, out KnownLink? known))
            _links[link.Match] = known = new KnownLink(netlink.GetLink(((LinkMatch.ByName)link.Match).Name, cancellation));
        return known;
    }

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

    /// <summary>
    /// Logs a change and makes it; a netlink failure becomes the setup error that names it. The description is
    /// made only when it is shown or needed for an error: formatting it costs more than the request.
    /// </summary>
    private static void Do(Func<string> operation, Action change, Func<NetlinkException, string?>? hint = null)
    {
        if (Log.Shows(LogLevel.Info))
            Log.Info(operation());
        Query<object?>(operation, () => { change(); return null; }, hint);
    }

    /// <summary>Runs a read (or a step's inner part); a netlink failure becomes the setup error that names it.</summary>
    private static T Query<T>(Func<string> operation, Func<T> action, Func<NetlinkException, string?>? hint = null)
    {
        try
        {
            return action();
        }
        catch (NetlinkException error)
        {
            throw SetupErrors.Netlink(operation(), error, hint?.Invoke(error));
        }
    }
}
