using Init.Tests.Harness;

using Xunit;

namespace Init.Tests.Scenarios;

/// <summary>
/// Shutdown: leftovers get TERM and the grace to finish, one that ignores TERM is killed at the grace, and a second
/// TERM during the grace period kills at once.
/// </summary>
[Trait("Needs", "root")]
public class ShutdownScenarios
{
    private const string Busybox = Repo.Busybox;

    /// <summary>A process that logs its TERM to <paramref name="file"/> after <paramref name="delay"/> and exits.</summary>
    private static string Graceful(string file, string delay = "0") =>
        $"{Busybox} sh -c 'trap \"sleep {delay}; echo term > {file}; exit 0\" TERM; while :; do sleep 0.01; done'";

    /// <summary>
    /// Shell lines that start a leftover ignoring TERM and INT and wait until it has set its trap. Once the
    /// workload has exited (the leftover's parent is then PID 1) it touches "orphaned": the init is in its grace
    /// period. (Files, not the init's stderr: output events can lag behind when tests run in parallel.)
    /// </summary>
    internal static string TermProofLeftover(TempDir dir) => $"""
        {Busybox} sh -c 'trap "" TERM INT; touch {dir["up"]}
          until [ "$(cut -d" " -f4 /proc/$$/stat)" = 1 ]; do sleep 0.01; done
          touch {dir["orphaned"]}; exec {Busybox} sleep 30' &
        until [ -e {dir["up"]} ]; do sleep 0.01; done

        """;

    /// <summary>Waits until the workload has gone and the init is in its grace period (see <see cref="TermProofLeftover"/>).</summary>
    internal static void WaitForGracePeriod(TempDir dir)
    {
        dir.WaitFor("orphaned", _ => true);
        Thread.Sleep(100);
    }

    [Fact]
    public void LeftoversGetTermAndTheGraceToFinishBackgroundDoubleForkedAndSetsidAlike()
    {
        using var dir = new TempDir();
        ProcResult result = Pid1.Run(["-v", Busybox, "sh", "-c", $"""
            {Graceful(dir["background"], "1")} &
            ( {Graceful(dir["double-forked"])} & )
            {Busybox} setsid {Graceful(dir["setsid"])} &
            sleep 0.3
            exit 6
            """]);
        result.AssertExit(6);
        foreach (string name in new[] { "background", "double-forked", "setsid" })
            Assert.True(File.Exists(dir[name]) && File.ReadAllText(dir[name]) == "term\n", $"{name} did not finish its TERM handler\n{result}");
        Assert.DoesNotContain("SIGKILL", result.Stderr);
        // Done as soon as the slowest (1 s) finished: not the whole 3 s grace.
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(2.8), result.ToString());
    }

    [Fact]
    public void AProcessEnteredFromOutsideLikeDockerExecGetsTheGraceToo()
    {
        // Its parent is outside the namespace, so it is no child of the init; the init must still wait for it.
        using var dir = new TempDir();
        using Pid1Process init = Pid1.Start(["-v", "--grace", "20s", Busybox, "sh", "-c",
            $"until [ -e {dir["go"]} ]; do sleep 0.01; done"]);
        using RunningProc exec = Proc.Start("nsenter", ["-t", init.HostPid.ToString(), "-p", "--",
            Busybox, "sh", "-c", $"trap 'sleep 1; echo term > {dir["exec"]}; exit 0' TERM; touch {dir["up"]}; while :; do sleep 0.01; done"]);
        dir.WaitFor("up", _ => true);
        File.WriteAllText(dir["go"], "");
        ProcResult result = init.Wait();
        result.AssertExit(0);
        Assert.True(File.Exists(dir["exec"]), $"the entered process did not get to finish its TERM handler\n{result}");
        Assert.DoesNotContain("SIGKILL", result.Stderr);
    }

    [Fact]
    public void ATermIgnoringLeftoverIsKilledAtGraceAndStoppingTakesAboutGrace()
    {
        using var dir = new TempDir();
        ProcResult result = Pid1.Run(["-v", "--grace", "1s", Busybox, "sh", "-c", TermProofLeftover(dir) + "exit 9"]);
        result.AssertExit(9);
        Assert.Contains("grace period over: sent SIGKILL", result.Stderr);
        Assert.InRange(result.Elapsed.TotalSeconds, 0.95, 2.5);
    }

    [Fact]
    public void GraceComesFromTheEnvironmentAndTheSpecToo()
    {
        using var dir = new TempDir();
        string spec = dir.Write("spec.toml", "[init]\ngrace = \"500ms\"\n");
        string[] workload = [Busybox, "sh", "-c", $"rm -f {dir["up"]}\n" + TermProofLeftover(dir)];
        ProcResult fromSpec = Pid1.Run(["-s", spec, .. workload]);
        Assert.InRange(fromSpec.Elapsed.TotalSeconds, 0.4, 1.8);
        ProcResult fromEnv = Pid1.Run(["-s", spec, .. workload], new Pid1Options { Env = new Dictionary<string, string?> { ["INIT_GRACE"] = "1500ms" } });
        Assert.InRange(fromEnv.Elapsed.TotalSeconds, 1.4, 2.8);
    }

    [Theory]
    [InlineData(15)]
    [InlineData(2)]
    public void SecondTermOrIntDuringTheGracePeriodKillsAtOnce(int signal)
    {
        // The workload exits on its own: the first TERM/INT (a docker stop) leaves the leftover its grace, the second kills.
        using var dir = new TempDir();
        using Pid1Process init = Pid1.Start(["-v", "--grace", "20s", Busybox, "sh", "-c", TermProofLeftover(dir)]);
        WaitForGracePeriod(dir);
        init.Signal(signal);
        Thread.Sleep(300);
        Assert.False(init.Launcher.HasExited, "the first stop request cut the grace short");
        init.Signal(signal);
        ProcResult result = init.Wait();
        result.AssertExit(0);
        Assert.Contains("the leftovers keep their grace; another one kills at once", result.Stderr);
        Assert.Contains("during the grace period: killing now", result.Stderr);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(8), result.ToString());
    }

    [Fact]
    public void TheTermThatStoppedTheWorkloadCountsAsTheFirst()
    {
        using var dir = new TempDir();
        using Pid1Process init = Pid1.Start(["-v", "--grace", "20s", Busybox, "sh", "-c",
            TermProofLeftover(dir) + $"trap 'exit 0' TERM; touch {dir["trapped"]}; while :; do sleep 0.01; done"]);
        dir.WaitFor("trapped", _ => true);
        init.Signal(15);           // forwarded: the workload exits, the leftover gets its grace
        WaitForGracePeriod(dir);
        init.Signal(15);           // the second one
        ProcResult result = init.Wait();
        result.AssertExit(0);
        Assert.Contains("during the grace period: killing now", result.Stderr);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(8), result.ToString());
    }

    [Fact]
    public void StoppedLeftoversAreContinuedSoTheyCanActOnTerm()
    {
        using var dir = new TempDir();
        ProcResult result = Pid1.Run(["--grace", "5s", Busybox, "sh", "-c", $"""
            {Graceful(dir["stopped"])} &
            sleep 0.1; kill -STOP $!; sleep 0.1
            exit 0
            """]);
        result.AssertExit(0);
        Assert.Equal("term\n", File.ReadAllText(dir["stopped"]));
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(3), result.ToString());
    }
}
