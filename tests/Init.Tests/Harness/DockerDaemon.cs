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
/// The private dockerd of tests/lib/dockerd.sh (Debian's docker.io: its own roots and socket, no iptables and no
/// forwarding), started once for the test run and stopped by its PID at the end, the way build.sh and bench.sh
/// do it, with out/init as its init for <c>docker run --init</c>; and the FROM scratch test image built from the
/// repository's Dockerfile.prebuilt (out/image + rootfs/).
/// </summary>
public sealed class DockerDaemon : IDisposable
{
    public const string Image = "local/init-test";

    private readonly string _dir = $"/var/tmp/init-it-docker-{Environment.ProcessId}";
    private int _holders;

    public DockerDaemon()
    {
        try
        {
            // docker run --init runs out/init as /sbin/docker-init (DropInScenarios); nothing else uses --init.
            ProcResult started = DockerdScript("start", _dir, "--bip", "10.200.250.1/24", "--init-path", Repo.InitBinary);
            if (started.ExitCode != 0)
                throw new InvalidOperationException($"tests/lib/dockerd.sh start failed: {started}\n{DaemonLog}");
            Must("build", "-f", Path.Combine(Repo.Root, "Dockerfile.prebuilt"), "-t", Image, Repo.Root);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>What the daemon has logged so far (its stderr).</summary>

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

    /// <summary>Stops the daemon by its PID, unmounts what it left and restores docker0 (tests/lib/dockerd.sh stop).</summary>
    public void Dispose()
    {
        DockerdScript("stop", _dir);
        // Gigabytes after the from-source image builds (stand-in SDK and build layers).
        Proc.Run("rm", ["-rf", _dir], new ProcOptions { Timeout = TimeSpan.FromMinutes(5) });
    }

    private static ProcResult DockerdScript(params string[] args) =>
        Proc.Run("bash", [Path.Combine(Repo.Root, "tests", "lib", "dockerd.sh"), .. args],
            new ProcOptions { Timeout = TimeSpan.FromSeconds(90) });

    /// <summary>What the daemon has logged so far (tests/lib/dockerd.sh sends its output to DIR/dockerd.log).</summary>
    public string DaemonLog => File.Exists($"{_dir}/dockerd.log") ? File.ReadAllText($"{_dir}/dockerd.log") : "";
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
