using Init.Tests.Harness;

using Xunit;

namespace Init.Tests.Scenarios;

/// <summary>The init never spins and stays quiet unless asked.</summary>
[Trait("Needs", "root")]
public class RobustnessScenarios
{
    private const string Busybox = Repo.Busybox;

    [Fact]
    public void AnIdleInitUsesNoCpuWhileTheWorkloadRuns()
    {
        using var dir = new TempDir();
        using Pid1Process init = Pid1.Start([Busybox, "sh", "-c", $"touch {dir["up"]}; exec {Busybox} sleep 3"]);
        dir.WaitFor("up", _ => true);
        long before = ProcStat.CpuTicks(init.HostPid);
        Thread.Sleep(2000);
        long used = ProcStat.CpuTicks(init.HostPid) - before;
        // Two seconds of supervision: a couple of periodic ticks, no busy loop (1 tick = 10 ms).
        Assert.True(used <= 2, $"the init used {used} ticks of CPU while idle");
        init.Signal(15);
        Assert.Equal(143, init.Wait().ExitCode);
    }

    [Fact]
    public void QuietModeKeepsEvenWarningsOffStderr()
    {
        using var dir = new TempDir();
        ProcResult result = Pid1.Run(["-q", "--grace", "200ms", Busybox, "sh", "-c", ShutdownScenarios.TermProofLeftover(dir) + "exit 0"]);
        result.AssertExit(0);
        Assert.Equal("", result.Stderr);
        ProcResult normal = Pid1.Run(["--grace", "200ms", Busybox, "sh", "-c", $"rm -f {dir["up"]}\n" + ShutdownScenarios.TermProofLeftover(dir) + "exit 0"]);
        Assert.Contains("init: warning: grace period over", normal.Stderr);
    }
}
