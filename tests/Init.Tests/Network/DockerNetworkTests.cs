using System.Net;
using System.Text.RegularExpressions;
using Init.Network;
using Init.Tests.Harness;
using Xunit;

namespace Init.Tests.Network;

/// <summary>
/// The network set-up inside real docker — convergence, missing NET_ADMIN or eth0, the hostname and /etc files:
/// the default bridge (10.200.250.0/24, eth0 already configured by
/// docker), <c>--network none</c>, and a holder's fresh eth0. The spec is mounted over the image's default.
/// </summary>
[Collection(DockerCollection.Name)]
[Trait("Needs", "root")]
public class DockerNetworkTests(DockerDaemon docker)
{
    /// <summary>An address on docker's bridge other than the one docker gave the container.</summary>
    private const string OtherAddressOnEth0 = """
        [[interface]]
        name = "eth0"
        addresses = ["10.200.250.77/24"]
        """;

    private const string Spec = "/etc/init/network.toml";

    /// <summary>The init's own lines: docker's client adds a warning about forwarding (the daemon runs without it).</summary>
    private static string InitStderr(ProcResult result) =>
        string.Concat(result.Stderr.Split('\n').Where(line => !line.StartsWith("WARNING: IPv4 forwarding")).Select(line => line + "\n")).TrimEnd('\n');

    private ProcResult RunWithSpec(string toml, IEnumerable<string> runArgs, string script)
    {
        using var dir = new TempDir();
        return docker.Run(["-v", $"{dir.Write("network.toml", toml)}:{Spec}:ro", .. runArgs], ["sh", "-c", script]);
    }

    [Fact]
    public void ADifferentAddressAndGatewayReplaceDockers()
    {
        ProcResult result = RunWithSpec("""
            [[interface]]
            name = "eth0"
            addresses = ["10.200.250.77/24"]
              [[interface.route]]
              to = "default"
              via = "10.200.250.254"
            """, ["--cap-add", "NET_ADMIN"], "ip -4 addr show eth0; ip -4 route");
        result.AssertExit(0);
        Assert.Equal(["10.200.250.77/24"], Regex.Matches(result.Stdout, @"inet (\S+)").Select(m => m.Groups[1].Value));
        Assert.Equal(["default via 10.200.250.254 dev eth0 "],
            result.Stdout.Split('\n').Where(line => line.StartsWith("default")));
    }

    /// <summary>
    /// The container writes docker's own address and gateway into the spec, then execs the init as PID 1, which runs
    /// itself once more as its workload (which therefore keeps NET_ADMIN: drop_capabilities = []).
    /// </summary>
    [Fact]
    public void ASpecEqualToDockersSucceedsAndASecondApplyChangesNothing()
    {
        const string script = """
            a=$(ip -o -4 addr show eth0 | awk '{print $4}')
            gw=$(ip -4 route | awk '/^default/ {print $3}')
            printf '[workload]\ndrop_capabilities = []\n[[interface]]\nname = "eth0"\naddresses = ["%s"]\n[[interface.route]]\nto = "default"\nvia = "%s"\n' "$a" "$gw" > /etc/init/network.toml
            ip addr show eth0 > /before; ip route >> /before
            exec /sbin/init -v -- sh -c '
              ip addr show eth0 > /once; ip route >> /once
              /sbin/init -- sh -c "ip addr show eth0 > /twice; ip route >> /twice"
              cmp /before /once && cmp /once /twice && echo SAME; cat /twice'
            """;
        ProcResult result = docker.Run(["--cap-add", "NET_ADMIN", "--entrypoint", "/bin/sh"], ["-c", script]);
        result.AssertExit(0);
        Assert.Contains("SAME", result.Stdout);
        Assert.DoesNotContain("EEXIST", result.Stderr);
    }

    [Fact]
    public void WithoutNetAdminExit3WithEpermAndNoWorkload()
    {
        ProcResult result = RunWithSpec(OtherAddressOnEth0, [], "echo WORKLOAD-STARTED");
        result.AssertExit(3);
        Assert.DoesNotContain("WORKLOAD-STARTED", result.Stdout);
        Assert.Single(result.Stderr.Split('\n'), line => line.StartsWith("init: "));
        Assert.Matches(@"^init: error: eth0: [a-z ]+ 10\.200\.250\.\d+/\d+.*: EPERM \(Operation not permitted\)\n  hint: .*--cap-add NET_ADMIN", InitStderr(result));
    }

    [Fact]
    public void NetworkNoneExit3WithEnodevAndNoWorkload()
    {
        ProcResult result = RunWithSpec(OtherAddressOnEth0, ["--network", "none", "--cap-add", "NET_ADMIN"], "echo WORKLOAD-STARTED");
        result.AssertExit(3);
        Assert.DoesNotContain("WORKLOAD-STARTED", result.Stdout);
        Assert.StartsWith("init: error: eth0: no such link (ENODEV)\n  hint: the links here are lo; docker run --network none", InitStderr(result));
    }

