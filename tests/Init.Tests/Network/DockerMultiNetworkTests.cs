using Init.Plan;
using Init.Tests.Harness;
using Xunit;

namespace Init.Tests.Network;

/// <summary>
/// One container on two user-defined docker networks (eth0, eth1), configured by one spec whose addresses and
/// gateways come from <c>docker run -e</c>, with a source rule: what arrives on eth1 is answered through eth1.
/// Each network has a "router" container (eth0's and eth1's gateway in the spec) that pings the container from an
/// address outside both networks: the reply can only reach it through that network's gateway, so it proves the
/// path back. Nothing leaves the two bridges (the daemon runs without iptables or forwarding).
/// </summary>
[Trait("Needs", "root")]
[Collection(DockerCollection.Name)]
public class DockerMultiNetworkTests(DockerDaemon docker)
{
    private const string Spec = """
        [[interface]]
        name = "eth0"
        addresses = ["${ADDR0}/24"]
          [[interface.route]]
          to = "default"
          via = "${GW0}"
        [[interface]]
        name = "eth1"
        wait = "link"
        addresses = ["${ADDR1}/24"]
          [[interface.route]]
          to = "10.200.252.0/24"
          table = 101
          [[interface.route]]
          to = "default"
          via = "${GW1}"
          table = 101
        [[rule]]
        priority = 100
        from = "${ADDR1}/32"
        table = 101
        """;

    [Fact]
    public void Each_address_answers_through_its_own_interface()
    {
        string id = Guid.NewGuid().ToString("N")[..8];
        string netA = $"a-{id}", netB = $"b-{id}", routerA = $"ra-{id}", routerB = $"rb-{id}", multi = $"m-{id}";
        using var dir = new TempDir();
        string spec = dir.Write("network.toml", Spec);
        try
        {
            docker.Must("network", "create", "--subnet", "10.200.251.0/24", "--gateway", "10.200.251.1", netA);
            docker.Must("network", "create", "--subnet", "10.200.252.0/24", "--gateway", "10.200.252.1", netB);
            // The routers: the gateways the spec names, each with an address of its own outside both networks.
            Router(routerA, netA, "10.200.251.5", "10.200.253.5");
            Router(routerB, netB, "10.200.252.5", "10.200.254.5");
            docker.Must("create", "--name", multi, "--network", netA, "--cap-add", "NET_ADMIN",
                "-e", "ADDR0=10.200.251.10", "-e", "GW0=10.200.251.5", "-e", "ADDR1=10.200.252.10", "-e", "GW1=10.200.252.5",
                "-v", $"{spec}:/etc/init/network.toml:ro", DockerDaemon.Image, "sleep", "120");
            docker.Must("network", "connect", netB, multi);
            docker.Must("start", multi);
            WaitForWorkload(multi);

            string fromA = docker.Must("exec", routerA, "ping", "-c", "2", "-w", "5", "-I", "10.200.253.5", "10.200.251.10");
            string fromB = docker.Must("exec", routerB, "ping", "-c", "2", "-w", "5", "-I", "10.200.254.5", "10.200.252.10");
            Assert.Contains("64 bytes from 10.200.251.10", fromA);
            Assert.Contains("64 bytes from 10.200.252.10", fromB);

            // busybox's ip has no "ip rule": the route lookups show the rule at work.
            string inside = docker.Must("exec", multi, "sh", "-c",
                "ip -4 -o addr show; ip route get 10.200.254.5 from 10.200.252.10; ip route get 10.200.254.5; ip route show table 101");
            Assert.Contains("inet 10.200.251.10/24", inside);
            Assert.Contains("inet 10.200.252.10/24", inside);
            Assert.Matches(@"10\.200\.254\.5 from 10\.200\.252\.10 via 10\.200\.252\.5 dev eth1", inside);
            Assert.Matches(@"10\.200\.254\.5 via 10\.200\.251\.5 dev eth0", inside);
            Assert.Contains("default via 10.200.252.5 dev eth1", inside);
        }
        finally
        {
            docker.Docker("rm", "-f", multi, routerA, routerB);
            docker.Docker("network", "rm", netA, netB);
        }
    }

    private void Router(string name, string network, string address, string outside)
    {
        docker.Must("run", "-d", "--name", name, "--network", network, "--ip", address, "--cap-add", "NET_ADMIN",
            "--entrypoint", "/bin/sh", DockerDaemon.Image, "-c", $"ip addr add {outside}/32 dev eth0 && exec sleep 120");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!docker.Docker("exec", name, "ip", "-o", "addr", "show", "eth0").Stdout.Contains(outside))
        {
            Assert.True(DateTime.UtcNow < deadline, $"router {name} never got {outside}");
            Thread.Sleep(50);
        }
    }

    /// <summary>The workload runs once the set-up is done: the spec is applied when sleep is there.</summary>
    private void WaitForWorkload(string name)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!docker.Docker("top", name).Stdout.Contains("sleep"))
        {
            ProcResult state = docker.Docker("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", name);
            Assert.True(DateTime.UtcNow < deadline && !state.Stdout.StartsWith("exited"),
                $"the init never started the workload: {state.Stdout}{docker.Docker("logs", name)}");
            Thread.Sleep(50);
        }
    }
}
