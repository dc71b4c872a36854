using Init.Tests.Harness;
using Init.Tests.Network;

using Xunit;

namespace Init.Tests.Scenarios;

/// <summary>--pdeathsig: the init gets the signal when its parent dies, and forwards it like any other.</summary>
[Trait("Needs", "root")]
public class ParentDeathScenarios
{
    private const string Busybox = Repo.Busybox;

    [Theory]
    [InlineData("TERM")]
    [InlineData("SIGUSR1")]
    [InlineData("10")]
    public void ParentDeathSignalReachesTheWorkload(string signal)
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
    /// <summary>iproute2's ip by its path: busybox's sh runs its own applet for a bare "ip".</summary>
    private static readonly string IpCommand = File.Exists("/usr/sbin/ip") ? "/usr/sbin/ip" : "/sbin/ip";

    [Fact]
    public void ParentDyingWhileTheInitSetsUpMeansTheWorkloadNeverStarts()
    {
        using var ns = Netns.Create();
        using var dir = new TempDir();
        // A slow set-up step: the init waits for carrier on eth0 while the peer is down, and its parent exits
        // meanwhile; only then does the peer come up. (A FIFO as the spec no longer holds it: it is refused.)
        Proc.Must("ip", "-n", ns.GatewayNs, "link", "set", ns.HostVeth, "down");
        string spec = dir.Write("spec.toml", NetworkSpecs.CarrierWait("30s"));
        ProcResult parent = Proc.Run(Busybox, ["sh", "-c", $$"""
            {{IpCommand}} netns exec {{ns.Name}} {{Repo.InitBinary}} -v --pdeathsig TERM --spec {{spec}} {{Busybox}} sh -c 'echo $$ > {{dir["started"]}}; exec sleep 1000' >/dev/null 2>{{dir["init.err"]}} &
            echo $! > {{dir["init.pid"]}}
            n=0; until grep -q "wait for carrier" {{dir["init.err"]}} 2>/dev/null || [ $n = 1000 ]; do n=$((n+1)); sleep 0.01; done
            """]);
        Assert.Equal(0, parent.ExitCode);
        int initPid = int.Parse(File.ReadAllText(dir["init.pid"]));
        Assert.Contains("wait for carrier", File.ReadAllText(dir["init.err"]));
        Proc.Must("ip", "-n", ns.GatewayNs, "link", "set", ns.HostVeth, "up");
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (Directory.Exists($"/proc/{initPid}") && DateTime.UtcNow < deadline) Thread.Sleep(10);
            Assert.False(Directory.Exists($"/proc/{initPid}"), "the init outlived its parent");
            Assert.False(File.Exists(dir["started"]), "the workload was started after the init's parent died");
        }
        finally
        {
            if (Directory.Exists($"/proc/{initPid}")) Proc.Run("kill", ["-KILL", initPid.ToString()]);
            if (File.Exists(dir["started"]) && File.ReadAllText(dir["started"]).Trim() is { Length: > 0 } workload)
                Proc.Run("kill", ["-KILL", workload]);
        }
    }
}
