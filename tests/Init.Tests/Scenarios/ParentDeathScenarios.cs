using Init.Tests.Harness;

using Xunit;

namespace Init.Tests.Scenarios;

/// <summary>--pdeathsig: the init gets the signal when its parent dies, and forwards it like any other.</summary>
public class ParentDeathScenarios
{
    private const string Busybox = Repo.Busybox;

    [Theory]
    [InlineData("TERM")]
    [InlineData("SIGUSR1")]
    [InlineData("10")]
    public void Parent_death_signal_reaches_the_workload(string signal)
    {
        using var dir = new TempDir();
        // The init's parent is a short-lived shell; once it exits, the init gets the signal and forwards it.
        ProcResult parent = Proc.Run(Busybox, ["sh", "-c", $$"""
            {{Repo.InitBinary}} --pdeathsig {{signal}} {{Busybox}} sh -c '
              trap "echo got > {{dir["got"]}}; exit 0" TERM USR1
              touch {{dir["up"]}}
              while :; do sleep 0.01; done' &
            echo $! > {{dir["init.pid"]}}
            until [ -e {{dir["up"]}} ]; do sleep 0.01; done
            """]);
        Assert.Equal(0, parent.ExitCode);
        int initPid = int.Parse(File.ReadAllText(dir["init.pid"]));
        try
        {
            Assert.Equal("got\n", dir.WaitFor("got", text => text.Length > 0, TimeSpan.FromSeconds(5)));
            var deadline = DateTime.UtcNow.AddSeconds(5);
            while (Directory.Exists($"/proc/{initPid}") && DateTime.UtcNow < deadline) Thread.Sleep(10);
            Assert.False(Directory.Exists($"/proc/{initPid}"), "the init outlived its workload");
        }
        finally
        {
            if (Directory.Exists($"/proc/{initPid}")) Proc.Run("kill", ["-KILL", initPid.ToString()]);
        }
    }
}
