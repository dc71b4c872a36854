namespace Init.Tests.Harness;

/// <summary>Where the repository and the published binary are.</summary>
public static class Repo
{
    /// <summary>The checkout's root: the folder holding init.sln above the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// The architecture of the binary under test: INIT_ARCH=arm64 (./build.sh test's emulated pass) runs
    /// out/arm64/init through qemu-user (<see cref="Binfmt"/>); unset, the host's out/init.
    /// </summary>
    public static string Arch { get; } = Environment.GetEnvironmentVariable("INIT_ARCH") is { Length: > 0 } arch ? arch : "x64";

    /// <summary>
    /// The published static binary. <c>./build.sh</c> (or <c>dotnet publish … -o out</c>) makes it. A binary older
    /// than any source it is built from is refused: a system test must never pass or fail on yesterday's init.
    /// </summary>
    public static string InitBinary => s_initBinary.Value;

    private static readonly Lazy<string> s_initBinary = new(() => Arch switch
    {
        "x64" => Published(Path.Combine(Root, "out", "init"), "./build.sh"),
        "arm64" => Arm64InitBinary,
        _ => throw new InvalidOperationException($"INIT_ARCH={Arch}: only x64 (the default) and arm64 are built"),
    });

    /// <summary>out/arm64/init, runnable here: qemu-aarch64 is registered with binfmt_misc first.</summary>
    public static string Arm64InitBinary
    {
        get
        {
            string path = Published(Path.Combine(Root, "out", "arm64", "init"), "./build.sh build --arch arm64");
            Binfmt.EnsureAarch64();
            return path;
        }
    }

    /// <summary>The most recently changed file the binary is built from (init/, netlink/, the shared props).</summary>
    private static FileInfo? NewestSource() =>
        new[] { "init", "netlink" }
            .SelectMany(folder => new DirectoryInfo(Path.Combine(Root, folder)).EnumerateFiles("*", SearchOption.AllDirectories))
            .Where(file => !IsBuildOutput(file.FullName))
            .Append(new FileInfo(Path.Combine(Root, "Directory.Build.props")))
            .Where(file => file.Exists)
            .MaxBy(file => file.LastWriteTimeUtc);

    private static bool IsBuildOutput(string path) =>
        path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")
        || path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}");

    /// <summary>Debian's busybox-static: the workload toolbox of every test.</summary>
    public const string Busybox = "/bin/busybox";

    private static string Published(string path, string command)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} is missing: run {command} (it publishes it) before the tests");
        if (NewestSource() is { } newest && newest.LastWriteTimeUtc > File.GetLastWriteTimeUtc(path))
            throw new InvalidOperationException(
                $"{path} is older than {Path.GetRelativePath(Root, newest.FullName)}: run {command} before the tests");
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "init.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException("init.sln not found above " + AppContext.BaseDirectory);
    }
}
