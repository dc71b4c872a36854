using System.Text.RegularExpressions;
using Init.Tests.Harness;
using Xunit;

namespace Init.Tests.Image;

/// <summary>
/// The linux/arm64 image (./build.sh image's second one) in the private dockerd, run through binfmt_misc's
/// qemu-aarch64: Dockerfile.prebuilt over out/arm64/image (the arm64 init, Debian's arm64 busybox-static), and the
/// demo (demo/network.toml, demo/inside.sh) with what it shows checked.
/// </summary>
[Trait("Needs", "root")]
[Collection(DockerCollection.Name)]
public sealed class Arm64ImageTests(DockerDaemon docker) : IDisposable
{
    private const string Tag = "local/init-test:arm64";

    private readonly string _built = Build(docker);

    [Fact]
    public void The_image_is_linux_arm64_and_every_file_in_it_is_aarch64()
    {
        Assert.Equal("linux/arm64", docker.Must("image", "inspect", "-f", "{{.Os}}/{{.Architecture}}", Tag).Trim());
        ProcResult machine = docker.Docker("run", "--rm", "--platform", "linux/arm64", Tag, "/bin/uname", "-m");
        Assert.True(machine.ExitCode == 0, machine.ToString());
        Assert.Equal("aarch64", machine.Stdout.Trim());
        foreach (string file in new[] { "sbin/init", "bin/busybox" })
            Assert.Contains("ARM aarch64", Proc.Must("file", "-b", Path.Combine(Repo.Root, "out", "arm64", "image", file)));
    }

    [Fact]
    public void The_demo_runs_as_on_x86_64_network_files_capabilities_reaping_and_the_exit_status()
    {
        ProcResult result = docker.Docker(["run", "-i", "--rm", "--platform", "linux/arm64", "--cap-add", "NET_ADMIN",
            "--hostname", "demo-1", "--sysctl", "net.ipv6.conf.all.disable_ipv6=0",
            "-v", $"{Path.Combine(Repo.Root, "demo", "network.toml")}:/etc/init/network.toml:ro", Tag, "/bin/sh", "-s"],
            new ProcOptions { Stdin = File.ReadAllText(Path.Combine(Repo.Root, "demo", "inside.sh")) });
        Assert.True(result.ExitCode == 3, result.ToString());
        string shown = result.Stdout;
        Assert.Contains("/sbin/init -- /bin/sh -s", shown); // after the binfmt interpreter's name
        Assert.Contains("inet 169.254.169.254/32", shown);
        Assert.Contains("mtu 1400", shown);
        Assert.Equal(["127.0.0.1/8", "169.254.169.254/32", "10.200.250.10/24"],
            Regex.Matches(shown, @"inet (\S+)").Select(m => m.Groups[1].Value));
        Assert.Contains("inet6 fd00:200:250::10/64", shown);
        Assert.Contains("default via 10.200.250.1 dev eth0  metric 100", shown);
        Assert.Contains("10.200.99.0/24 via 10.200.250.1 dev eth0", shown);
        Assert.Contains("bytes from 10.200.250.1", shown);
        Assert.Contains("--- hostname demo-1;", shown);
        Assert.Contains("nameserver 10.200.250.1", shown);
        Assert.Contains("gateway.demo.internal", shown);
        // The workload without NET_ADMIN (bit 12), PID 1 with it.
        var capabilities = Regex.Matches(shown, @"/proc/(self|1)/status:CapEff:\s+([0-9a-f]+)")
            .ToDictionary(m => m.Groups[1].Value, m => Convert.ToUInt64(m.Groups[2].Value, 16));
        Assert.Equal(0UL, capabilities["self"] & (1UL << 12));
        Assert.NotEqual(0UL, capabilities["1"] & (1UL << 12));
        // After the orphan's exit no zombie is left: the last process listing has no 'Z'.
        string afterReap = shown[shown.LastIndexOf("PID  PPID STATE NAME", StringComparison.Ordinal)..];
        Assert.DoesNotMatch(@"\sZ\s", afterReap);
        Assert.DoesNotContain("init: error", result.Stderr);
    }

    public void Dispose() => docker.Docker("rmi", "-f", _built);

    private static string Build(DockerDaemon docker)
    {
        _ = Repo.Arm64InitBinary; // there, and runnable here (binfmt)
        // BuildKit (Debian's 20.10 client): the legacy builder records a FROM scratch step as the daemon's platform
        // and then refuses its own intermediate image as not linux/arm64.
        var env = docker.ClientEnv;
        env["DOCKER_BUILDKIT"] = "1";
        ProcResult build = Proc.Run("/usr/bin/docker", ["build", "--platform", "linux/arm64", "--build-arg", "IMAGE_ROOT=out/arm64/image",
            "-f", Path.Combine(Repo.Root, "Dockerfile.prebuilt"), "-t", Tag, Repo.Root], new ProcOptions { Env = env, Timeout = TimeSpan.FromMinutes(2) });
        if (build.ExitCode != 0)
            throw new InvalidOperationException($"the arm64 image did not build: {build}");
        return Tag;
    }
}
