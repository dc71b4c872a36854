using Init.Tests.Harness;

using Xunit;

namespace Init.Tests.Scenarios;

/// <summary>Issue 7.6: under resource limits the init fails clearly, still stops leftovers, never spins.</summary>
[Trait("Needs", "root")]
public class ResourceLimitScenarios
{
    private const string Busybox = Repo.Busybox;

    /// <summary>
    /// pids.max counted from the launcher shell on: 2 leaves the runtime no finalizer thread, 3 no room for the
    /// workload's process. Each is one line naming EAGAIN, exit 126 (cannot execute).
    /// </summary>
    [Theory]
    [InlineData(2, "the .NET runtime could not start")]
    [InlineData(3, "cannot execute /bin/busybox")]
    public void ALowPidsMaxIsOneLineNamingEAGAINAndExit126(int pidsMax, string what)
    {
        using var cgroup = new PidsCgroup();
        ProcResult result = Proc.Run("sh", ["-c",
            $"echo $$ > {cgroup.Path}/cgroup.procs && echo {pidsMax} > {cgroup.Path}/pids.max && "
            + $"exec unshare --pid --fork --kill-child --mount-proc {Repo.InitBinary} -- {Busybox} true"]);
        result.AssertExit(126);
        string[] lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, result.ToString());
        Assert.StartsWith("init: error: ", lines[0]);
        Assert.Contains(what, lines[0]);
        Assert.Contains("(EAGAIN)", lines[0]);
        Assert.Contains("pids.max", lines[0]);
    }

    [Fact]
    public void OutOfDescriptorsASubreaperNamesEMFILEAndStillStopsTheLeftovers()
    {
        using var dir = new TempDir();
        // Not PID 1: the leftovers are found in /proc, which needs a descriptor; the limit is lowered once they run.
        // (The leftover does not hold the output pipes: if it survives, the test fails instead of waiting for it.)
        using RunningProc init = Proc.Start(Repo.InitBinary, ["-v", "--grace", "2s", "--", Busybox, "sh", "-c",
            $"{Busybox} sleep 1000 >/dev/null 2>&1 & echo $! > {dir["leftover"]}; while [ ! -e {dir["go"]} ]; do {Busybox} sleep 0.05; done"]);
        int leftover = int.Parse(dir.WaitFor("leftover", text => text.EndsWith('\n')).Trim());
        Proc.Must("prlimit", "--pid", init.Pid.ToString(), "--nofile=3:3");
        File.WriteAllText(dir["go"], "");
        ProcResult result = init.Wait();
        result.AssertExit(0);
        Assert.Contains("EMFILE", result.Stderr);
        Assert.DoesNotContain("no /proc", result.Stderr);
        Assert.False(Directory.Exists($"/proc/{leftover}"), $"leftover {leftover} survived\n{result}");
    }

    [Fact]
    public void WithStderrAClosedPipeDebugLoggingDoesNotSpin()
    {
        using var dir = new TempDir();
        // The pipe's reader (true) is gone before the init writes its first line.
        using RunningProc run = Proc.Start("sh", ["-c",
            $"sh -c 'echo $$ > {dir["pid"]}; sleep 0.5; exec {Repo.InitBinary} -vv -- {Busybox} sleep 3' 2>&1 >/dev/null | true"]);
        int pid = int.Parse(dir.WaitFor("pid", text => text.EndsWith('\n')).Trim());
        dir.WaitFor("pid", _ => File.ReadAllText($"/proc/{pid}/cmdline").Contains("-vv"));
        Thread.Sleep(1500);
        long ticks = ProcStat.CpuTicks(pid);
        // A spinning init burns ~150 ticks in 1.5 s; start-up and a few log attempts take a handful.
        Assert.True(ticks <= 30, $"the init used {ticks} ticks of CPU with a broken stderr");
        Assert.True(run.Wait().ExitCode == 0);
    }

    [Fact]
    public void TheInitLowersItsOomScoreAdjAndTheWorkloadKeepsTheContainers()
    {
        ProcResult result = Proc.Run("sh", ["-c",
            $"echo 500 > /proc/self/oom_score_adj && exec unshare --pid --fork --kill-child --mount-proc {Repo.InitBinary} -- "
            + $"{Busybox} sh -c 'i=0; while [ $(cat /proc/1/oom_score_adj) = 500 ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done; "
            + "cat /proc/self/oom_score_adj /proc/1/oom_score_adj'"]);
        result.AssertExit(0);
        string[] values = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("500", values[0]);
        // -1000 with CAP_SYS_RESOURCE; without it the lowest it may set (the launcher's own 0 here).
        Assert.True(int.Parse(values[1]) <= 0, result.ToString());
    }

    /// <summary>A pids cgroup of the test's own (v2, or v1's pids hierarchy), removed on Dispose.</summary>
    private sealed class PidsCgroup : IDisposable
    {
        public string Path { get; }

        public PidsCgroup()
        {
            string name = $"init-test-{Environment.ProcessId}-{Guid.NewGuid():N}";
            if (File.Exists("/sys/fs/cgroup/cgroup.controllers"))
            {
                if (!File.ReadAllText("/sys/fs/cgroup/cgroup.subtree_control").Contains("pids"))
                    File.WriteAllText("/sys/fs/cgroup/cgroup.subtree_control", "+pids");
                Path = $"/sys/fs/cgroup/{name}";
            }
            else
                Path = $"/sys/fs/cgroup/pids/{name}";
            Directory.CreateDirectory(Path);
        }

        public void Dispose()
        {
            // Every process of the run has exited by now; a moment for the kernel to drop the last task.
            for (int attempt = 0; attempt < 50; attempt++)
            {
                try { Directory.Delete(Path); return; }
                catch (IOException) { Thread.Sleep(20); }
            }
        }
    }
}
