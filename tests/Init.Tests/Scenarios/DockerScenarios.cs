using Init.Tests.Harness;

using Xunit;

namespace Init.Tests.Scenarios;

/// <summary>
/// docker stop and docker kill, orphans, leftovers' grace and an interactive shell inside real docker (the image's
/// ENTRYPOINT is the init).
/// </summary>
[Collection(DockerCollection.Name)]
[Trait("Needs", "root")]
public class DockerScenarios(DockerDaemon docker)
{
    private static int s_containers;

    /// <summary>Runs a detached container, hands its name to <paramref name="test"/>, and removes it whatever happens.</summary>
    private void WithContainer(string[] command, Action<string> test)
    {
        string name = $"init-it-{Environment.ProcessId}-{Interlocked.Increment(ref s_containers)}";
        try
        {
            docker.Must(["run", "-d", "--name", name, DockerDaemon.Image, .. command]);
            test(name);
        }
        finally
        {
            docker.Docker("rm", "-f", name);
        }
    }

    private int ExitCodeOf(string name)
    {
        docker.Must("wait", name);
        return int.Parse(docker.Must("inspect", "-f", "{{.State.ExitCode}}", name).Trim());
    }

    [Fact]
    public void DockerStopExits143WellUnderASecond()
    {
        WithContainer(["sleep", "1000"], name =>
        {
            ProcResult stop = docker.Docker("stop", "-t", "10", name);
            stop.AssertExit(0);
            Assert.Equal(143, ExitCodeOf(name));
            Assert.True(stop.Elapsed < TimeSpan.FromSeconds(1), stop.ToString());
        });
    }

    [Fact]
    public void DockerKillUsr1Exits138()
    {
        WithContainer(["sleep", "1000"], name =>
        {
            docker.Must("kill", "-s", "USR1", name);
            Assert.Equal(138, ExitCodeOf(name));
        });
    }

    [Fact]
    public void HundredOrphansInDockerLeaveNoZombie()
    {
        ProcResult result = docker.Run([], ["sh", "-c", """
            for i in $(seq 100); do ( sleep 0.1 & ) ; done
            sleep 0.8
            echo zombies=$(grep -l '^State:.*Z' /proc/[0-9]*/status 2>/dev/null | wc -l)
            exit 4
            """]);
        result.AssertExit(4);
        Assert.Contains("zombies=0", result.Stdout);
    }

    [Fact]
    public void LeftoversInDockerGetTermAndTheirGrace()
    {
        static string Graceful(string name, string delay) =>
            $"sh -c 'trap \"sleep {delay}; echo {name} finished; exit 0\" TERM; while :; do sleep 0.01; done'";
        ProcResult result = docker.Run(["--entrypoint", "/sbin/init"], ["-v", "--", "sh", "-c", $"""
            {Graceful("background", "1")} &
            ( {Graceful("double-forked", "0")} & )
            setsid {Graceful("setsid", "0")} &
            sleep 0.3
            exit 6
            """]);
        result.AssertExit(6);
        foreach (string name in new[] { "background", "double-forked", "setsid" })
            Assert.Contains($"{name} finished", result.Stdout);
        Assert.DoesNotContain("SIGKILL", result.Stderr);
    }

    [Fact]
    public void DockerRunItShHasJobControlAndCtrlC()
    {
        using Pty pty = Pty.Open();
        using RunningProc run = pty.Start("docker", ["run", "-it", "--rm", "-e", "PS1=tty$ ", DockerDaemon.Image, "sh"],
            new ProcOptions { Env = docker.ClientEnv, Timeout = TimeSpan.FromSeconds(60) });
        TtyScenarios.DriveInteractiveShell(pty, run);
    }
}
