using Init.Tests.Harness;
using Xunit;

namespace Init.Tests.Privileges;

/// <summary>
/// The workload's privileges (capability sets, user and groups, no_new_privs) with the static binary as PID 1: the workload reads its own /proc/self/status and the init's
/// /proc/1/status, so both sides are checked from inside. Named users come from a passwd/group pair
/// bind-mounted over /etc in the init's private mount namespace, as an image would have them.
/// </summary>
[Trait("Needs", "root")]
public sealed class Pid1PrivilegeTests : IDisposable
{
    private const string Busybox = Repo.Busybox;

    private const string ShowEverything =
        "echo '== self'; cat /proc/self/status; echo '== init'; cat /proc/1/status; echo '== id'; id; echo HOME=$HOME";

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private ProcResult Run(string workload, Pid1Options? options = null, string command = ShowEverything)
    {
        string spec = _dir.Write("spec.toml", "[workload]\n" + workload);
        ProcResult result = Pid1.Run(["-s", spec, Busybox, "sh", "-c", command], options);
        result.AssertExit(0);
        return result;
    }

    private static void AssertInitKeptItsOwn(ProcResult result)
    {
        Status init = Status.After(result.Stdout, "== init");
        Assert.True(init.Has("CapEff", Status.NetAdmin), $"the init lost CAP_NET_ADMIN:\n{init}");
        Assert.Equal("0\t0\t0\t0", init["Uid"]);
        Assert.Equal("0\t0\t0\t0", init["Gid"]);
        Assert.Equal("0", init["NoNewPrivs"]);
    }

    [Fact]
    public void ByDefaultNetAdminIsInNoneOfTheWorkloadsFiveSetsAndTheRestStays()
    {
        ProcResult result = Run("");
        Status self = Status.After(result.Stdout, "== self"), init = Status.After(result.Stdout, "== init");
        foreach (string set in Status.CapabilitySets)
            Assert.False(self.Has(set, Status.NetAdmin), $"{set} still has CAP_NET_ADMIN:\n{self}");
        ulong withoutNetAdmin = init.Set("CapBnd") & ~(1UL << Status.NetAdmin);
        Assert.Equal(withoutNetAdmin, self.Set("CapBnd"));
        Assert.Equal(withoutNetAdmin, self.Set("CapEff")); // a root workload keeps everything else
        Assert.Equal("0", self["NoNewPrivs"]);
        AssertInitKeptItsOwn(result);
    }

    [Fact]
    public void WithoutASpecFileTheDefaultDropAppliesToo()
    {
        // The default path, /etc/init/network.toml, is missing on the test machine: built-in defaults.
        ProcResult result = Pid1.Run([Busybox, "sh", "-c", ShowEverything]);
        result.AssertExit(0);
        foreach (string set in Status.CapabilitySets)
            Assert.False(Status.After(result.Stdout, "== self").Has(set, Status.NetAdmin), set);
    }

    [Fact]
    public void AllEmptiesEverySetAndNoNewPrivilegesSetsTheFlag()
    {
        ProcResult result = Run("drop_capabilities = [\"ALL\"]\nno_new_privileges = true\n");
        Status self = Status.After(result.Stdout, "== self");
        foreach (string set in Status.CapabilitySets)
            Assert.True(self.Set(set) == 0, $"{set} is not empty:\n{self}");
        Assert.Equal("1", self["NoNewPrivs"]);
        Assert.Contains("uid=0(root)", result.Stdout);
        AssertInitKeptItsOwn(result);
    }

    [Fact]
    public void AnEmptyListKeepsWhatTheContainerGave()
    {
        ProcResult result = Run("drop_capabilities = []\n");
        Status self = Status.After(result.Stdout, "== self"), init = Status.After(result.Stdout, "== init");
        foreach (string set in Status.CapabilitySets)
            Assert.Equal(init.Set(set), self.Set(set));
        Assert.True(self.Has("CapEff", Status.NetAdmin));
    }

