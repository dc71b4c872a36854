using Init.Tests.Harness;

using Xunit;

namespace Init.Tests.Scenarios;

/// <summary>
/// The init as podman's init: <c>podman run --init --init-path out/init</c> bind-mounts it at /run/podman-init and
/// runs it as PID 1 with <c>--</c> and the image's entrypoint and command (<c>--entrypoint ""</c>: the command alone).
/// </summary>
[Collection(PodmanCollection.Name)]
[Trait("Needs", "root")]
public class PodmanDropInScenarios(Podman podman)
{
    [Fact]
    public void PodmanRunInitPassesTheExitCodeAndTheInitIsPid1()
    {
        ProcResult result = podman.RunWithInit(["--entrypoint", ""], ["sh", "-c", "tr '\\0' ' ' < /proc/1/cmdline; exit 5"]);
        result.AssertExit(5);
        Assert.Equal("/run/podman-init -- sh -c", string.Join(' ', result.Stdout.Split(' ').Take(4)));
    }

    [Fact]
    public void PodmanStopExits143WithoutTheKill()
    {
        string name = $"init-dropin-{Environment.ProcessId}";
        try
        {
            podman.Must(["run", "-d", "--name", name, "--network", "none", .. Podman.Ulimits, "--init", "--init-path", Repo.InitBinary,
                "--entrypoint", "", Podman.Image, "sleep", "1000"]);
            ProcResult stop = podman.Run("stop", "-t", "10", name);
            stop.AssertExit(0);
            Assert.Equal("143", podman.Must("inspect", "-f", "{{.State.ExitCode}}", name).Trim());
            Assert.True(stop.Elapsed < TimeSpan.FromSeconds(5), stop.ToString()); // not podman's SIGKILL after 10 s
        }
        finally
        {
            podman.Run("rm", "-f", "-t", "0", name);
        }
    }

    [Fact]
    public void PodmanRunInitAppliesASpecMountedAtTheDefaultPath()
    {
        using var dir = new TempDir();
        string spec = dir.Write("network.toml", "[loopback]\naddresses = [\"10.200.249.1/32\"]\n");
        ProcResult result = podman.RunWithInit(["--entrypoint", "", "--cap-add", "NET_ADMIN", "-v", $"{spec}:/etc/init/network.toml:ro"],
            ["sh", "-c", "ip -o addr show lo; grep ^CapEff /proc/self/status"]);
        result.AssertExit(0);
        Assert.Contains("inet 10.200.249.1/32", result.Stdout);
        string capEff = result.Stdout.Split('\n').Single(line => line.StartsWith("CapEff")).Split('\t')[1];
        Assert.Equal(0UL, Convert.ToUInt64(capEff, 16) & (1UL << 12)); // [workload]'s default drop of NET_ADMIN
    }
}
