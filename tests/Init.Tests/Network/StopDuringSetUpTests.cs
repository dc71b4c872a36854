using System.Diagnostics;
using System.Text.Json;
using Init.Tests.Harness;
using Xunit;

namespace Init.Tests.Network;

/// <summary>
/// Issue 7 item 2: a stop request (TERM, INT, HUP, QUIT) ends the set-up in whatever wait it is in, the workload is
/// never started, and the exit status is 128 + the first one that came. The static binary as PID 1 in throwaway
/// namespaces; every wait here would last ten minutes unless the signal ends it. The bound on how long the exit
/// takes only tells a hang from a pass (the 100 ms target is the benchmark's, not a test's).
/// </summary>
[Trait("Needs", "root")]
public class StopDuringSetUpTests
{
    private static readonly TimeSpan NotAHang = TimeSpan.FromSeconds(5);

    /// <summary>The init's arguments: a workload that would leave <c>started</c> in <paramref name="dir"/>.</summary>
    private static string[] Init(TempDir dir, string toml) =>
        ["--spec", dir.Write("network.toml", toml), "--", Repo.Busybox, "touch", Path.Combine(dir.Path, "started")];

    private static string CarrierSpec(Netns ns) => $"""
        [[interface]]
        name = "eth0"
        wait = "carrier"
        wait_timeout = "10m"
        addresses = ["10.200.{ns.Gateway.GetAddressBytes()[2]}.2/24"]
          [[interface.route]]
          to = "default"
          via = "{ns.Gateway}"
        """;

    /// <summary>Starts the init with the gateway's end down, and returns once it waits for carrier (it set eth0 up).</summary>
    private static Pid1Process StartWaitingForCarrier(Netns ns, TempDir dir)
    {
        Proc.Must("ip", "-n", ns.GatewayNs, "link", "set", ns.HostVeth, "down");
        Pid1Process init = ns.StartInit(Init(dir, CarrierSpec(ns)));
        WaitUntil(() => Flags(ns, "eth0").Contains("UP"), "the init never brought eth0 up");
        return init;
    }

    private static JsonElement IpJson(Netns ns, params string[] args) =>
        JsonDocument.Parse(Proc.Must("ip", ["-n", ns.Name, "-j", .. args])).RootElement;

    private static string[] Flags(Netns ns, string link) =>
        [.. IpJson(ns, "link", "show", "dev", link)[0].GetProperty("flags").EnumerateArray().Select(flag => flag.GetString()!)];

    private static void WaitUntil(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            Thread.Sleep(10);
        }
    }

    /// <summary>
    /// Sends the signals 50 ms apart, as docker stop and a closed terminal might. The init may be gone before a later
    /// one (it obeyed the first at once): that one then finds no process, which is fine.
    /// </summary>
    private static ProcResult Stop(Pid1Process init, params int[] signals)
    {
        var clock = Stopwatch.StartNew();
        init.Signal(signals[0]);
        foreach (int signal in signals.Skip(1))
        {
            Thread.Sleep(50);
            Proc.Run("kill", [$"-{signal}", init.HostPid.ToString()]);
        }
        ProcResult result = init.Wait();
        Assert.True(clock.Elapsed < NotAHang, $"the init took {clock.Elapsed} to obey the stop request\n{result}");
        return result;
    }

    private static void AssertNeverStarted(TempDir dir, ProcResult result, string signal)
    {
        Assert.False(File.Exists(Path.Combine(dir.Path, "started")), "the workload was started");
        // Sent from outside the init's PID namespace, the sender has no pid there: the kernel reports 0 and the log omits it.
        Assert.Matches($@"init: warning: {signal}( from pid \d+)? before the workload started: not starting it", result.Stderr);
        Assert.DoesNotContain("init: error", result.Stderr);
    }

    [Fact]
    public void TermDuringATenMinuteCarrierWaitExits143AtOnceAndLeavesWhatWasApplied()
    {
        using var ns = Netns.Create();
        using var dir = new TempDir();
        using Pid1Process init = StartWaitingForCarrier(ns, dir);

        ProcResult result = Stop(init, 15);

        result.AssertExit(143);
        AssertNeverStarted(dir, result, "SIGTERM");
        // What the set-up had done before the wait stays (address, link up); nothing after it was started (the route).
        Assert.Contains(IpJson(ns, "addr", "show", "dev", "eth0")[0].GetProperty("addr_info").EnumerateArray(),
            address => address.GetProperty("local").GetString() == $"10.200.{ns.Gateway.GetAddressBytes()[2]}.2");
        Assert.Contains("UP", Flags(ns, "eth0"));
        Assert.Equal(0, IpJson(ns, "route", "show", "default").GetArrayLength());
    }

    [Fact]
    public void TheFirstStopRequestDecidesTheStatusNotTheLowestNumbered()
    {
        using var ns = Netns.Create();
        using var dir = new TempDir();
        using Pid1Process init = StartWaitingForCarrier(ns, dir);

        ProcResult result = Stop(init, 15, 1); // TERM, then HUP 50 ms later: 143, not 129

        result.AssertExit(143);
        AssertNeverStarted(dir, result, "SIGTERM");
    }

    [Fact]
    public void IntDuringADadWaitExits130AndTheAddressStaysTentative()
    {
        using var ns = Netns.Create();
        using var dir = new TempDir();
        // DAD that takes ten minutes: one probe, and that long to wait for an answer to it.
        Proc.Must("ip", "netns", "exec", ns.Name, "sysctl", "-q", "-w", "net.ipv6.conf.eth0.dad_transmits=1", "net.ipv6.neigh.eth0.retrans_time_ms=600000");
        string address = $"fd00:200:{ns.Gateway.GetAddressBytes()[2]:x}::2";
        using Pid1Process init = ns.StartInit(Init(dir, $"""
            [[interface]]
            name = "eth0"
            wait_timeout = "10m"
              [[interface.address]]
              address = "{address}/64"
              dad = true
            """));
        bool Tentative() => IpJson(ns, "addr", "show", "dev", "eth0")[0].GetProperty("addr_info").EnumerateArray()
            .Any(entry => entry.GetProperty("local").GetString() == address && entry.TryGetProperty("tentative", out _));
        WaitUntil(() => Flags(ns, "eth0").Contains("UP") && Tentative(), "the init never started DAD on the address");

        ProcResult result = Stop(init, 2);

        result.AssertExit(130);
        AssertNeverStarted(dir, result, "SIGINT");
        Assert.True(Tentative(), "the address should still be in DAD");
    }

    [Fact]
    public void ASignalThatIsNotAStopRequestStaysQueuedForTheWorkload()
    {
        using var ns = Netns.Create();
        using var dir = new TempDir();
        Proc.Must("ip", "-n", ns.GatewayNs, "link", "set", ns.HostVeth, "down");
        using Pid1Process init = ns.StartInit(["--spec", dir.Write("network.toml", CarrierSpec(ns)), "--", Repo.Busybox, "sleep", "600"]);
        WaitUntil(() => Flags(ns, "eth0").Contains("UP"), "the init never brought eth0 up");

        init.Signal(10); // USR1 during the wait: not a stop request, so the wait goes on
        Thread.Sleep(200);
        Assert.False(init.Launcher.HasExited, "USR1 ended the set-up");
        Proc.Must("ip", "-n", ns.GatewayNs, "link", "set", ns.HostVeth, "up");
        ProcResult result = init.Wait();

        result.AssertExit(138); // the workload started and got the queued USR1
    }
}
