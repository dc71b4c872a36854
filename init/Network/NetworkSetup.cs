using Init.Spec;
using Netlink;

namespace Init.Network;

/// <summary>
/// The network step of the start-up (docs/spec.md, "Start-up: the order of work": lo, interfaces, hostname and
/// /etc files): what Program calls once the spec is valid and before the workload is spawned. Throws
/// <see cref="NetworkSetupException"/> (exit status 3), and <see cref="OperationCanceledException"/> when the
/// token (a stop request) ends it: what was applied so far stays.
/// The plan's workload steps (capabilities, user, no_new_privs) are left to the spawn.
/// </summary>
/// <remarks>
/// The folder: <see cref="Planner"/> turns the spec into <see cref="PlanStep"/>s (also what --check prints);
/// <see cref="PlanExecutor"/> runs them; <see cref="Convergence"/> decides what a flush removes;
/// <see cref="NetlinkRequests"/> maps spec records to netlink requests; <see cref="Hostname"/>, <see cref="EtcFiles"/>
/// and <see cref="InPlaceFile"/> do the hostname and the /etc files; <see cref="SetupErrors"/> words the failures.
/// </remarks>
internal static class NetworkSetup
{
    /// <summary>Configures the init's own network namespace and root.</summary>
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

    /// <summary>Configures the namespace <paramref name="netlink"/> talks to, writing files below <paramref name="root"/>.</summary>
    internal static void Apply(InitSpec spec, NetlinkHandle netlink, string root, CancellationToken cancellation = default) =>
        new PlanExecutor(netlink, root, Planner.Plan(spec), cancellation).Run();
}
