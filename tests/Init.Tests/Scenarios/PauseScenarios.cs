using Init.Tests.Harness;

using Xunit;

namespace Init.Tests.Scenarios;

/// <summary>
/// --pause (the pause container, catatonit -P) as PID 1 of fresh namespaces: no workload, an orphan reparented to
/// it is reaped, TERM or INT ends it with 0, and idle it sleeps in sigtimedwait without a timeout.
/// </summary>
[Trait("Needs", "root")]
public class PauseScenarios
{
    private const string Busybox = Repo.Busybox;

    /// <summary>Runs <paramref name="script"/> inside the init's PID and mount namespaces (its /proc), as docker exec would.</summary>
    private static ProcResult Enter(Pid1Process init, string script) =>
        Proc.Run("nsenter", ["-t", init.HostPid.ToString(), "-p", "-m", "--", Busybox, "sh", "-c", script]);

    [Theory]
    [InlineData(15)]
    [InlineData(2)]
    public void TermOrIntEndsThePauseWith0(int signal)
    {
        using Pid1Process init = Pid1.Start(["-v", "--pause"]);
        WaitUntilPausing(init);
        init.Signal(signal);
        ProcResult result = init.Wait();
        result.AssertExit(0);
        Assert.Contains("ending the pause", result.Stderr);
    }

    [Fact]
    public void OtherSignalsAreIgnoredAndAnOrphanReparentedToItIsReaped()
    {
        using var dir = new TempDir();
        using Pid1Process init = Pid1.Start(["-vv", "--pause"]);
        WaitUntilPausing(init);
        init.Signal(1);
        init.Signal(10);
        // A process entered from outside forks and exits: its child is reparented to PID 1 and exits in turn.
        // (Its output goes elsewhere: nsenter's pipe would stay open, and Enter wait, until the orphan is gone.)
        ProcResult entered = Enter(init, $"{Busybox} sh -c 'exec {Busybox} sleep 1' </dev/null >/dev/null 2>&1 & echo $!");
        entered.AssertExit(0);
        string orphan = entered.Stdout.Trim();
        ProcResult parent = Enter(init, $"cut -d' ' -f4 /proc/{orphan}/stat");
        Assert.Equal("1", parent.Stdout.Trim());
        // Reaped: gone from the namespace's /proc, never a zombie.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string state;
        while ((state = Enter(init, $"cat /proc/{orphan}/stat 2>/dev/null | cut -d' ' -f3").Stdout.Trim()) != "")
        {
            Assert.True(DateTime.UtcNow < deadline, $"orphan {orphan} still there, state {state}");
            Thread.Sleep(50);
        }
        init.Signal(15);
        ProcResult result = init.Wait();
        result.AssertExit(0);
        Assert.Contains($"reaped pid {orphan}", result.Stderr);
        Assert.Contains("SIGHUP ignored: no workload to forward it to", result.Stderr);
        Assert.Contains("SIGUSR1 ignored: no workload to forward it to", result.Stderr);
    }

    [Fact]
    public void IdleItWaitsInSigtimedwaitWithoutATimeoutAndNeverWakes()
    {
        using Pid1Process init = Pid1.Start(["--pause"]);
        WaitUntilPausing(init);
        // /proc/PID/syscall: rt_sigtimedwait (128 on x86-64) with a NULL timeout (the third argument).
        string[] call = File.ReadAllText($"/proc/{init.HostPid}/syscall").Split(' ');
        Assert.Equal(("128", "0x0"), (call[0], call[3]));
        string switches = File.ReadAllLines($"/proc/{init.HostPid}/status").Single(line => line.StartsWith("voluntary_ctxt_switches"));
        Thread.Sleep(2500); // the supervisor's 1 s tick would have woken it twice
        Assert.Equal(switches, File.ReadAllLines($"/proc/{init.HostPid}/status").Single(line => line.StartsWith("voluntary_ctxt_switches")));
        init.Signal(15);
        Assert.Equal(0, init.Wait().ExitCode);
    }

    [Fact]
    public void ACommandWithPauseIsAUsageError()
    {
        ProcResult result = Pid1.Run(["--pause", Busybox, "true"]);
        result.AssertExit(2);
        Assert.Contains("pause mode runs no command", result.Stderr);
    }

    [Fact]
    public void PauseFromTheSpecAppliesItFirst()
    {
        using var dir = new TempDir();
        string spec = dir.Write("spec.toml", "[init]\npause = true\n");
        using Pid1Process init = Pid1.Start(["--spec", spec]);
        WaitUntilPausing(init);
        // A spec file brings lo up (the fresh namespace's lo starts down): applied before the pause.
        Assert.Contains(",UP", Proc.Run("nsenter", ["-t", init.HostPid.ToString(), "-n", "ip", "-o", "link", "show", "lo"]).Stdout);
        init.Signal(2);
        Assert.Equal(0, init.Wait().ExitCode);
    }

    /// <summary>Until the init sits in rt_sigtimedwait with no timeout: set-up done, pausing.</summary>
    private static void WaitUntilPausing(Pid1Process init)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!File.ReadAllText($"/proc/{init.HostPid}/syscall").StartsWith("128 ") || File.ReadAllText($"/proc/{init.HostPid}/syscall").Split(' ')[3] != "0x0")
        {
            Assert.True(DateTime.UtcNow < deadline, "the init did not start pausing");
            Thread.Sleep(20);
        }
    }
}
