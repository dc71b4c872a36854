namespace Init.Tests.Harness;

/// <summary>How to run out/init as PID 1.</summary>
public class Pid1Options : ProcOptions
{
    /// <summary>False drops CAP_NET_ADMIN from every set (setpriv), like a container without --cap-add NET_ADMIN.</summary>
    public bool NetAdmin { get; init; } = true;
    /// <summary>More capabilities (setpriv names: "setpcap") the "container" does not give, like docker --cap-drop.</summary>
    public IReadOnlyList<string> CapDrop { get; init; } = [];
    /// <summary>Host file → path it is bind-mounted over in the init's private mount namespace (an image's /etc/passwd).</summary>
    public IReadOnlyDictionary<string, string> Binds { get; init; } = new Dictionary<string, string>();
    /// <summary>Run in this named netns (/run/netns/NAME) instead of a fresh, empty one.</summary>
    public string? Netns { get; init; }
}

/// <summary>A running out/init as PID 1 of its own PID namespace.</summary>
public sealed class Pid1Process(RunningProc launcher) : IDisposable
{
    /// <summary>The init's pid as the test (host) sees it, to send it signals from outside.</summary>
    public int HostPid { get; } = FindInit(launcher.Pid);

    public RunningProc Launcher => launcher;

    /// <summary>kill(2) from outside the namespace, as docker does.</summary>
    public void Signal(int signal) => Proc.Must("kill", $"-{signal}", HostPid.ToString());

    public ProcResult Wait() => launcher.Wait();

    public void Dispose() => launcher.Dispose();

    private static int FindInit(int launcherPid)
    {
        string init = Repo.InitBinary;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            foreach (string child in Children(launcherPid))
                if (ExePath(child) == init || InterpretedFile(child) == init) return int.Parse(child);
            Thread.Sleep(5);
        }
        throw new TimeoutException($"no init below launcher {launcherPid}");
    }

    private static string[] Children(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/task/{pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries); }
        catch (IOException) { return []; }
    }

    /// <summary>
    /// Under binfmt_misc (the arm64 init through qemu-user) exe is the interpreter; the kernel passes it the file it
    /// runs as its first argument.
    /// </summary>
    private static string? InterpretedFile(string pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0') is [_, var file, ..] ? file : null; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    private static string? ExePath(string pid)
    {
        try { return new FileInfo($"/proc/{pid}/exe").LinkTarget; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }
}

/// <summary>
/// Runs the static binary as PID 1 in fresh PID + mount namespaces (and a fresh or named netns), with /proc and
/// /sys of its own namespaces mounted.
/// </summary>
public static class Pid1
{
    public static ProcResult Run(IEnumerable<string> initArgs, Pid1Options? options = null)
        => Proc.Run(Launcher(options), LauncherArgs(initArgs, options), options);

    /// <summary>Starts it and returns at once; <see cref="Pid1Process.HostPid"/> is the init.</summary>
    public static Pid1Process Start(IEnumerable<string> initArgs, Pid1Options? options = null)
        => new(Proc.Start(Launcher(options), LauncherArgs(initArgs, options), options));

    private static string Launcher(Pid1Options? options) => options?.Netns is null ? "unshare" : "nsenter";

    private static IEnumerable<string> LauncherArgs(IEnumerable<string> initArgs, Pid1Options? options)
    {
        var args = new List<string>();
        if (options?.Netns is { } netns)
            args.AddRange([$"--net=/run/netns/{netns}", "unshare", "--pid", "--fork", "--mount-proc"]);
        else
            args.AddRange(["--pid", "--fork", "--mount-proc", "--net"]);
        // /sys would still show the host's links: remount it in the private mount namespace, then exec
        // (the shell's PID 1 becomes the init's).
        string binds = string.Concat((options?.Binds ?? new Dictionary<string, string>())
            .Select(bind => $"mount --bind '{bind.Key}' '{bind.Value}' && "));
        args.AddRange(["--", "/bin/sh", "-c", $"mount -t sysfs sysfs /sys && {binds}exec \"$@\"", "sh"]);
        List<string> lacks = [.. options is { NetAdmin: false } ? ["net_admin"] : Array.Empty<string>(), .. options?.CapDrop ?? []];
        if (lacks.Count > 0)
        {
            string drops = string.Join(',', lacks.Select(cap => "-" + cap));
            args.AddRange(["setpriv", "--bounding-set", drops, "--inh-caps", drops, "--"]);
        }
        args.Add(Repo.InitBinary);
        args.AddRange(initArgs);
        return args;
    }
}
