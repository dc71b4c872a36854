using Init.Tests.Harness;

using Xunit;

namespace Init.Tests.Scenarios;

/// <summary>Exit status: every code passes through, death by signal N is 128 + N, and --remap-exit.</summary>
[Trait("Needs", "root")]
public class ExitCodeScenarios
{
    private const string Busybox = Repo.Busybox;

    [Fact]
    public void EveryExitCode0To255PassesThroughAsPid1()
    {
        // One shell loop of 256 PID-1 runs keeps the test to a few seconds.
        ProcResult result = Proc.Run("bash", ["-c", """
            for n in $(seq 0 255); do
              unshare --pid --fork --mount-proc "$1" -- "$2" sh -c "exit $n"
              echo "$n $?"
            done
            """, "loop", Repo.InitBinary, Busybox], new ProcOptions { Timeout = TimeSpan.FromSeconds(120) });
        string[] lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(256, lines.Length);
        foreach (string line in lines)
        {
            string[] pair = line.Split(' ');
            Assert.True(pair[0] == pair[1], $"exit {pair[0]} came back as {pair[1]}\n{result}");
        }
    }

    [Theory]
    [InlineData(15, 143, "SIGTERM")]
    [InlineData(1, 129, "SIGHUP")]
    [InlineData(3, 131, "SIGQUIT")]
    public void DeathByAForwardedSignalIs128PlusN(int signal, int code, string name)
    {
        using var dir = new TempDir();
        using Pid1Process init = Pid1.Start(["-v", Busybox, "sh", "-c", $"touch {dir["up"]}; exec {Busybox} sleep 10"]);
        dir.WaitFor("up", _ => true);
        init.Signal(signal);
        ProcResult result = init.Wait();
        result.AssertExit(code);
        Assert.Contains($"killed by {name}", result.Stderr);
    }

    [Fact]
    public void DeathBySigkillIs137()
    {
        ProcResult result = Pid1.Run(["-v", Busybox, "sh", "-c", "kill -KILL $$"]);
        result.AssertExit(137);
        Assert.Contains("killed by SIGKILL", result.Stderr);
    }

    [Fact]
    public void RemapExitTurnsListedCodesInto0Only()
    {
        Assert.Equal(0, Pid1.Run(["--remap-exit", "143", Busybox, "sh", "-c", "kill -TERM $$"]).ExitCode);
        Assert.Equal(0, Pid1.Run(["-e", "143", Busybox, "sh", "-c", "exit 143"]).ExitCode);
        Assert.Equal(0, Pid1.Run(["-e", "1", "-e", "5", Busybox, "sh", "-c", "exit 5"]).ExitCode);
        Assert.Equal(3, Pid1.Run(["--remap-exit=143", Busybox, "sh", "-c", "exit 3"]).ExitCode);
        Assert.Equal(137, Pid1.Run(["-e", "143", Busybox, "sh", "-c", "kill -KILL $$"]).ExitCode);
    }

    [Fact]
    public void RemapFromTheSpecAndOverriddenByTheCommandLine()
    {
        using var dir = new TempDir();
        string spec = dir.Write("spec.toml", "[init]\nremap_exit = [7]\n");
        Assert.Equal(0, Pid1.Run(["-s", spec, Busybox, "sh", "-c", "exit 7"]).ExitCode);
        Assert.Equal(7, Pid1.Run(["-s", spec, "-e", "8", Busybox, "sh", "-c", "exit 7"]).ExitCode);
    }
}
