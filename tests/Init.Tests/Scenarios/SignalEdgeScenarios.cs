using Init.Tests.Harness;

using Xunit;

namespace Init.Tests.Scenarios;

/// <summary>Issue 7.7: signals that cannot work are refused; a host /proc misleads no check; sent FPEs are forwarded.</summary>
[Trait("Needs", "root")]
public class SignalEdgeScenarios
{
    private const string Busybox = Repo.Busybox;

    [Theory]
    [InlineData("RTMIN", "the .NET runtime uses it")]
    [InlineData("34", "the .NET runtime uses it")]
    [InlineData("32", "glibc reserves it")]
    [InlineData("33", "glibc reserves it")]
    [InlineData("STOP", "it would stop the init itself")]
    [InlineData("CHLD", "never forwarded")]
    public void AParentDeathSignalThatCannotWorkIsRefusedWithTheReason(string signal, string reason)
    {
        ProcResult result = Pid1.Run(["-p", signal, Busybox, "true"]);
        result.AssertExit(2);
        Assert.Contains("init: error: --pdeathsig: SIG", result.Stderr);
        Assert.Contains(reason, result.Stderr);
    }

    [Theory]
    [InlineData("KILL")]
    [InlineData("TERM")]
    [InlineData("RTMIN+1")]
    public void AParentDeathSignalThatWorksIsAccepted(string signal)
    {
        ProcResult result = Pid1.Run(["-p", signal, Busybox, "true"]);
        result.AssertExit(0);
    }

    [Fact]
    public void TheHostsProcVisibleInThePIDNamespaceGivesNoFalseThreadWarning()
    {
        // PID 1 of a new namespace, but /proc still the host's: task ids there are host ids.
        ProcResult result = Proc.Run("unshare", ["--pid", "--fork", "--kill-child", Repo.InitBinary, "--", Busybox, "true"]);
        result.AssertExit(0);
        Assert.DoesNotContain("do not block", result.Stderr);
    }

    /// <summary>
    /// FPE and SEGV stay unblocked in the main thread for the runtime; sent while it reaps (not waiting in
    /// sigtimedwait) they used to reach the runtime's handler: dropped, and the next one killed the init.
    /// Each is sent only after the previous reached the workload, so none may coalesce: every one must arrive.
    /// </summary>
    [Theory]
    [InlineData("FPE")]
    [InlineData("SEGV")]
    public void AFaultSignalSentDuringAReapingBurstReachesTheWorkload(string signal)
    {
        using var dir = new TempDir();
        // -vv: a debug line per reaped child keeps the main thread busy outside sigtimedwait.
        using Pid1Process init = Pid1.Start(["-vv", "--", Busybox, "sh", "-c",
            $"trap 'echo >> {dir["got"]}' {signal}; touch {dir["up"]}; "
            + $"while [ ! -e {dir["stop"]} ]; do ({Busybox} true &); ({Busybox} true &); done"]);
        dir.WaitFor("up", _ => true);
        const int Sends = 100;
        for (int sent = 1; sent <= Sends; sent++)
        {
            init.Signal(signal == "FPE" ? 8 : 11);
            dir.WaitFor("got", text => text.Length >= sent, TimeSpan.FromSeconds(5));
        }
        File.WriteAllText(dir["stop"], "");
        ProcResult result = init.Wait();
        result.AssertExit(0);
    }
}