    [Fact]
    public void AContainerWithoutNetAdminRunsTheWorkloadWithoutItAndWithoutError()
    {
        // Nothing to drop from the bounding set, so no CAP_SETPCAP is needed and nothing fails. The spec brings lo
        // up, which needs NET_ADMIN unless it is up already, as in every docker container: so it is here.
        using var ns = Netns.Create(withEth0: false);
        Proc.Must("ip", "-n", ns.Name, "link", "set", "lo", "up");
        ProcResult result = Run("", new Pid1Options { NetAdmin = false, CapDrop = ["setpcap"], Netns = ns.Name });
        Status self = Status.After(result.Stdout, "== self");
        foreach (string set in Status.CapabilitySets)
            Assert.False(self.Has(set, Status.NetAdmin), set);
    }

    [Fact]
    public void UidColonGidRunsAsThatUserWithEmptySetsAndOnlyThatGroup()
    {
        ProcResult result = Run("user = \"1000:1000\"\n");
        Status self = Status.After(result.Stdout, "== self");
        Assert.Matches(@"uid=1000(\(\S+\))? gid=1000", result.Stdout);
        Assert.Equal("1000\t1000\t1000\t1000", self["Uid"]);
        Assert.Equal("1000\t1000\t1000\t1000", self["Gid"]);
        Assert.Equal("1000", self["Groups"]);
        foreach (string set in new[] { "CapInh", "CapPrm", "CapEff", "CapAmb" })
            Assert.True(self.Set(set) == 0, $"{set} is not empty:\n{self}");
        Assert.False(self.Has("CapBnd", Status.NetAdmin)); // no file capability can bring it back
        AssertInitKeptItsOwn(result);
    }

    [Fact]
    public void AUserWithAllDroppedAndNoNewPrivilegesHasNothingAtAll()
    {
        ProcResult result = Run("user = \"4242\"\ndrop_capabilities = [\"ALL\"]\nno_new_privileges = true\n");
        Status self = Status.After(result.Stdout, "== self");
        foreach (string set in Status.CapabilitySets)
            Assert.True(self.Set(set) == 0, $"{set} is not empty:\n{self}");
        Assert.Equal("1", self["NoNewPrivs"]);
        Assert.Equal("4242\t4242\t4242\t4242", self["Uid"]);
        AssertInitKeptItsOwn(result);
    }

    private Pid1Options WithAccounts(IDictionary<string, string?>? env = null)
    {
        string passwd = _dir.Write("passwd", """
            root:x:0:0:root:/root:/bin/sh
            app:x:1234:1234:App:/home/app:/bin/sh

            """);
        string group = _dir.Write("group", """
            root:x:0:
            app:x:1234:
            staff:x:2345:other,app
            video:x:3456:other

            """);
        return new Pid1Options
        {
            Binds = new Dictionary<string, string> { [passwd] = "/etc/passwd", [group] = "/etc/group" },
            Env = env ?? new Dictionary<string, string?> { ["HOME"] = "/root" },
        };
    }

    [Fact]
    public void ANamedUserGetsItsIdsItsGroupsFromEtcGroupAndItsHome()
    {
        ProcResult result = Run("user = \"app\"\n", WithAccounts());
        Status self = Status.After(result.Stdout, "== self");
        Assert.Contains("uid=1234(app) gid=1234(app) groups=1234(app),2345(staff)", result.Stdout);
        Assert.Equal("1234 2345", self["Groups"]);
        Assert.Contains("HOME=/home/app", result.Stdout);
        Assert.True(self.Set("CapEff") == 0, self.ToString());
        AssertInitKeptItsOwn(result);
    }

    [Fact]
    public void ANameWithAGroupNameUsesThatGroupOnly()
    {
        ProcResult result = Run("user = \"app:video\"\n", WithAccounts());
        Assert.Contains("uid=1234(app) gid=3456(video) groups=3456(video)", result.Stdout);
        Assert.Equal("3456", Status.After(result.Stdout, "== self")["Groups"]);
    }

