using Init.Tests.Harness;

using Xunit;

namespace Init.Tests.Scenarios;

/// <summary>
/// Forwarding: every catchable signal once and in order, group mode, and a signal that finds no workload; sent to
/// PID 1 from outside its namespace, as docker does.
/// </summary>
[Trait("Needs", "root")]
public class SignalScenarios
{
    private const string Busybox = Repo.Busybox;

    /// <summary>A workload that logs every signal it can trap to a file, one line each, until a "stop" file appears.</summary>
    private static string TrapScript(TempDir dir, string log) => dir.Write("traps.sh", $$"""
        for s in $(seq 1 64); do
          case $s in 9|17|19|32|33|34) continue;; esac
          trap "echo $s >> {{log}}" $s
        done
        echo ready >> {{log}}
        while [ ! -e {{dir["stop"]}} ]; do sleep 0.01; done
        """);

    [Fact]
    public void EveryCatchableSignalReachesTheWorkloadOnceInOrder()
    {
        using var dir = new TempDir();
        string log = dir["signals.log"];
        // 1..31 except KILL, STOP, CHLD (the job-control trio is forwarded too), then the real-time signals left free.
        int[] signals = [.. Enumerable.Range(1, 31).Except([9, 17, 19]), .. Enumerable.Range(35, 30)];
        using Pid1Process init = Pid1.Start(["-vv", Busybox, "sh", TrapScript(dir, log)]);
        dir.WaitFor("signals.log", text => text.StartsWith("ready\n"));
        for (int i = 0; i < signals.Length; i++)
        {
            init.Signal(signals[i]);
            dir.WaitFor("signals.log", text => text.Split('\n').Length >= i + 3, TimeSpan.FromSeconds(5));
        }
        File.WriteAllText(dir["stop"], "");
        ProcResult result = init.Wait();
        result.AssertExit(0);
        Assert.Equal(["ready", .. signals.Select(s => s.ToString())], File.ReadAllLines(log));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GroupModeReachesTheWholeGroupDefaultModeOnlyTheWorkload(bool group)
    {
        using var dir = new TempDir();
        string log = dir["usr1.log"];
        string script = dir.Write("group.sh", $$"""
            trap "echo parent >> {{log}}" USR1
            ( trap "echo child >> {{log}}" USR1; echo ready >> {{dir["ready"]}}; while [ ! -e {{dir["stop"]}} ]; do sleep 0.01; done ) &
            while [ ! -e {{dir["stop"]}} ]; do sleep 0.01; done
            wait
            """);
        using Pid1Process init = Pid1.Start([.. group ? new[] { "--group" } : [], Busybox, "sh", script]);
        dir.WaitFor("ready", text => text.Length > 0);
        init.Signal(10);
        dir.WaitFor("usr1.log", text => text.Contains("parent"));
        Thread.Sleep(300); // time for the child to log too, if it got the signal
        File.WriteAllText(dir["stop"], "");
        Assert.Equal(0, init.Wait().ExitCode);
        string[] got = File.ReadAllLines(log).Order().ToArray();
        Assert.Equal(group ? ["child", "parent"] : ["parent"], got);
    }

    [Fact]
    public void GroupModeFromTheEnvironment()
    {
        using var dir = new TempDir();
        string log = dir["usr1.log"];
        string script = dir.Write("group.sh", $$"""
            ( trap "echo child >> {{log}}; exit" USR1; echo ready >> {{dir["ready"]}}; while :; do sleep 0.01; done ) &
            trap "" USR1
            wait
            """);
        using Pid1Process init = Pid1.Start([Busybox, "sh", script], new Pid1Options { Env = new Dictionary<string, string?> { ["INIT_GROUP"] = "1" } });
        dir.WaitFor("ready", text => text.Length > 0);
        init.Signal(10);
        Assert.Equal(0, init.Wait().ExitCode);
        Assert.Equal("child\n", File.ReadAllText(log));
    }

    [Fact]
    public void ASignalWithNoWorkloadLeftIsNotAnError()
    {
        using var dir = new TempDir();
        // The workload exits at once; a TERM-proof leftover keeps the init in its grace period while we signal it.
        using Pid1Process init = Pid1.Start(["-v", "--grace", "1s", Busybox, "sh", "-c",
            ShutdownScenarios.TermProofLeftover(dir) + "exit 5"]);
        ShutdownScenarios.WaitForGracePeriod(dir);
        init.Signal(10);
        init.Signal(1);
        ProcResult result = init.Wait();
        result.AssertExit(5);
        Assert.DoesNotContain("error", result.Stderr);
    }
}
