using Init.Tests.Harness;
using Xunit;

namespace Init.Tests.Privileges;

/// <summary>
/// The workload's privileges (CAP_NET_ADMIN in none of its sets, its user and groups, no_new_privs) inside real
/// docker (FROM scratch image, the init as ENTRYPOINT): the spec is mounted over
/// /etc/init/network.toml, and an image's accounts over /etc/passwd and /etc/group.
/// </summary>
[Collection(DockerCollection.Name)]
[Trait("Needs", "root")]
public sealed class DockerPrivilegeTests(DockerDaemon docker) : IDisposable
{
    private const string ShowEverything =
        "echo '== self'; cat /proc/self/status; echo '== init'; cat /proc/1/status; echo '== id'; id; echo HOME=$HOME";

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string[] Spec(string workload) =>
        ["-v", $"{_dir.Write("network.toml", "[workload]\n" + workload)}:/etc/init/network.toml:ro"];

    private string[] Accounts() =>
    [
        "-v", $"{_dir.Write("passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1234:1234:App:/home/app:/bin/sh\n")}:/etc/passwd:ro",
        "-v", $"{_dir.Write("group", "root:x:0:\napp:x:1234:\nstaff:x:2345:app\n")}:/etc/group:ro",
    ];

    private ProcResult Run(IEnumerable<string> runArgs)
    {
        ProcResult result = docker.Run(runArgs, ["sh", "-c", ShowEverything]);
        result.AssertExit(0);
        return result;
    }

    [Fact]
    public void WithCapAddNetAdminTheWorkloadHasItInNoSetAndTheInitKeepsIt()
    {
        ProcResult result = Run(["--cap-add", "NET_ADMIN"]); // the image's own spec: the default drop
        Status self = Status.After(result.Stdout, "== self"), init = Status.After(result.Stdout, "== init");
        foreach (string set in Status.CapabilitySets)
            Assert.False(self.Has(set, Status.NetAdmin), $"{set} still has CAP_NET_ADMIN:\n{self}");
        Assert.Equal(init.Set("CapBnd") & ~(1UL << Status.NetAdmin), self.Set("CapBnd"));
        Assert.True(init.Has("CapEff", Status.NetAdmin), init.ToString());
    }

    [Fact]
    public void ANamedUserFromTheImagesPasswdWithNoNewPrivileges()
    {
        ProcResult result = Run(["--cap-add", "NET_ADMIN", .. Spec("user = \"app\"\nno_new_privileges = true\n"), .. Accounts()]);
        Status self = Status.After(result.Stdout, "== self"), init = Status.After(result.Stdout, "== init");
        Assert.Contains("uid=1234(app) gid=1234(app) groups=1234(app),2345(staff)", result.Stdout);
        Assert.Contains("HOME=/home/app", result.Stdout);
        Assert.Equal("1", self["NoNewPrivs"]);
        foreach (string set in new[] { "CapInh", "CapPrm", "CapEff", "CapAmb" })
            Assert.True(self.Set(set) == 0, $"{set} is not empty:\n{self}");
        Assert.False(self.Has("CapBnd", Status.NetAdmin));
        Assert.True(init.Has("CapEff", Status.NetAdmin), init.ToString());
        Assert.Equal("0", init["NoNewPrivs"]);
    }

    [Fact]
    public void UidColonGidWithoutAnyPasswdFile()
    {
        ProcResult result = Run(["--cap-add", "NET_ADMIN", .. Spec("user = \"1000:1000\"\n")]);
        Assert.Contains("uid=1000 gid=1000", result.Stdout);
        Assert.Contains("HOME=/\n", result.Stdout); // runc's default without an entry, for root and for 1000 alike
        Assert.True(Status.After(result.Stdout, "== self").Set("CapEff") == 0);
    }

    [Fact]
    public void WithoutNetAdminTheDefaultDropNeedsNothingAndTheWorkloadRuns()
    {
        ProcResult result = Run([]);
        foreach (string set in Status.CapabilitySets)
            Assert.False(Status.After(result.Stdout, "== self").Has(set, Status.NetAdmin), set);
    }

    [Fact]
    public void AsAnotherUserDockerRunItShStillHasJobControlAndCtrlC()
    {
        using Pty pty = Pty.Open();
        using RunningProc run = pty.Start("docker", ["run", "-it", "--rm", "-e", "PS1=tty$ ", .. Spec("user = \"1000\"\n"), DockerDaemon.Image, "sh"],
            new ProcOptions { Env = docker.ClientEnv, Timeout = TimeSpan.FromSeconds(60) });
        Scenarios.TtyScenarios.DriveInteractiveShell(pty, run);
    }

    [Fact]
    public void AnUnknownUserExits2AndStartsNothing()
    {
        ProcResult result = docker.Run(["--cap-add", "NET_ADMIN", .. Spec("user = \"ghost\"\n"), .. Accounts()], ["echo", "started"]);
        result.AssertExit(2);
        Assert.Contains("user \"ghost\" not found in /etc/passwd", result.Stderr);
        Assert.DoesNotContain("started", result.Stdout);
    }

    [Fact]
    public void CapDropSetpcapMakesTheBoundingDropFailWith126()
    {
        ProcResult result = docker.Run(["--cap-add", "NET_ADMIN", "--cap-drop", "SETPCAP"], ["echo", "started"]);
        result.AssertExit(126);
        Assert.Contains("prctl(PR_CAPBSET_DROP, CAP_NET_ADMIN), which needs CAP_SETPCAP: Operation not permitted (EPERM)", result.Stderr);
        Assert.DoesNotContain("started", result.Stdout);
    }

    [Fact]
    public void CapDropSetgidMakesTheUserSwitchFailWith126()
    {
        ProcResult result = docker.Run(["--cap-drop", "SETGID", .. Spec("user = \"1000\"\n")], ["echo", "started"]);
        result.AssertExit(126);
        Assert.Contains("setgroups(0), which needs CAP_SETGID: Operation not permitted (EPERM)", result.Stderr);
        Assert.DoesNotContain("started", result.Stdout);
    }
}
