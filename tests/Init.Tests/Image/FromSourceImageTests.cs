using System.Text.RegularExpressions;
using Init.Tests.Harness;
using Xunit;
using Xunit.Abstractions;

namespace Init.Tests.Image;

/// <summary>
/// README's "Use it in your own image" for a user of Debian's docker.io: <c>docker build -t local/init .</c> on a fresh
/// clone (the current commit: no out/), with the legacy builder and with BuildKit, through Debian's own client
/// (/usr/bin/docker 20.10, BuildKit built in). This machine cannot pull, so the Dockerfile's base images are STAND-INS
/// tagged with the pinned names (base-standins.sh: Debian bookworm + the machine's .NET SDK, not the registry's
/// Ubuntu SDK image). Everything else is the user's path: apt and NuGet from the network (--network host: the private
/// daemon has no NAT), the real restore of the ILCompiler packages, the NativeAOT publish.
/// </summary>
[Collection(DockerCollection.Name)]
[Trait("Needs", "root")]
public sealed class FromSourceImageTests(DockerDaemon docker, ITestOutputHelper output)
{
    /// <summary>Debian's docker client: the one a docker.io user has (the newer client on PATH needs buildx for BuildKit).</summary>
    private const string DebianClient = "/usr/bin/docker";
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(15);

    private static readonly Lock StandInsLock = new();
    private static DockerDaemon? s_standInsImportedInto;

    [Fact]
    public void LegacyBuilderBuildsTheDefaultTargetFromAFreshCloneOnStandInBases()
        => BuildsAWorkingImage(buildKit: false);

    [Fact]
    public void BuildKitBuildsTheDefaultTargetFromAFreshCloneOnStandInBases()
        => BuildsAWorkingImage(buildKit: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ThePrebuiltDockerfileWithoutOutImageFailsNamingItAndMakesNoImage(bool buildKit)
    {
        using var clone = FreshClone();
        string tag = $"local/init-prebuilt-missing-{(buildKit ? "buildkit" : "legacy")}";
        try
        {
            ProcResult build = Build(buildKit, clone["src"], tag, "-f", Path.Combine(clone["src"], "Dockerfile.prebuilt"));
            Assert.True(build.ExitCode != 0, build.ToString());
            Assert.Contains("out/image/sbin/init", build.Stdout + build.Stderr);
            Assert.NotEqual(0, docker.Docker("image", "inspect", tag).ExitCode);
        }
        finally
        {
            docker.Docker("rmi", "-f", tag);
        }
    }

    private void BuildsAWorkingImage(bool buildKit)
    {
        output.WriteLine(ImportStandIns());
        using var clone = FreshClone();
        string tag = $"local/init-from-source-{(buildKit ? "buildkit" : "legacy")}";
        try
        {
            ProcResult build = Build(buildKit, clone["src"], tag, "--network", "host");
            build.AssertExit(0);
            output.WriteLine($"{(buildKit ? "BuildKit" : "legacy builder")}: built in {build.Elapsed.TotalSeconds:F0} s on stand-in base images");

            ProcResult exit = docker.Docker("run", "--rm", tag, "sh", "-c", "exit 4");
            exit.AssertExit(4);

            AssertSameLayoutAsBuildSh(tag);
            AssertDemoSpecConfiguresTheNetwork(tag, Path.Combine(clone["src"], "demo", "network.toml"));
        }
        finally
        {
            docker.Docker("rmi", "-f", tag);
        }
    }

    /// <summary>/sbin/init and Debian's busybox with the same applet links as ./build.sh's out/image.</summary>
    private void AssertSameLayoutAsBuildSh(string tag)
    {
        ProcResult found = docker.Docker("run", "--rm", "--entrypoint", "/bin/busybox", tag, "find", "/sbin", "/bin");
        found.AssertExit(0);
        string imageRoot = Path.Combine(Repo.Root, "out", "image");
        var expected = Directory.EnumerateFileSystemEntries(imageRoot, "*", SearchOption.AllDirectories)
            .Select(path => "/" + Path.GetRelativePath(imageRoot, path)).Order(StringComparer.Ordinal);
        Assert.Equal(expected, found.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));

        ProcResult banner = docker.Docker("run", "--rm", "--entrypoint", "/bin/busybox", tag);
        Assert.Matches(@"^BusyBox v\S+ \(Debian ", banner.Stdout);
    }

    /// <summary>The demo's spec (as ./build.sh demo runs it) converges docker's eth0: address, MTU, routes, table 100.</summary>
    private void AssertDemoSpecConfiguresTheNetwork(string tag, string spec)
    {
        ProcResult result = docker.Docker(["run", "--rm", "--cap-add", "NET_ADMIN", "--hostname", "demo-1",
            "--sysctl", "net.ipv6.conf.all.disable_ipv6=0", "-v", $"{spec}:/etc/init/network.toml:ro", tag,
            "sh", "-c", "ip addr show eth0; ip route; ip route show table 100; cat /etc/resolv.conf"], null);
        result.AssertExit(0);
        Assert.Contains("mtu 1400", result.Stdout);
        Assert.Equal(["10.200.250.10/24"], Regex.Matches(result.Stdout, @"inet (\S+)").Select(m => m.Groups[1].Value));
        Assert.Contains("inet6 fd00:200:250::10/64", result.Stdout);
        Assert.Contains("default via 10.200.250.1 dev eth0  metric 100", result.Stdout);
        Assert.Contains("10.200.99.0/24 via 10.200.250.1 dev eth0", result.Stdout);
        Assert.Contains("nameserver 10.200.250.1", result.Stdout);
    }

    private ProcResult Build(bool buildKit, string context, string tag, params string[] options)
    {
        var env = docker.ClientEnv;
        env["DOCKER_BUILDKIT"] = buildKit ? "1" : "0";
        return Proc.Run(DebianClient, ["build", .. options, "-t", tag, context], new ProcOptions { Env = env, Timeout = BuildTimeout });
    }

    /// <summary>The repository's current commit, cloned: what a new user gets (no out/, nothing untracked).</summary>
    private static TempDir FreshClone()
    {
        var dir = new TempDir();
        try
        {
            string commit = Proc.Must("git", "-C", Repo.Root, "rev-parse", "HEAD").Trim();
            Proc.Must("git", "clone", "-q", "--no-checkout", Repo.Root, dir["src"]);
            Proc.Must("git", "-C", dir["src"], "checkout", "-q", "--detach", commit);
            return dir;
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    /// <summary>Tags the stand-ins for the Dockerfile's pinned bases in this daemon, once per daemon.</summary>
    private string ImportStandIns()
    {
        lock (StandInsLock)
        {
            if (s_standInsImportedInto == docker) return "stand-in base images already imported";
            string dockerfile = File.ReadAllText(Path.Combine(Repo.Root, "Dockerfile"));
            string Base(string stage) => Regex.Match(dockerfile, $@"^FROM (\S+) AS {stage}$", RegexOptions.Multiline).Groups[1].Value;
            ProcResult result = Proc.Run(Path.Combine(Repo.Root, "tests", "Init.Tests", "Image", "base-standins.sh"),
                [Base("build"), Base("toolbox")], new ProcOptions { Env = docker.ClientEnv, Timeout = TimeSpan.FromMinutes(10) });
            if (result.ExitCode != 0)
                throw new InvalidOperationException("base-standins.sh failed: " + result);
            s_standInsImportedInto = docker;
            return result.Stdout.Trim();
        }
    }
}
