using Init.Tests.Harness;
using Xunit;

namespace Init.Tests.Network;

/// <summary>
/// lo and a fresh eth0 as the spec says, the missing-NET_ADMIN and missing-eth0 failures (exit 3) and an unreachable
/// gateway refused at validation (exit 2), with the static binary as PID 1 in throwaway namespaces. The specs here set no
/// hostname and no /etc files: those namespaces share the host's UTS namespace and /etc.
/// </summary>
[Trait("Needs", "root")]
public class Pid1NetworkTests
{
    private const string Busybox = Repo.Busybox;

    private static string[] Init(TempDir dir, string toml, string script) =>
        ["--spec", dir.Write("network.toml", toml), "--", Busybox, "sh", "-c", script];

    private static string FreshEth0(Netns ns) => NetworkSpecs.FreshEth0(ns.Gateway.GetAddressBytes()[2]);

    [Fact]
    public void LoIsUpWithItsAddressesEvenWithAnEmptySpec()
    {
        using var dir = new TempDir();
        ProcResult result = Pid1.Run(Init(dir, "version = 1\n", "ip addr show lo"));
        result.AssertExit(0);
        Assert.Contains(",UP,", result.Stdout);
        Assert.Contains("inet 127.0.0.1/8", result.Stdout);
        Assert.Contains("inet6 ::1/128", result.Stdout);
    }

    [Fact]
    public void TheWorkloadFindsTheSpecAppliedAndPingsTheGateway()
    {
        using var ns = Netns.Create();
        using var dir = new TempDir();
        ProcResult result = ns.RunInit(Init(dir, FreshEth0(ns),
            $"ip addr show eth0; ip route; ip -6 route; ip route show table 100; ping -c1 -w5 {ns.Gateway} >/dev/null && echo PING-OK"));
        result.AssertExit(0);
        int n = ns.Gateway.GetAddressBytes()[2];
        Assert.Contains("mtu 1400", result.Stdout);
        Assert.Contains($"inet 10.200.{n}.2/24", result.Stdout);
        Assert.Contains($"inet6 fd00:200:{n:x}::2/64", result.Stdout);
        // The spec's addresses are ready; the kernel's own link-local may still be in DAD when the workload looks.
        Assert.DoesNotContain(result.Stdout.Split('\n'), line => line.Contains("tentative") && !line.Contains("inet6 fe80:"));
        Assert.Contains($"default via {ns.Gateway} dev eth0", result.Stdout);
        Assert.Contains("default via fe80::1 dev eth0", result.Stdout);
        Assert.Contains("10.200.77.0/24 via 10.200.78.1 dev eth0  metric 50 onlink", result.Stdout);
        Assert.Contains("PING-OK", result.Stdout);
        Assert.Equal("", Binfmt.WithoutEmulationNoise(result.Stderr));
    }

    [Fact]
    public void WithoutNetAdminExit3WithEpermAndNoWorkload()
    {
        using var ns = Netns.Create();
        using var dir = new TempDir();
        Proc.Must("ip", "-n", ns.Name, "link", "set", "lo", "up"); // as a container runtime leaves it
        ProcResult result = ns.RunInit(Init(dir, FreshEth0(ns), "echo WORKLOAD-STARTED"), new Pid1Options { NetAdmin = false });
        result.AssertExit(3);
        Assert.DoesNotContain("WORKLOAD-STARTED", result.Stdout);
        string error = Assert.Single(result.Stderr.Split('\n'), line => line.StartsWith("init: "));
        Assert.StartsWith("init: error: eth0: set mtu 1400: EPERM (Operation not permitted)", error);
        Assert.Contains("  hint: the init needs CAP_NET_ADMIN to configure the network: docker run --cap-add NET_ADMIN", result.Stderr);
    }

    [Fact]
    public void WithoutEth0Exit3WithEnodevAndNoWorkload()
    {
        using var ns = Netns.Create(withEth0: false);
        using var dir = new TempDir();
        ProcResult result = ns.RunInit(Init(dir, FreshEth0(ns), "echo WORKLOAD-STARTED"));
        result.AssertExit(3);
        Assert.DoesNotContain("WORKLOAD-STARTED", result.Stdout);
        Assert.StartsWith("init: error: eth0: no such link (ENODEV)\n  hint: the links here are lo; docker run --network none", result.Stderr);
    }

    [Fact]
    public void AGatewayOutsideEveryPrefixIsExit2AtItsPositionAndNothingChanges()
    {
        using var ns = Netns.Create();
        using var dir = new TempDir();
        string Snapshot() => Proc.Must("ip", "-n", ns.Name, "-d", "link", "show") + Proc.Must("ip", "-n", ns.Name, "addr", "show")
            + Proc.Must("ip", "-n", ns.Name, "route", "show", "table", "all");
        string before = Snapshot();
        ProcResult result = ns.RunInit(Init(dir, """
            [[interface]]
            name = "eth0"
            mtu = 1400
            addresses = ["10.200.1.2/24"]
              [[interface.route]]
              to = "default"
              via = "10.200.2.1"
            """, "echo WORKLOAD-STARTED"));
        result.AssertExit(2);
        Assert.DoesNotContain("WORKLOAD-STARTED", result.Stdout);
        Assert.Matches(@"network\.toml:7:\d+: interface\[0\]\.route\[0\]\.via: ", result.Stderr);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void AStopRequestDuringTheSetUpMeansTheWorkloadIsNeverStarted()
    {
        using var ns = Netns.Create();
        using var dir = new TempDir();
        Proc.Must("ip", "-n", ns.GatewayNs, "link", "set", ns.HostVeth, "down"); // no carrier until the test says so
        using Pid1Process init = ns.StartInit(Init(dir,
            NetworkSpecs.CarrierWait("20s") + $"addresses = [\"10.200.{ns.Gateway.GetAddressBytes()[2]}.2/24\"]\n", "echo WORKLOAD-STARTED"));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!Proc.Must("ip", "-n", ns.Name, "link", "show", "eth0").Contains(",UP")) // the init now waits for carrier
        {
            Assert.True(DateTime.UtcNow < deadline, "the init never brought eth0 up");
            Thread.Sleep(10);
        }

        init.Signal(15); // docker stop while the init waits for carrier
        Proc.Must("ip", "-n", ns.GatewayNs, "link", "set", ns.HostVeth, "up");
        ProcResult result = init.Wait();

        result.AssertExit(143);
        Assert.DoesNotContain("WORKLOAD-STARTED", result.Stdout);
        Assert.Contains("SIGTERM", result.Stderr);
        Assert.Contains("before the workload started: not starting it", result.Stderr);
    }
}
