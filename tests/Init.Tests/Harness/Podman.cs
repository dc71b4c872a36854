using Xunit;

namespace Init.Tests.Harness;

/// <summary>Test classes that use podman share one throwaway store.</summary>
[CollectionDefinition(Name)]
public sealed class PodmanCollection : ICollectionFixture<Podman>
{
    public const string Name = "podman";
}

/// <summary>
/// Debian's podman (4.3) with everything of its own under one temporary directory: storage (<c>--root</c>, vfs: no
/// overlay mounts), state (<c>--runroot</c>), temporary files and runc's state (<c>--runtime-flag root=</c>), events
/// in a file. runc, not crun: crun 1.8 refuses this machine's hybrid cgroup hierarchy. The test image is imported
/// from the files Dockerfile.prebuilt copies (out/image + rootfs/), so no daemon or registry is involved. Containers
/// run with <c>--network none</c> (podman's bridge would add a host bridge and firewall rules) and with
/// <see cref="Ulimits"/>. Dispose removes every container, the directory, and what podman made outside it.
/// </summary>
public sealed class Podman : IDisposable
{
    public const string Image = "localhost/init-test";

    /// <summary>
    /// The build machines' VMs lack CAP_SYS_RESOURCE: runc cannot raise a limit over the hard limit it inherits, and
    /// podman asks for nofile 1048576 and nproc by default ("error setting rlimit type 7: operation not permitted").
    /// </summary>
    public static readonly string[] Ulimits = ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"];

    /// <summary>containers/image keeps a blob cache here for root, whatever --root says.</summary>
    private const string BlobCache = "/var/lib/containers";

    /// <summary>podman run makes runc's default state directory (empty: the state goes where --runtime-flag root= says).</summary>
    private const string RuncState = "/run/runc";

    private readonly string _dir = $"/var/tmp/init-it-podman-{Environment.ProcessId}";
    private readonly bool _blobCacheExisted = Directory.Exists(BlobCache);
    private readonly bool _runcStateExisted = Directory.Exists(RuncState);

    public Podman()
    {
        try
        {
            string rootfs = Path.Combine(_dir, "rootfs");
            Directory.CreateDirectory(rootfs);
            Proc.Must("cp", "-a", Path.Combine(Repo.Root, "out", "image") + "/.", Path.Combine(Repo.Root, "rootfs") + "/.", rootfs);
            Proc.Must("tar", "-C", rootfs, "-cf", Path.Combine(_dir, "image.tar"), ".");
            Must("import", "--change", "ENTRYPOINT [\"/sbin/init\", \"--\"]", Path.Combine(_dir, "image.tar"), Image);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    private string[] Global => [
        "--root", $"{_dir}/root", "--runroot", $"{_dir}/run", "--tmpdir", $"{_dir}/tmp", "--storage-driver", "vfs",
        "--cgroup-manager", "cgroupfs", "--events-backend", "file", "--runtime", "runc", "--runtime-flag", $"root={_dir}/runc"];

    public ProcResult Run(params string[] args) => Proc.Run("podman", [.. Global, .. args], new ProcOptions { Timeout = TimeSpan.FromSeconds(60) });

    public string Must(params string[] args)
    {
        ProcResult result = Run(args);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"podman {string.Join(' ', args)} failed: {result}");
        return result.Stdout;
    }

    /// <summary><c>podman run --rm --network none ULIMITS --init --init-path out/init RUNARGS IMAGE COMMAND</c>.</summary>
    public ProcResult RunWithInit(IEnumerable<string> runArgs, IEnumerable<string> command) =>
        Run(["run", "--rm", "--network", "none", .. Ulimits, "--init", "--init-path", Repo.InitBinary, .. runArgs, Image, .. command]);

    public void Dispose()
    {
        Run("rm", "-af", "-t", "0");
        foreach (string mountPoint in File.ReadLines("/proc/self/mountinfo").Select(line => line.Split(' ')[4])
                     .Where(path => path.StartsWith(_dir + "/", StringComparison.Ordinal)).OrderByDescending(path => path.Length))
            Proc.Run("umount", [mountPoint]);
        Proc.Run("rm", ["-rf", _dir]);
        if (!_blobCacheExisted)
            Proc.Run("rm", ["-rf", BlobCache]);
        if (!_runcStateExisted)
            Proc.Run("rmdir", [RuncState]); // only if still empty: then nothing else uses it

    }
}
