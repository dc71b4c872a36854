using System.Text.RegularExpressions;

using Init.Tests.Harness;

using Xunit;

namespace Init.Tests.Scenarios;

/// <summary>
/// The init as docker's own init: the private daemon runs with <c>--init-path out/init</c>, so <c>docker run --init</c>
/// bind-mounts it at /sbin/docker-init and runs it as PID 1 with <c>--</c> and the image's entrypoint and command.
/// <c>--entrypoint ""</c> keeps the image's own /sbin/init out of the way: the workload is the command alone.
/// </summary>
[Collection(DockerCollection.Name)]
[Trait("Needs", "root")]
public class DropInScenarios(DockerDaemon docker)
{
    private static int s_containers;

    private static string NewName() => $"init-dropin-{Environment.ProcessId}-{Interlocked.Increment(ref s_containers)}";

    [Fact]
    public void DockerInfoShowsTheCommitOfOutInitAndTheDaemonParsesItWithoutAWarning()
    {
        string versionLine = Proc.Must(Repo.InitBinary, "--version").Trim();
        Match match = Regex.Match(versionLine, @"^init \d+\.\d+\.\d+ - git\.([0-9A-Za-z-]+)$");
        Assert.True(match.Success, versionLine);
        string commit = match.Groups[1].Value;
        Assert.Equal(commit, docker.Must("info", "--format", "{{.InitCommit.ID}}").Trim());
        Assert.Contains($"Init Version: {commit}", docker.Must("info"), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("failed to parse", docker.DaemonLog);
        Assert.DoesNotContain("unknown output format", docker.DaemonLog);
        // build.sh bakes in the checkout's commit: a real one, not "unknown".
        if (Directory.Exists(Path.Combine(Repo.Root, ".git")) || File.Exists(Path.Combine(Repo.Root, ".git")))
            Assert.True(Proc.Run("git", ["-C", Repo.Root, "cat-file", "-e", commit + "^{commit}"]).ExitCode == 0, $"{commit} is not a commit of this checkout");
    }

    [Fact]
    public void DockerRunInitPassesTheExitCodeAndTheInitIsPid1()
    {
        ProcResult result = docker.Run(["--init", "--entrypoint", ""], ["sh", "-c", "tr '\\0' ' ' < /proc/1/cmdline; exit 5"]);
        result.AssertExit(5);
        Assert.Equal("/sbin/docker-init -- sh -c", string.Join(' ', result.Stdout.Split(' ').Take(4)));
    }

    [Fact]
    public void DockerStopOfADockerInitContainerExits143WithoutTheKill()
    {
        string name = NewName();
        try
        {
            docker.Must("run", "-d", "--init", "--name", name, "--entrypoint", "", DockerDaemon.Image, "sleep", "1000");
            ProcResult stop = docker.Docker("stop", "-t", "10", name);
            stop.AssertExit(0);
            docker.Must("wait", name);
            Assert.Equal("143", docker.Must("inspect", "-f", "{{.State.ExitCode}}", name).Trim());
            Assert.True(stop.Elapsed < TimeSpan.FromSeconds(5), stop.ToString()); // not docker's SIGKILL after 10 s
        }
        finally
        {
            docker.Docker("rm", "-f", name);
        }
    }

    /// <summary>What a workload sees of its container: links, addresses, routes, capabilities, resolver.</summary>
    private const string Survey = "ip -o link | awk '{print $2,$3}'; ip -o addr | awk '{print $2,$3,$4}'; ip route; ip -6 route; grep ^Cap /proc/self/status; cat /etc/resolv.conf";

    [Fact]
    public void DockerRunInitWithoutASpecChangesNothingTheContainerSees()
    {
        ProcResult plain = docker.Run(["--entrypoint", ""], ["sh", "-c", Survey]);
        // No spec: the image's default spec hidden under an empty /etc/init. And with the image's own (lo up only).
        ProcResult noSpec = docker.Run(["--init", "--entrypoint", "", "--tmpfs", "/etc/init"], ["sh", "-c", Survey]);
        ProcResult defaultSpec = docker.Run(["--init", "--entrypoint", ""], ["sh", "-c", Survey]);
        foreach (ProcResult result in new[] { plain, noSpec, defaultSpec })
            Assert.True(result.ExitCode == 0 && !result.Stderr.Contains("init"), result.ToString());
        // Each container gets its own address on the bridge and its own veth peer.
        static string Masked(string survey) =>
            Regex.Replace(Regex.Replace(survey, @"10\.200\.250\.\d+", "10.200.250.X"), @"@if\d+", "@ifN");
        Assert.Equal(Masked(plain.Stdout), Masked(noSpec.Stdout));
        Assert.Equal(Masked(plain.Stdout), Masked(defaultSpec.Stdout));
    }

    [Fact]
    public void DockerRunInitAppliesASpecMountedAtTheDefaultPath()
    {
        using DockerHolder holder = docker.Holder();
        using var dir = new TempDir();
        string prefix = holder.Gateway.ToString()[..holder.Gateway.ToString().LastIndexOf('.')];
        string spec = dir.Write("network.toml", $"""
            [[interface]]
            name = "eth0"
            addresses = ["{prefix}.2/24"]
              [[interface.route]]
              to = "default"
              via = "{holder.Gateway}"
            """);
        ProcResult result = docker.Run(["--init", "--entrypoint", "", "--cap-add", "NET_ADMIN", "--network", holder.NetworkArg,
            "-v", $"{spec}:/etc/init/network.toml:ro"], ["sh", "-c", "ip -o addr show eth0; ip route; grep ^CapEff /proc/self/status"]);
        result.AssertExit(0);
        Assert.Contains($"inet {prefix}.2/24", result.Stdout);
        Assert.Contains($"default via {holder.Gateway} dev eth0", result.Stdout);
        // [workload]'s default reached the command too: NET_ADMIN (bit 12) is not in its effective set.
        string capEff = result.Stdout.Split('\n').Single(line => line.StartsWith("CapEff")).Split('\t')[1];
        Assert.Equal(0UL, Convert.ToUInt64(capEff, 16) & (1UL << 12));
    }

    [Fact]
    public void APauseContainerHoldsTheSpecNetworkForASecondContainerAndStopsWith0AtOnce()
    {
        using var dir = new TempDir();
        string spec = dir.Write("network.toml", """
            [[interface]]
            name = "eth0"
            flush = false                  # docker's own address and routes stay
            addresses = ["10.200.251.10/24"]
              [[interface.route]]
              to = "10.200.252.0/24"
              via = "10.200.251.1"
            """);
        string pause = NewName();
        try
        {
            docker.Must("run", "-d", "--name", pause, "--cap-add", "NET_ADMIN", "-v", $"{spec}:/etc/init/network.toml:ro",
                "--entrypoint", "/sbin/init", DockerDaemon.Image, "--pause");
            // The second container joins the pause container's network namespace (a pod's): it sees what the spec made.
            ProcResult joined = RetryUntil(() => docker.Run(["--network", "container:" + pause], ["sh", "-c", "ip -o addr show eth0; ip route"]),
                result => result.Stdout.Contains("10.200.252.0/24"));
            joined.AssertExit(0);
            Assert.Contains("inet 10.200.251.10/24", joined.Stdout);
            Assert.Contains("10.200.252.0/24 via 10.200.251.1 dev eth0", joined.Stdout);
            Assert.Matches(@"inet 10\.200\.250\.\d+/24", joined.Stdout);
            Assert.Equal("true", docker.Must("inspect", "-f", "{{.State.Running}}", pause).Trim());

            ProcResult stop = docker.Docker("stop", "-t", "10", pause);
            stop.AssertExit(0);
            docker.Must("wait", pause);
            Assert.Equal("0", docker.Must("inspect", "-f", "{{.State.ExitCode}}", pause).Trim());
            Assert.True(stop.Elapsed < TimeSpan.FromSeconds(5), stop.ToString()); // never docker's SIGKILL after 10 s
        }
        finally
        {
            docker.Docker("rm", "-f", pause);
        }
    }

    /// <summary>The pause container runs detached: its set-up may still be going when the second container starts.</summary>
    private static ProcResult RetryUntil(Func<ProcResult> run, Func<ProcResult, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        ProcResult result;
        while (!done(result = run()) && DateTime.UtcNow < deadline)
            Thread.Sleep(100);
        return result;
    }
}
