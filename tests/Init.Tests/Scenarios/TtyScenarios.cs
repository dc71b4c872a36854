using Init.Tests.Harness;

using Xunit;

namespace Init.Tests.Scenarios;

/// <summary>
/// <c>docker run -it IMAGE sh</c> reproduced through a real pseudo-terminal: an interactive busybox shell under the init (PID 1, the
/// terminal its controlling terminal, as `docker run -it` gives it) has job control, Ctrl-C reaches the
/// foreground job and not the init, and the shell's exit status comes back.
/// </summary>
[Trait("Needs", "root")]
public class TtyScenarios
{
    /// <summary>Drives an interactive shell: job control, Ctrl-C, Ctrl-Z, fg, and exit 3.</summary>
    internal static void DriveInteractiveShell(Pty pty, RunningProc run)
    {
        pty.Expect("tty$ ");
        pty.Type("sleep 30\n");
        Thread.Sleep(300);
        pty.Type("\x03");                          // Ctrl-C: SIGINT to the foreground job only
        pty.Expect("tty$ ");
        pty.Type("echo rc=$?\n");
        pty.Expect("rc=130");
        pty.Type("sleep 30 &\n");                  // job control: background, foreground, stop, continue
        pty.Expect("tty$ ");
        pty.Type("jobs\n");
        pty.Expect("Running");
        pty.Type("fg\n");
        Thread.Sleep(300);
        pty.Type("\x1a");                          // Ctrl-Z: SIGTSTP to the job
        pty.Expect("Stopped");
        pty.Type("fg\n");
        Thread.Sleep(300);
        pty.Type("\x03");
        pty.Expect("tty$ ");
        pty.Type("echo rc=$?\n");
        pty.Expect("rc=130");
        pty.Type("exit 3\n");
        ProcResult result = run.Wait();
        Assert.True(result.ExitCode == 3, $"{result}\nterminal:\n{pty.Output}");
        Assert.DoesNotContain("job control turned off", pty.Output);
        Assert.DoesNotContain("can't access tty", pty.Output);
        Assert.DoesNotContain("init: ", Binfmt.WithoutEmulationNoise(pty.Output));   // no complaint from the init (and no SIGINT for it)
    }

    [Fact]
    public void InteractiveShellAsPid1HasJobControlAndCtrlCReachesTheForegroundJob()
    {
        using Pty pty = Pty.Open();
        using RunningProc run = pty.Start("unshare", ["--pid", "--fork", "--mount-proc",
            Repo.InitBinary, "--", Repo.Busybox, "env", "PS1=tty$ ", Repo.Busybox, "sh", "-i"]);
        DriveInteractiveShell(pty, run);
    }

    [Fact]
    public void ABackgroundInitLeavesTheTerminalsForegroundAlone()
    {
        // A job-control shell starts the init in the background: the workload must not become the foreground.
        using Pty pty = Pty.Open();
        using RunningProc run = pty.Start(Repo.Busybox, ["sh", "-c", $$"""
            set -m
            {{Repo.InitBinary}} {{Repo.Busybox}} sh -c 'set -- $(cat /proc/$$/stat); echo "workload=$5 foreground=$8."' &
            wait $!
            echo rc=$?.
            """]);
        string[] seen = pty.Expect("rc=0.").Split('\n').Single(line => line.StartsWith("workload=")).TrimEnd('\r', '.').Split(' ');
        Assert.NotEqual(seen[0]["workload=".Length..], seen[1]["foreground=".Length..]);
        Assert.Equal(0, run.Wait().ExitCode);
    }

    [Fact]
    public void TheTerminalsForegroundComesBackToTheInitsGroupWhenTheWorkloadExits()
    {
        // A shell without job control runs the init in its own group, the terminal's foreground: the workload
        // gets the foreground, and once it has exited the shell must have it back, or its next read of the
        // terminal stops it with SIGTTIN. (Not PID 1: the init's group is visible to it, unlike under unshare.)
        using Pty pty = Pty.Open();
        using RunningProc run = pty.Start(Repo.Busybox, ["sh", "-c", $$"""
            {{Repo.InitBinary}} {{Repo.Busybox}} true
            set -- $(cat /proc/$$/stat)
            echo "group=$5 foreground=$8."
            """]);
        pty.Expect("group=");
        string[] seen = pty.Expect(".\r\n").TrimEnd('\r', '\n', '.').Split(" foreground=");
        Assert.True(run.Wait().ExitCode == 0, pty.Output);
        Assert.Equal(seen[0], seen[1]);
    }
}
