using Init.Tests.Harness;

using Xunit;

namespace Init.Tests.Scenarios;

/// <summary>
/// What the workload inherits (the container's signal mask and ignored signals, its descriptors, its working
/// directory) and where the init's own messages go.
/// </summary>
[Trait("Needs", "root")]
public class HygieneScenarios
{
    private const string Busybox = Repo.Busybox;

    private static ulong Mask(string status, string field) =>
        Convert.ToUInt64(status.Split('\n').Single(line => line.StartsWith(field + ":")).Split('\t')[1], 16);

    private static ulong Bit(int signal) => 1UL << (signal - 1);

    [Fact]
    public void WorkloadGetsTheContainersMaskAndIgnoredSignalsButNotDotnetsSigpipe()
    {
        // tini's test: the container's parent ignores TTOU and INT and blocks TTIN and TERM (perl does the
        // sigprocmask; both survive exec into unshare and the init).
        ProcResult result = Proc.Run("perl", ["-MPOSIX", "-e", """
            $SIG{TTOU} = "IGNORE"; $SIG{INT} = "IGNORE";
            sigprocmask(SIG_BLOCK, POSIX::SigSet->new(SIGTTIN, SIGTERM)) or die;
            exec @ARGV or die;
            """, "unshare", "--pid", "--fork", "--mount-proc", Repo.InitBinary, "-vv", Busybox, "cat", "/proc/self/status"]);
        result.AssertExit(0);
        ulong blocked = Mask(result.Stdout, "SigBlk"), ignored = Mask(result.Stdout, "SigIgn");
        Assert.Equal(Bit(21) | Bit(15), blocked);
        Assert.Equal(Bit(22) | Bit(2), ignored);
        Assert.Equal(0UL, ignored & Bit(13)); // SIGPIPE: the runtime ignores it in the init, the workload must not
    }

    [Fact]
    public void ASigpipeOrSegvTheContainerIgnoredStaysIgnored()
    {
        // startup.c reads the container's SigIgn before the runtime ignores SIGPIPE, so the two are told apart; SEGV
        // has the runtime's handler in the init, and the spawn's child puts the container's SIG_IGN back.
        ProcResult result = Proc.Run("perl", ["-e", "$SIG{PIPE} = 'IGNORE'; $SIG{SEGV} = 'IGNORE'; exec @ARGV or die;",
            "unshare", "--pid", "--fork", "--mount-proc", Repo.InitBinary, Busybox, "cat", "/proc/self/status"]);
        result.AssertExit(0);
        Assert.Equal(Bit(13) | Bit(11), Mask(result.Stdout, "SigIgn"));
    }

    [Fact]
    public void WithACleanContainerTheWorkloadBlocksAndIgnoresNothing()
    {
        ProcResult result = Pid1.Run([Busybox, "cat", "/proc/self/status"]);
        Assert.Equal(0UL, Mask(result.Stdout, "SigBlk"));
        Assert.Equal(0UL, Mask(result.Stdout, "SigIgn"));
    }

    [Fact]
    public void EveryThreadOfTheInitBlocksTheForwardedSignals()
    {
        // startup.c blocks them before the runtime makes its threads; checked from outside, while it runs.
        using var dir = new TempDir();
        using Pid1Process init = Pid1.Start(["-vv", Busybox, "sh", "-c", $"touch {dir["up"]}; exec {Busybox} sleep 10"]);
        dir.WaitFor("up", _ => true);
        string[] tasks = Directory.GetDirectories($"/proc/{init.HostPid}/task");
        Assert.True(tasks.Length >= 2, "expected the main and the finalizer thread");
        ulong forwarded = Enumerable.Range(1, 31).Except([9, 17, 19]).Concat(Enumerable.Range(35, 30)).Aggregate(0UL, (m, s) => m | Bit(s));
        foreach (string task in tasks)
        {
            ulong blocked = Mask(File.ReadAllText(Path.Combine(task, "status")), "SigBlk");
            if (Path.GetFileName(task) == init.HostPid.ToString())
                // The main thread sits in sigtimedwait, which unblocks what it waits for while it waits.
                Assert.Equal(0UL, blocked & forwarded);
            else
                Assert.True((blocked & forwarded) == forwarded, $"thread {task} blocks only {blocked:x}");
            Assert.Equal(0UL, blocked & (Bit(32) | Bit(33) | Bit(34))); // glibc's and the runtime's own
        }
        init.Signal(15);
        Assert.Equal(143, init.Wait().ExitCode);
    }

