using System.Net;
using Init.Network;
using Init.Plan;
using Init.Spec;
using Xunit;

namespace Init.Tests.Spec;

/// <summary>The plan --check prints, and the apply executes, in docs/spec.md's order of work.</summary>
public class PlanTests
{
    private static string[] Describe(IReadOnlyList<PlanStep> plan) => [.. plan.Select(step => step.Describe())];

    [Fact]
    public void TheContractExamplePlansInTheOrderOfWork()
    {
        IReadOnlyList<PlanStep> plan = Planner.Plan(SpecFile.Load(SpecFile.ContractExample));

        Assert.Equal(
        [
            "lo: set up",
            "lo: add address 169.254.169.254/32",
            "find link eth0 (or wan0, as a previous run left it)",
            "eth0: remove addresses the spec does not list (IPv6 link-local stays)",
            "eth0: set down",
            "eth0: rename to wan0",
            "wan0: set address 02:00:00:00:00:10",
            "wan0: set mtu 1400",
            "wan0: add address 10.0.0.10/24 broadcast 10.0.0.255",
            "wan0: add address 2001:db8::10/64 nodad",
            "wan0: add address 192.0.2.2/32 peer 192.0.2.1/32",
            "wan0: set up",
            "wan0: add route default via 10.0.0.1 metric 100 proto static",
            "wan0: add route default via fe80::1 proto static",
            "wan0: add route 198.51.100.0/24 via 192.0.2.1 table 100 src 192.0.2.2 onlink proto static",
            "wan0: remove routes the spec does not list (kernel routes stay)",
            "set hostname api-1",
            "write /etc/hostname (api-1)",
            "write /etc/hosts (1 entry, api-1 at 10.0.0.10)",
            "write /etc/resolv.conf (2 nameservers)",
            "workload: drop capabilities NET_ADMIN",
            "workload: run as user app",
        ], Describe(plan));
    }

    [Fact]
    public void WaitsComeAfterUpAndDeviceRoutesBeforeGatewayRoutes()
    {
        InitSpec spec = SpecFile.Load("""
            [[interface]]
            match = { mac = "02:42:ac:11:00:02" }
            mac = "02:00:00:00:00:99"
            wait = "carrier"
            wait_timeout = "1500ms"
            flush = false
              [[interface.address]]
              address = "2001:db8::10/64"
              dad = true
              [[interface.route]]
              to = "2001:db8:1::/48"
              via = "2001:db8::1"
              [[interface.route]]
              to = "2001:db8:2::/48"
              metric = 0
            [[interface]]
            match = { mac = "02:42:ac:11:00:03" }
            rename = "lan0"
            [workload]
            drop_capabilities = ["all"]
            no_new_privileges = true
            """);

        IReadOnlyList<PlanStep> plan = Planner.Plan(spec);

        Assert.Equal(
        [
            "lo: set up",
            "wait for link with mac 02:42:ac:11:00:02 to appear (up to 1500ms)", // carrier waits for the link first
            "find link with mac 02:42:ac:11:00:02 (or with mac 02:00:00:00:00:99, as a previous run left it)",
            "link 02:42:ac:11:00:02: set down",
            "link 02:42:ac:11:00:02: set address 02:00:00:00:00:99",
            "link 02:42:ac:11:00:02: add address 2001:db8::10/64",
            "link 02:42:ac:11:00:02: set up",
            "link 02:42:ac:11:00:02: wait for carrier (up to 1500ms)",
            "link 02:42:ac:11:00:02: wait for DAD on 2001:db8::10/64 (up to 1500ms)",
            "link 02:42:ac:11:00:02: add route 2001:db8:2::/48 metric 0 proto static",
            "link 02:42:ac:11:00:02: add route 2001:db8:1::/48 via 2001:db8::1 proto static",
            "find link with mac 02:42:ac:11:00:03 (or lan0, as a previous run left it)",
            "link 02:42:ac:11:00:03: remove addresses the spec does not list (IPv6 link-local stays)",
            "link 02:42:ac:11:00:03: set down",
            "link 02:42:ac:11:00:03: rename to lan0",
            "lan0: set up",
            "lan0: remove routes the spec does not list (kernel routes stay)",
            "workload: drop all capabilities",
            "workload: set no_new_privs",
        ], Describe(plan));
    }

    [Fact]
    public void StepsCarryTheDataTheApplyNeeds()
    {
        IReadOnlyList<PlanStep> plan = Planner.Plan(SpecFile.Load(SpecFile.ContractExample));

        var match = new LinkMatch.ByName("eth0");
        Assert.Equal(new RenameLink(new PlannedLink(match, "eth0"), "wan0"), plan.OfType<RenameLink>().Single());
        Assert.Equal(new SetLinkMtu(new PlannedLink(match, "wan0"), 1400), plan.OfType<SetLinkMtu>().Single());
        AddAddress v6 = plan.OfType<AddAddress>().Single(a => a.Address.Address.ToString() == "2001:db8::10/64");
        Assert.True(v6.Address.NoDad);
        Assert.Equal(3, plan.OfType<FlushAddresses>().Single().Addresses.Count);
        Assert.Equal(3, plan.OfType<FlushRoutes>().Single().Routes.Count);
        WriteFile resolv = plan.OfType<WriteFile>().Single(f => f.Path == "/etc/resolv.conf");
        Assert.Equal("nameserver 10.0.0.2\nnameserver 2001:db8::53\nsearch svc.internal\noptions ndots:2\n", resolv.Content);
        Assert.Equal("api-1\n", plan.OfType<WriteFile>().Single(f => f.Path == "/etc/hostname").Content);
    }

    [Fact]
    public void WithoutASpecFileOnlyTheDefaultPrivilegeDropIsPlanned()
    {
        Assert.Equal(["workload: drop capabilities NET_ADMIN"], Describe(Planner.Plan(InitSpec.Empty)));
    }

    [Fact]
    public void HostsWithoutAHostnameUseTheKernelsAndALoopbackAddressWithoutInterfaces()
    {
        IReadOnlyList<PlanStep> plan = Planner.Plan(SpecFile.Load("[hosts]\nentries = []\n[workload]\ndrop_capabilities = []\n"));

        Assert.Equal(["lo: set up", "write /etc/hosts (0 entries, the current hostname at 127.0.1.1)"], Describe(plan));
        Assert.Equal(new WriteHosts(null, IPAddress.Parse("127.0.1.1"), []) with { Entries = plan.OfType<WriteHosts>().Single().Entries },
            plan.OfType<WriteHosts>().Single());
    }

    [Fact]
    public void RoutesAreDescribedInIproute2Words()
    {
        var link = new PlannedLink(new LinkMatch.ByName("eth0"), "eth0");
        var route = new RouteSpec(IPNetwork.Parse("10.9.0.0/16"), null, 5, RouteSpec.LocalTable, IPAddress.Parse("10.0.0.10"), RouteScope.Link, false);

        Assert.Equal("eth0: add route 10.9.0.0/16 table local metric 5 src 10.0.0.10 scope link proto static", new AddRoute(link, route).Describe());
        Assert.Equal("eth0: add route 10.9.0.0/16 table 7 scope host proto static",
            new AddRoute(link, route with { Metric = null, Source = null, Table = 7, Scope = RouteScope.Host }).Describe());
    }
}
