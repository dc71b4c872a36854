using Init.Tests.Harness;
using Xunit;

namespace Init.Tests.EndToEnd;

/// <summary>The published binary is static and runs the workload as PID 1, bare and in an empty root.</summary>
[Trait("Needs", "root")]
public class Pid1SmokeTests
{
    [Fact]
    public void BinaryIsFullyStatic()
    {
        Assert.Contains("statically linked", Proc.Must("file", "-L", Repo.InitBinary));
        ProcResult ldd = Proc.Run("ldd", [Repo.InitBinary]);
        Assert.Contains("not a dynamic executable", ldd.Stdout + ldd.Stderr);
    }

    [Fact]
    public void WorkloadExitStatusPassesThroughAsPid1()
    {
        ProcResult result = Pid1.Run(["--", Repo.Busybox, "sh", "-c", "echo ppid=$PPID; exit 7"]);
        result.AssertExit(7);
        Assert.Contains("ppid=1", result.Stdout);
    }

    [Fact]
    public void RunsAloneInAnEmptyRootUnderChroot()
    {
        string root = Directory.CreateTempSubdirectory("init-chroot-").FullName;
        try
        {
            File.Copy(Repo.InitBinary, Path.Combine(root, "init"));
            File.Copy(Repo.Busybox, Path.Combine(root, "busybox"));
            ProcResult result = Proc.Run("unshare", ["--pid", "--fork", "--", "chroot", root,
                "/init", "--", "/busybox", "sh", "-c", "echo ppid=$PPID; exit 7"]);
            result.AssertExit(7);
            Assert.Contains("ppid=1", result.Stdout);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void NamespaceFixtureGivesADownUnaddressedEth0AndAReachableGateway()
    {
        using var ns = Netns.Create();
        using var dir = new TempDir();
        // The workload configures the link itself, so it keeps the NET_ADMIN the init would drop by default.
        string spec = dir.Write("spec.toml", "[workload]\ndrop_capabilities = []\n");
        ProcResult result = ns.RunInit(["-s", spec, "--", Repo.Busybox, "sh", "-c",
            $"cat /sys/class/net/eth0/operstate && ip addr add 10.200.{ns.Gateway.GetAddressBytes()[2]}.2/24 dev eth0 && ip link set eth0 up && ping -c1 -W2 {ns.Gateway}"]);
        result.AssertExit(0);
        Assert.StartsWith("down\n", result.Stdout);
    }

    [Fact]
    public void WithoutNetAdminTheWorkloadCannotChangeTheNetwork()
    {
        using var ns = Netns.Create();
        using var dir = new TempDir();
        // The workload configures the link itself, so it keeps the NET_ADMIN the init would drop by default.
        string spec = dir.Write("spec.toml", "[workload]\ndrop_capabilities = []\n");
        ProcResult result = ns.RunInit(["-s", spec, "--", Repo.Busybox, "sh", "-c", "ip link set eth0 up"],
            new Pid1Options { NetAdmin = false });
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Operation not permitted", result.Stderr);
    }
}

/// <summary>The same binary inside real docker: default bridge, no network, a fresh eth0, with and without NET_ADMIN.</summary>
[Collection(DockerCollection.Name)]
[Trait("Needs", "root")]
public class DockerSmokeTests(DockerDaemon docker)
{
    [Fact]
    public void WorkloadExitStatusPassesThroughInDocker()
    {
        ProcResult result = docker.Run([], ["sh", "-c", "tr '\\0' ' ' </proc/1/cmdline; exit 7"]);
        result.AssertExit(7);
        Assert.StartsWith("/sbin/init -- sh -c", result.Stdout);
    }

    [Fact]
    public void DefaultBridgeGivesAConfiguredEth0()
    {
        ProcResult result = docker.Run(["--cap-add", "NET_ADMIN"], ["ip", "-4", "addr", "show", "eth0"]);
        result.AssertExit(0);
        Assert.Contains("inet 10.200.250.", result.Stdout);
    }

    [Fact]
    public void NetworkNoneHasOnlyLo()
    {
        ProcResult result = docker.Run(["--network", "none"], ["ls", "/sys/class/net"]);
        Assert.Equal("lo\n", result.Stdout);
    }

    [Fact]
    public void HolderGivesAFreshEth0ThatNeedsNetAdmin()
    {
        using DockerHolder holder = docker.Holder();
        string configure = $"ip addr add 10.200.{holder.Gateway.GetAddressBytes()[2]}.2/24 dev eth0 && ip link set eth0 up && ping -c1 -W2 {holder.Gateway}";
        ProcResult without = docker.Run(["--network", holder.NetworkArg], ["sh", "-c", configure]);
        Assert.Contains("Operation not permitted", without.Stderr);
        using var dir = new TempDir();
        string keepNetAdmin = dir.Write("network.toml", "[workload]\ndrop_capabilities = []\n");
        ProcResult with = docker.Run(["--network", holder.NetworkArg, "--cap-add", "NET_ADMIN",
            "-v", $"{keepNetAdmin}:/etc/init/network.toml:ro"], ["sh", "-c", configure]);
        with.AssertExit(0);
    }
}
