using System.Net;
using Xunit;

namespace Init.Tests.Harness;

/// <summary>Test classes that use real docker join this collection and share one private daemon.</summary>
[CollectionDefinition(Name)]
public sealed class DockerCollection : ICollectionFixture<DockerDaemon>
{
    public const string Name = "docker";
}

/// <summary>
/// A private dockerd (Debian's docker.io) with its own roots and socket, no iptables and no forwarding, out/init
/// as its init for <c>docker run --init</c>, started once for the test run and stopped by its PID at the end; and the FROM scratch test image
/// built from the repository's Dockerfile.prebuilt (out/image + rootfs/).
/// </summary>
public sealed class DockerDaemon : IDisposable
{
    public const string Image = "local/init-test";

    private readonly string _dir = $"/var/tmp/init-it-docker-{Environment.ProcessId}";
    private readonly RunningProc _daemon;
    private readonly bool _bridgeExisted = Proc.Run("ip", ["link", "show", "docker0"]).ExitCode == 0;
    private int _holders;

    public DockerDaemon()
    {
        Directory.CreateDirectory(_dir);
        _daemon = Proc.Start("dockerd", [
            "--iptables=false", "--ip-forward=false", "--ip-masq=false", "--bip", "10.200.250.1/24",
            "--data-root", $"{_dir}/root", "--exec-root", $"{_dir}/exec", "--pidfile", $"{_dir}/dockerd.pid",
            "-H", $"unix://{_dir}/d.sock",
            // docker run --init runs out/init as /sbin/docker-init (DropInScenarios); nothing else uses --init.
            "--init-path", Repo.InitBinary], new ProcOptions { Timeout = TimeSpan.FromHours(2) });
        try
        {
            WaitUntilReady();
            Must("build", "-f", Path.Combine(Repo.Root, "Dockerfile.prebuilt"), "-t", Image, Repo.Root);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>What the daemon has logged so far (its stderr).</summary>
    public string DaemonLog => _daemon.StderrSoFar;

    /// <summary>The client's environment: talks to this daemon only.</summary>
    public IDictionary<string, string?> ClientEnv => new Dictionary<string, string?>
    {
        ["DOCKER_HOST"] = $"unix://{_dir}/d.sock",
        ["DOCKER_BUILDKIT"] = "0",
        ["DOCKER_CLI_HINTS"] = "false",
    };

    /// <summary>Any docker client command against this daemon.</summary>
    public ProcResult Docker(params string[] args) => Docker(args, null);

    public ProcResult Docker(IEnumerable<string> args, ProcOptions? options) => Proc.Run("docker", args, new ProcOptions
    {
        Env = ClientEnv,
        Stdin = options?.Stdin,
        Timeout = options?.Timeout ?? TimeSpan.FromSeconds(60),
        WorkingDirectory = options?.WorkingDirectory,
    });

    /// <summary><c>docker run --rm RUNARGS local/init-test COMMAND</c>; pass <c>--entrypoint /sbin/init</c> to give init options.</summary>
    public ProcResult Run(IEnumerable<string> runArgs, IEnumerable<string> command, ProcOptions? options = null)
        => Docker(["run", "--rm", .. runArgs, Image, .. command], options);

    /// <summary>A docker command that must succeed.</summary>
    public string Must(params string[] args)
    {
        ProcResult result = Docker(args);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"docker {string.Join(' ', args)} failed: {result}");
        return result.Stdout;
    }

    /// <summary>A container holding a fresh network namespace with an unconfigured eth0 (see <see cref="DockerHolder"/>).</summary>
    public DockerHolder Holder() => new(this, Interlocked.Increment(ref _holders));

    public void Dispose()
    {
        // Stopping by the PID we started: dockerd stops its containers on TERM.
        if (int.TryParse(File.Exists($"{_dir}/dockerd.pid") ? File.ReadAllText($"{_dir}/dockerd.pid").Trim() : "", out int pid)
            && pid == _daemon.Pid)
            Proc.Run("kill", ["-TERM", pid.ToString()]);
        try { _daemon.Wait(); } catch (TimeoutException) { _daemon.Kill(); }
        _daemon.Dispose();
        // dockerd leaves mounts in its exec root (netns/default after a --network host build) and its exec root is
        // not a mount point itself, so umount -R misses them: every mount under our dir, deepest first.
        foreach (string mountPoint in File.ReadLines("/proc/self/mountinfo").Select(line => line.Split(' ')[4])
                     .Where(path => path.StartsWith(_dir + "/", StringComparison.Ordinal)).OrderByDescending(path => path.Length))
            Proc.Run("umount", [mountPoint]);
        // Gigabytes after the from-source image builds (stand-in SDK and build layers).
        Proc.Run("rm", ["-rf", _dir], new ProcOptions { Timeout = TimeSpan.FromMinutes(5) });
        // Leave the host's namespace as we found it, unless another daemon still uses the shared bridge.
        if (!_bridgeExisted && Proc.Run("pgrep", ["-x", "dockerd"]).ExitCode != 0)
            Proc.Run("ip", ["link", "del", "docker0"]);
    }

    private void WaitUntilReady()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Docker("info").ExitCode != 0)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("dockerd did not answer within 60 s:\n" + _daemon.StderrSoFar);
            Thread.Sleep(100);
        }
    }
}

/// <summary>
/// The "netns holder" (docs/testing.md): a container with <c>--network none</c> whose namespace gets a veth named
/// eth0 (DOWN, no address); the other end sits in a throwaway gateway namespace (10.200.N.1/24), never in the
/// host's. Run containers with <c>--network</c> <see cref="NetworkArg"/>. Dispose removes both.
/// </summary>
public sealed class DockerHolder : IDisposable
{
    private readonly DockerDaemon _docker;

    public string Name { get; }
    public string GatewayNs { get; }
    public IPAddress Gateway { get; }
    public string NetworkArg => "container:" + Name;

    internal DockerHolder(DockerDaemon docker, int n)
    {
        _docker = docker;
        Name = $"holder{Environment.ProcessId}-{n}";
        GatewayNs = Name + "g";
        Gateway = IPAddress.Parse($"10.200.{200 + n % 40}.1");
        try
        {
            docker.Must("run", "-d", "--name", Name, "--network", "none", "--entrypoint", "/bin/busybox",
                DockerDaemon.Image, "sleep", "3600");
            string pid = docker.Must("inspect", "-f", "{{.State.Pid}}", Name).Trim();
            Proc.Must("ip", "netns", "add", GatewayNs);
            Proc.Must("ip", "-n", GatewayNs, "link", "add", "gw0", "type", "veth", "peer", "name", "eth0", "netns", pid);
            Proc.Must("ip", "-n", GatewayNs, "addr", "add", Gateway + "/24", "dev", "gw0");
            Proc.Must("ip", "-n", GatewayNs, "link", "set", "gw0", "up");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _docker.Docker("rm", "-f", Name);
        Proc.Run("ip", ["netns", "del", GatewayNs]);
    }
}
