using Init.Tests.Harness;

using Xunit;

namespace Init.Tests.Scenarios;

/// <summary>
/// Signal rewriting (-r FROM:TO, [init].rewrite) with the binary as PID 1, signalled from outside as docker does:
/// forwarded as TO, dropped with 0, to the whole group with -g, and a rewritten TERM still a stop request.
/// </summary>
[Trait("Needs", "root")]
public class RewriteScenarios
{
    private const string Busybox = Repo.Busybox;

    /// <summary>A workload that logs the signals it traps (by name) and exits 0 on QUIT or once "stop" exists.</summary>
    private static string Logger(TempDir dir) => dir.Write("logger.sh", $$"""
        for s in HUP TERM USR1 USR2 WINCH; do trap "echo $s >> {{dir["log"]}}" $s; done
        trap "echo QUIT >> {{dir["log"]}}; exit 0" QUIT
        echo ready >> {{dir["log"]}}
        while [ ! -e {{dir["stop"]}} ]; do sleep 0.01; done
        """);

    private static string[] Logged(TempDir dir) => File.ReadAllLines(dir["log"])[1..];

    [Fact]
    public void RewrittenSignalsReachTheWorkloadAsTheirTargetAndZeroDrops()
    {
        using var dir = new TempDir();
        string spec = dir.Write("spec.toml", "[init]\nrewrite = { USR1 = \"USR2\", WINCH = \"HUP\", HUP = 0 }\n");
        // The command line goes over the spec per signal: WINCH is forwarded as itself again, the spec's USR1 stays.
        using Pid1Process init = Pid1.Start(["-v", "--spec", spec, "-r", "WINCH:28", "-r", "TERM:QUIT", Busybox, "sh", Logger(dir)]);
        dir.WaitFor("log", text => text.StartsWith("ready\n"));
        init.Signal(10); // USR1 → USR2
        dir.WaitFor("log", text => text.Contains("USR2"));
        init.Signal(1);  // HUP → dropped
        init.Signal(28); // WINCH → WINCH (the command line over the spec)
        dir.WaitFor("log", text => text.Contains("WINCH"));
        init.Signal(15); // TERM → QUIT: the workload's graceful exit
        ProcResult result = init.Wait();
        result.AssertExit(0);
        Assert.Equal(["USR2", "WINCH", "QUIT"], Logged(dir));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GroupModeSendsTheRewrittenSignalToTheWholeGroup(bool group)
    {
        using var dir = new TempDir();
        string script = dir.Write("group.sh", $$"""
            trap "echo parent >> {{dir["log"]}}" USR2
            trap "echo wrong >> {{dir["log"]}}" USR1
            ( trap "echo child >> {{dir["log"]}}" USR2; trap "echo wrong >> {{dir["log"]}}" USR1
              touch {{dir["ready"]}}; while [ ! -e {{dir["stop"]}} ]; do sleep 0.01; done ) &
            while [ ! -e {{dir["stop"]}} ]; do sleep 0.01; done
            wait
            """);
        using Pid1Process init = Pid1.Start([.. group ? new[] { "-g" } : [], "-r", "USR1:USR2", Busybox, "sh", script]);
        dir.WaitFor("ready", _ => true);
        init.Signal(10);
        dir.WaitFor("log", text => text.Contains("parent"));
        Thread.Sleep(300); // time for the child to log too, if it got the signal
        File.WriteAllText(dir["stop"], "");
        Assert.Equal(0, init.Wait().ExitCode);
        Assert.Equal(group ? ["child", "parent"] : ["parent"], File.ReadAllLines(dir["log"]).Order().ToArray());
    }

    [Fact]
    public void ATermRewrittenToQuitIsStillAStopRequestASecondOneKillsTheLeftoversAtOnce()
    {
        using var dir = new TempDir();
        using Pid1Process init = Pid1.Start(["-v", "--grace", "20s", "-r", "TERM:QUIT", Busybox, "sh", "-c",
            ShutdownScenarios.TermProofLeftover(dir) + $"trap 'exit 0' QUIT; touch {dir["trapped"]}; while :; do sleep 0.01; done"]);
        dir.WaitFor("trapped", _ => true);
        init.Signal(15);           // reaches the workload as QUIT: it exits, the leftover gets its grace
        ShutdownScenarios.WaitForGracePeriod(dir);
        init.Signal(15);           // the second stop request
        ProcResult result = init.Wait();
        result.AssertExit(0);
        Assert.Contains("during the grace period: killing now", result.Stderr);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(8), result.ToString());
    }

    [Fact]
    public void ADroppedTermStillCountsTheWorkloadKeepsRunningAndTheExitIsItsOwn()
    {
        using var dir = new TempDir();
        using Pid1Process init = Pid1.Start(["-vv", "-r", "TERM:0", Busybox, "sh", Logger(dir)]);
        dir.WaitFor("log", text => text.StartsWith("ready\n"));
        init.Signal(15);
        init.Signal(12); // a marker after the dropped TERM: signals are taken in order
        dir.WaitFor("log", text => text.Contains("USR2"));
        File.WriteAllText(dir["stop"], "");
        ProcResult result = init.Wait();
        result.AssertExit(0);
        Assert.Equal(["USR2"], Logged(dir));
        Assert.Contains("SIGTERM dropped (rewritten to 0)", result.Stderr);
    }
}
