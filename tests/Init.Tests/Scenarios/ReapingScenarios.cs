using Init.Tests.Harness;

using Xunit;

namespace Init.Tests.Scenarios;

/// <summary>Reaping: orphans, coalesced SIGCHLD, and a child subreaper when the init is not PID 1.</summary>
[Trait("Needs", "root")]
public class ReapingScenarios
{
    private const string Busybox = Repo.Busybox;

    /// <summary>Counts zombies in the namespace's /proc (the workload's own view).</summary>
    private const string CountZombies = "grep -l '^State:.*Z' /proc/[0-9]*/status 2>/dev/null | wc -l";

    [Fact]
    public void HundredOrphansLeaveNoZombieAndTheWorkloadCodeComesBack()
    {
        ProcResult result = Pid1.Run([Busybox, "sh", "-c", $$"""
            for i in $(seq 100); do ( {{Busybox}} sleep 0.1 & ) ; done
            sleep 0.8
            echo zombies=$({{CountZombies}})
            exit 4
            """]);
        result.AssertExit(4);
        Assert.Contains("zombies=0", result.Stdout);
    }

    [Fact]
    public void OrphansStillRunningWhenTheWorkloadExitsAreReapedBeforeTheInitExits()
    {
        // Orphans that outlive the workload and exit on their own within the grace period.
        ProcResult result = Pid1.Run(["-vv", Busybox, "sh", "-c", $$"""
            for i in $(seq 100); do ( trap 'exit 0' TERM; {{Busybox}} sleep 0.2 & wait ) & done
            exit 4
            """]);
        result.AssertExit(4);
        Assert.DoesNotContain("SIGKILL", result.Stderr);
        Assert.True(result.Stderr.Split('\n').Count(line => line.StartsWith("init: reaped pid")) >= 100, result.ToString());
    }

    [Fact]
    public void CoalescedSigchldWithTheMainChildAmongThemNeverHangs()
    {
        // 200 children and the workload itself die at the same instant, ten times over; a lost wake-up
        // would show as a run that only ends at the periodic tick (or never).
        ProcResult result = Proc.Run("bash", ["-c", """
            for n in $(seq 10); do
              unshare --pid --fork --mount-proc "$1" -- "$2" sh -c '
                for i in $(seq 200); do "$0" sleep 0.3 & done
                exec "$0" sleep 0.3' "$2"
              echo "rc=$?"
            done
            """, "loop", Repo.InitBinary, Busybox], new ProcOptions { Timeout = TimeSpan.FromSeconds(60) });
        Assert.Equal(10, result.Stdout.Split('\n').Count(line => line == "rc=0"));
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(10 * 0.9), result.ToString());
    }

    [Fact]
    public void NotPid1TheInitIsASubreaperAndReapsOrphans()
    {
        using var dir = new TempDir();
        // The workload double-forks a grandchild and reports whose child the orphan became.
        ProcResult result = Proc.Run(Repo.InitBinary, ["-vv", Busybox, "sh", "-c", $$"""
            ( {{Busybox}} sleep 0.3 & echo $! > {{dir["orphan"]}} )
            sleep 0.1
            echo init=$PPID orphan-parent=$(awk '/^PPid:/ {print $2}' /proc/$(cat {{dir["orphan"]}})/status)
            sleep 0.4
            echo zombies=$(cat /proc/[0-9]*/status 2>/dev/null | awk -v p=$PPID '/^State:/ {s=$2} /^PPid:/ && $2==p && s=="Z"' | wc -l)
            exit 6
            """]);
        result.AssertExit(6);
        string[] ids = result.Stdout.Split('\n')[0].Split(' ');
        Assert.Equal(ids[0]["init=".Length..], ids[1]["orphan-parent=".Length..]);
        Assert.Contains("zombies=0", result.Stdout);
        Assert.Contains($"reaped pid {File.ReadAllText(dir["orphan"]).Trim()}", result.Stderr);
        Assert.DoesNotContain("warning", result.Stderr);
    }

    [Fact]
    public void NotPid1ShutdownSignalsOnlyTheInitsDescendants()
    {
        using var dir = new TempDir();
        // A process of the test's own, outside the init's tree, must survive the init's shutdown.
        using RunningProc bystander = Proc.Start(Busybox, ["sleep", "30"]);
        ProcResult result = Proc.Run(Repo.InitBinary, ["-v", "--grace", "2s", Busybox, "sh", "-c", $$"""
            {{Busybox}} setsid {{Busybox}} sh -c 'trap "echo term > {{dir["setsid"]}}; exit 0" TERM; while :; do sleep 0.01; done' &
            ( {{Busybox}} sh -c 'trap "echo term > {{dir["orphan"]}}; exit 0" TERM; while :; do sleep 0.01; done' & )
            sleep 0.2
            exit 3
            """]);
        result.AssertExit(3);
        Assert.Equal("term\n", File.ReadAllText(dir["setsid"]));
        Assert.Equal("term\n", File.ReadAllText(dir["orphan"]));
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(1.5), result.ToString());
        Assert.True(File.Exists($"/proc/{bystander.Pid}/status") && !File.ReadAllText($"/proc/{bystander.Pid}/status").Contains("State:\tZ"),
            "a process outside the init's tree was signalled");
    }
}