    [Fact]
    public void HomeSetOnPurposeStaysAndWorkloadEnvWins()
    {
        ProcResult inherited = Run("user = \"app\"\n", WithAccounts(new Dictionary<string, string?> { ["HOME"] = "/srv/data" }));
        Assert.Contains("HOME=/srv/data", inherited.Stdout);
        ProcResult unset = Run("user = \"app\"\n", WithAccounts(new Dictionary<string, string?> { ["HOME"] = null }));
        Assert.Contains("HOME=/home/app", unset.Stdout);
        ProcResult fromSpec = Run("user = \"app\"\nenv = { HOME = \"/custom\" }\n", WithAccounts());
        Assert.Contains("HOME=/custom", fromSpec.Stdout);
    }

    [Fact]
    public void RootByNameKeepsRootsHomeAndDropsRootsOtherGroups()
    {
        ProcResult result = Run("user = \"root\"\n", WithAccounts());
        Assert.Contains("HOME=/root", result.Stdout);
        Assert.Equal("0", Status.After(result.Stdout, "== self")["Groups"]);
        Assert.False(Status.After(result.Stdout, "== self").Has("CapEff", Status.NetAdmin));
    }

    [Fact]
    public void AnUnknownUserExits2NamingTheFileAndTheNameAndChangesNothing()
    {
        using Netns netns = Netns.Create();
        string spec = _dir.Write("spec.toml", """
            hostname = "never-set"
            [[interface]]
            name = "eth0"
            addresses = ["10.200.0.10/24"]
            [workload]
            user = "ghost"
            """);
        ProcResult result = Pid1.Run(["-s", spec, Busybox, "touch", _dir["started"]],
            new Pid1Options { Binds = WithAccounts().Binds, Netns = netns.Name });
        result.AssertExit(2);
        Assert.Contains("user \"ghost\" not found in /etc/passwd", result.Stderr);
        Assert.False(File.Exists(_dir["started"]));
        string links = netns.Exec("ip", "-o", "addr", "show").Stdout;
        Assert.DoesNotContain("10.200.0.10", links);
        Assert.Contains("lo: <LOOPBACK>", netns.Exec("ip", "-o", "link", "show", "lo").Stdout); // still down
    }

    [Fact]
    public void AnUnknownUserFailsCheckToo()
    {
        string spec = _dir.Write("spec.toml", "[workload]\nuser = \"app:nogroup\"\n");
        ProcResult result = Pid1.Run(["--check", "-s", spec], WithAccounts());
        result.AssertExit(2);
        Assert.Contains("group \"nogroup\" not found in /etc/group", result.Stderr);
    }

    [Fact]
    public void WithoutCapSetpcapDroppingFromTheBoundingSetFailsWith126BeforeTheWorkloadStarts()
    {
        string spec = _dir.Write("spec.toml", "[workload]\n");
        ProcResult result = Pid1.Run(["-s", spec, Busybox, "touch", _dir["started"]], new Pid1Options { CapDrop = ["setpcap"] });
        result.AssertExit(126);
        Assert.Contains("prctl(PR_CAPBSET_DROP, CAP_NET_ADMIN), which needs CAP_SETPCAP: Operation not permitted (EPERM)", result.Stderr);
        Assert.False(File.Exists(_dir["started"]));
    }

    [Fact]
    public void WithoutCapSetuidSwitchingUserFailsWith126BeforeTheWorkloadStarts()
    {
        string spec = _dir.Write("spec.toml", "[workload]\nuser = \"1000\"\n");
        ProcResult result = Pid1.Run(["-s", spec, Busybox, "touch", _dir["started"]], new Pid1Options { CapDrop = ["setuid"] });
        result.AssertExit(126);
        Assert.Contains("setresuid(1000), which needs CAP_SETUID: Operation not permitted (EPERM)", result.Stderr);
        Assert.False(File.Exists(_dir["started"]));
    }

