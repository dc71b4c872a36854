namespace Init.Tests.Harness;

/// <summary>Where the repository and the published binary are.</summary>
public static class Repo
{
    /// <summary>The checkout's root: the folder holding init.sln above the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The published static binary. <c>./build.sh</c> (or <c>dotnet publish … -o out</c>) makes it.</summary>
    public static string InitBinary
    {
        get
        {
            string path = Path.Combine(Root, "out", "init");
            if (!File.Exists(path))
                throw new FileNotFoundException($"{path} is missing: run ./build.sh (it publishes out/init) before the tests");
            return path;
        }
    }

    /// <summary>Debian's busybox-static: the workload toolbox of every test.</summary>
    public const string Busybox = "/bin/busybox";

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "init.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException("init.sln not found above " + AppContext.BaseDirectory);
    }
}