    [Fact]
    public void WorkloadSeesOnlyTheDescriptorsTheContainerPassedIn()
    {
        // The "container" passes 0, 1, 2 and 7 and nothing else; the workload lists its own descriptors
        // (ls's listing of /proc/self/fd is its own and left out).
        ProcResult result = Proc.Run("bash", ["-c", """
            for fd in $(ls /proc/$$/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
            exec 7</etc/hostname
            exec unshare --pid --fork --mount-proc "$@"
            """, "bash", Repo.InitBinary, Busybox, "ls", "-l", "/proc/self/fd"]);
        result.AssertExit(0);
        string[] descriptors = result.Stdout.Split('\n')
            .Select(line => System.Text.RegularExpressions.Regex.Match(line, @" (\d+) -> (.*)$"))
            .Where(match => match.Success && !System.Text.RegularExpressions.Regex.IsMatch(match.Groups[2].Value, @"^/proc/\d+/fd$"))
            .Select(match => match.Groups[1].Value).ToArray();
        Assert.Equal(["0", "1", "2", "7"], descriptors);
    }

    [Fact]
    public void InitCwdIsRootAndTheWorkloadKeepsTheContainerS()
    {
        using var dir = new TempDir();
        ProcResult result = Pid1.Run([Busybox, "sh", "-c", "pwd; readlink /proc/1/cwd"], new Pid1Options { WorkingDirectory = dir.Path });
        result.AssertExit(0);
        Assert.Equal($"{dir.Path}\n/\n", result.Stdout);
    }

    [Fact]
    public void WorkloadStartsInTheSpecsWorkdirWithItsEnvAdded()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["app"]);
        string spec = dir.Write("spec.toml", $"""
            [workload]
            command = ["{Busybox}", "sh", "-c", "pwd; echo $GREETING $HOME_FROM_HOST"]
            workdir = "{dir["app"]}"
            env = {"{"} GREETING = "hello" {"}"}
            """);
        ProcResult result = Pid1.Run(["-s", spec], new Pid1Options { Env = new Dictionary<string, string?> { ["HOME_FROM_HOST"] = "kept" } });
        result.AssertExit(0);
        Assert.Equal($"{dir["app"]}\nhello kept\n", result.Stdout);
    }

    [Fact]
    public void MissingWorkdirIsReportedAsSuch()
    {
        using var dir = new TempDir();
        string spec = dir.Write("spec.toml", "[workload]\nworkdir = \"/no/such/dir\"\n");
        ProcResult result = Pid1.Run(["-s", spec, Busybox, "true"]);
        result.AssertExit(127);
        Assert.Contains("workdir /no/such/dir: No such file or directory", result.Stderr);
    }

    [Fact]
    public void InitMessagesAreOnStderrInOrderWithTheWorkloadsOutput()
    {
        // Both write to one pipe: the init's lines must sit exactly where they happened.
        ProcResult result = Proc.Run("sh", ["-c", "exec unshare --pid --fork --mount-proc \"$@\" 2>&1", "sh",
            Repo.InitBinary, "-v", Busybox, "sh", "-c", "echo one; echo two >&2; exit 4"]);
        string[] lines = result.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(5, lines.Length);
        Assert.StartsWith("init: starting", lines[0]);
        Assert.Equal(["one", "two"], lines[1..3]);
        Assert.Matches(@"^init: workload \(pid \d+\) exited with 4$", lines[3]);
        Assert.Equal("init: exiting with 4", lines[4]);
        ProcResult quiet = Pid1.Run([Busybox, "sh", "-c", "echo out"]);
        Assert.Equal("out\n", quiet.Stdout);
        Assert.Equal("", quiet.Stderr);
    }

    [Fact]
    public void WithoutProcAsPid1SupervisionAndShutdownStillWork()
    {
        // A bare chroot with no /proc: kill(-1) needs none, and the init must not stumble over its absence.
        using var root = new TempDir();
        File.Copy(Repo.InitBinary, root["init"]);
        File.Copy(Busybox, root["busybox"]);
        Directory.CreateDirectory(root["dev"]);
        Proc.Must("mknod", root["dev/null"], "c", "1", "3"); // the shell's background jobs read from it
        ProcResult result = Proc.Run("unshare", ["--pid", "--fork", "--", "chroot", root.Path,
            "/init", "-vv", "/busybox", "sh", "-c", "/busybox sleep 30 & /busybox sleep 0.1; exit 3"]);
        result.AssertExit(3);
        Assert.Contains("no /proc", result.Stderr);
        Assert.Contains("reaped pid", result.Stderr);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(2), result.ToString());
    }
}