    [Fact]
    public void AnIpv6AddressWhereDockerDisabledIpv6SaysHowToEnableIt()
    {
        ProcResult result = RunWithSpec("""
            [[interface]]
            name = "eth0"
            addresses = ["fd00:200::77/64"]
            """, ["--cap-add", "NET_ADMIN"], "echo WORKLOAD-STARTED");
        result.AssertExit(3);
        Assert.StartsWith("init: error: eth0: add address fd00:200::77/64 nodad: EACCES (Permission denied)\n  kernel: ipv6: IPv6 is disabled on this device\n"
            + "  hint: IPv6 is disabled on eth0", InitStderr(result));
        ProcResult enabled = RunWithSpec("""
            [[interface]]
            name = "eth0"
            addresses = ["fd00:200::77/64"]
            """, ["--cap-add", "NET_ADMIN", "--sysctl", "net.ipv6.conf.all.disable_ipv6=0"], "ip -6 addr show eth0");
        enabled.AssertExit(0);
        Assert.Contains("inet6 fd00:200::77/64", enabled.Stdout);
    }

    [Fact]
    public void TheImagesDefaultSpecNeedsNoNetAdmin()
    {
        ProcResult result = docker.Run([], ["sh", "-c", "ip link show lo"]);
        result.AssertExit(0);
        Assert.Contains("UP", result.Stdout);
    }

    private const string FilesSpec = """
        hostname = "api-1"
        [dns]
        nameservers = ["10.200.250.53", "fd00:200::53"]
        search = ["svc.internal"]
        options = ["ndots:2"]
        [hosts]
        entries = [ { ip = "10.200.250.9", names = ["db.internal", "db"] } ]
        """;

    [Fact]
    public void HostnameHostsAndResolvConfMatchTheSpecThroughDockersBindMounts()
    {
        ProcResult result = RunWithSpec(FilesSpec, ["--hostname", "api-1"], """
            hostname; echo ---; cat /etc/hostname; echo ---; cat /etc/hosts; echo ---; cat /etc/resolv.conf; echo ---
            grep -cE ' /etc/(hostname|hosts|resolv.conf) ' /proc/self/mountinfo
            """);
        result.AssertExit(0);
        string hosts = EtcFiles.Hosts("api-1", IPAddress.Parse("127.0.1.1"), [new(IPAddress.Parse("10.200.250.9"), ["db.internal", "db"])]);
        Assert.Equal(
            $"api-1\n---\napi-1\n---\n{hosts}---\nnameserver 10.200.250.53\nnameserver fd00:200::53\nsearch svc.internal\noptions ndots:2\n---\n3\n",
            result.Stdout);
    }

    [Fact]
    public void AnotherHostnameWithoutSysAdminExit3WithAHint()
    {
        ProcResult result = RunWithSpec(FilesSpec, [], "echo WORKLOAD-STARTED");
        result.AssertExit(3);
        Assert.DoesNotContain("WORKLOAD-STARTED", result.Stdout);
        Assert.StartsWith("init: error: set hostname api-1: EPERM (Operation not permitted)\n  hint: setting the hostname needs CAP_SYS_ADMIN; "
            + "docker run --hostname api-1 sets it instead", InitStderr(result));
    }

    [Fact]
    public void WithSysAdminTheInitSetsTheHostname()
    {
        ProcResult result = RunWithSpec(FilesSpec, ["--cap-add", "SYS_ADMIN"], "hostname; cat /etc/hostname");
        result.AssertExit(0);
        Assert.Equal("api-1\napi-1\n", result.Stdout);
    }

    [Fact]
    public void AReadOnlyMountIsExit3WithErofsAndAHint()
    {
        using var dir = new TempDir();
        ProcResult result = RunWithSpec("[dns]\nnameservers = [\"10.200.250.53\"]\n",
            ["-v", $"{dir.Write("resolv.conf", "nameserver 10.200.250.1\n")}:/etc/resolv.conf:ro"], "echo WORKLOAD-STARTED");
        result.AssertExit(3);
        Assert.DoesNotContain("WORKLOAD-STARTED", result.Stdout);
        Assert.Equal("init: error: write /etc/resolv.conf: EROFS (Read-only file system)\n"
            + "  hint: /etc/resolv.conf is mounted read-only; mount it writable, or remove what writes it from the spec", InitStderr(result));
    }

    [Fact]
    public void AHoldersFreshEth0ConfiguredByTheSpecReachesItsGateway()
    {
        using DockerHolder holder = docker.Holder();
        int n = holder.Gateway.GetAddressBytes()[2];
        // docker disables IPv6 in containers whose network has none; the holder's veth inherits that.
        string pid = docker.Must("inspect", "-f", "{{.State.Pid}}", holder.Name).Trim();
        Proc.Must("nsenter", "-t", pid, "-n", "sysctl", "-qw", "net.ipv6.conf.eth0.disable_ipv6=0");
        ProcResult result = RunWithSpec(NetworkSpecs.FreshEth0(n, linkLocalDefault: false), ["--network", holder.NetworkArg, "--cap-add", "NET_ADMIN"],
            $"ip addr show eth0; ip route; ip route show table 100; ping -c1 -w5 {holder.Gateway} >/dev/null && echo PING-OK");
        result.AssertExit(0);
        Assert.Contains("mtu 1400", result.Stdout);
        Assert.Contains($"inet 10.200.{n}.2/24", result.Stdout);
        Assert.Contains($"inet6 fd00:200:{n:x}::2/64", result.Stdout);
        Assert.Contains($"default via {holder.Gateway} dev eth0", result.Stdout);
        Assert.Contains("10.200.77.0/24 via 10.200.78.1 dev eth0  metric 50 onlink", result.Stdout);
        Assert.Contains("PING-OK", result.Stdout);
    }
}