    [Fact]
    public void AWorkdirTheUserCannotEnterIsNamedNotTheCommand()
    {
        Directory.CreateDirectory(_dir["private"]); // TempDir is 0700 root: uid 1000 cannot pass through it
        string spec = _dir.Write("spec.toml", $"[workload]\nuser = \"1000\"\nworkdir = \"{_dir["private"]}\"\n");
        ProcResult result = Pid1.Run(["-s", spec, Busybox, "true"]);
        result.AssertExit(126);
        Assert.Contains($"workdir {_dir["private"]}: Permission denied (EACCES)", result.Stderr);
    }

    [Fact]
    public void AmbientCapabilitiesTheContainerGaveLoseOnlyTheDroppedOnes()
    {
        // setpriv gives the "container's" init NET_ADMIN and NET_RAW in its inheritable and ambient sets.
        string spec = _dir.Write("spec.toml", "[workload]\n");
        ProcResult result = Proc.Run("unshare", ["--pid", "--fork", "--mount-proc", "setpriv", "--inh-caps", "+net_admin,+net_raw",
            "--ambient-caps", "+net_admin,+net_raw", "--", Repo.InitBinary, "-s", spec, Busybox, "sh", "-c", ShowEverything]);
        result.AssertExit(0);
        const ulong netRaw = 1UL << 13, netAdmin = 1UL << Status.NetAdmin;
        Status self = Status.After(result.Stdout, "== self"), init = Status.After(result.Stdout, "== init");
        Assert.Equal(netAdmin | netRaw, init.Set("CapAmb"));
        Assert.Equal(netRaw, self.Set("CapAmb"));
        Assert.Equal(netRaw, self.Set("CapInh"));
    }

    [Fact]
    public void AWorkloadOfAnotherUserStillGetsSignalsAndIsReaped()
    {
        string spec = _dir.Write("spec.toml", "[workload]\nuser = \"1000\"\n");
        using Pid1Process init = Pid1.Start(["-s", spec, Busybox, "sh", "-c", $"{Busybox} sleep 100 & echo up; wait"]);
        WaitForOutput(init, "up");
        init.Signal(15);
        Assert.Equal(143, init.Wait().ExitCode);
    }

    [Fact]
    public void OnlyTheWorkloadTakesItsCredentialsTheInitsThreadsKeepTheirs()
    {
        // The spawn's child lowers its own credentials: no thread of the init ever changes its own.
        string spec = _dir.Write("spec.toml", "[workload]\nuser = \"1000\"\ndrop_capabilities = [\"ALL\"]\n");
        using Pid1Process init = Pid1.Start(["-s", spec, Busybox, "sh", "-c", "echo up; exec sleep 100"]);
        WaitForOutput(init, "up");
        List<(string Name, Status Status)> threads = [.. Directory.GetDirectories($"/proc/{init.HostPid}/task")
            .Select(task => (File.ReadAllText(Path.Combine(task, "comm")).Trim(), Status.Of(File.ReadAllText(Path.Combine(task, "status")))))];
        int workload = int.Parse(File.ReadAllText($"/proc/{init.HostPid}/task/{init.HostPid}/children").Trim());
        Status workloadStatus = Status.Of(File.ReadAllText($"/proc/{workload}/status"));
        init.Signal(15);
        Assert.Equal(143, init.Wait().ExitCode);
        Assert.Equal("1000\t1000\t1000\t1000", workloadStatus["Uid"]);
        Assert.Equal(0UL, workloadStatus.Set("CapBnd"));
        Assert.True(threads.Count >= 2, "expected the main and finalizer threads at least");
        foreach ((string name, Status thread) in threads)
        {
            Assert.True(thread["Uid"] == "0\t0\t0\t0", $"thread {name}: {thread}");
            Assert.True(thread.Has("CapEff", Status.NetAdmin) && thread.Has("CapBnd", Status.NetAdmin), $"thread {name}: {thread}");
        }
    }

    private static void WaitForOutput(Pid1Process init, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!init.Launcher.StdoutSoFar.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no \"{text}\" from the workload");
            Thread.Sleep(10);
        }
    }
}
