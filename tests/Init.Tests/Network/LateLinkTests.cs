using Init.Plan;
using Init.Tests.Harness;
using Xunit;

namespace Init.Tests.Network;

/// <summary>
/// wait = "link" / "carrier" with the static binary as PID 1 in a namespace that has no eth0 yet: the link is moved
/// in (ip link set … netns …) while the init waits on link events, and the init configures it and starts the
/// workload; a stop signal or the timeout ends the wait.
/// </summary>
[Trait("Needs", "root")]
public class LateLinkTests
{
    private static string[] Init(TempDir dir, string toml, string script) =>
        ["-v", "--spec", dir.Write("network.toml", toml), "--", Repo.Busybox, "sh", "-c", script];

    private static string Spec(Netns ns, string match, string wait) => $"""
        [[interface]]
        {match}
        wait = "{wait}"
        wait_timeout = "20s"
        addresses = ["10.200.{ns.Gateway.GetAddressBytes()[2]}.2/24"]
        """;

    /// <summary>Until the init says it waits (it subscribed before saying so), then a second more, as a slow CNI plugin.</summary>
    private static void UntilWaiting(Pid1Process init)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!init.Launcher.StderrSoFar.Contains("to appear (up to"))
        {
            Assert.True(DateTime.UtcNow < deadline, "the init never began to wait:\n" + init.Launcher.StderrSoFar);
            Thread.Sleep(10);
        }
        Thread.Sleep(1000);
    }

    [Theory]
    [InlineData("name = \"eth0\"", "link", null)]
    [InlineData("name = \"eth0\"", "carrier", null)]
    [InlineData("match = { mac = \"02:00:00:c8:00:02\" }", "link", "02:00:00:c8:00:02")]
    public void A_link_moved_in_later_is_configured_and_the_workload_starts(string match, string wait, string? mac)
    {
        using var ns = Netns.Create(withEth0: false);
        using var dir = new TempDir();
        using Pid1Process init = ns.StartInit(Init(dir, Spec(ns, match, wait), $"ip -o addr show eth0; ping -c1 -w5 {ns.Gateway} >/dev/null && echo PING-OK"));
        UntilWaiting(init);
        Assert.False(init.Launcher.HasExited, init.Launcher.StderrSoFar);

        ns.MoveEth0In(mac);
        ProcResult result = init.Wait();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"inet 10.200.{ns.Gateway.GetAddressBytes()[2]}.2/24", result.Stdout);
        Assert.Contains("PING-OK", result.Stdout);
    }

    [Fact]
    public void A_stop_signal_ends_the_wait_and_the_workload_never_starts()
    {
        using var ns = Netns.Create(withEth0: false);
        using var dir = new TempDir();
        using Pid1Process init = ns.StartInit(Init(dir, Spec(ns, "name = \"eth0\"", "link"), "echo WORKLOAD-STARTED"));
        UntilWaiting(init);

        init.Signal(15);
        ProcResult result = init.Wait();

        Assert.True(result.ExitCode == 143, result.ToString());
        Assert.DoesNotContain("WORKLOAD-STARTED", result.Stdout);
        Assert.Contains("before the workload started: not starting it", result.Stderr);
    }

    [Fact]
    public void No_link_within_the_timeout_is_exit_3_with_a_hint()
    {
        using var ns = Netns.Create(withEth0: false);
        using var dir = new TempDir();
        ProcResult result = ns.RunInit(Init(dir, Spec(ns, "name = \"eth0\"", "link").Replace("\"20s\"", "\"300ms\""), "echo WORKLOAD-STARTED"));
        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.DoesNotContain("WORKLOAD-STARTED", result.Stdout);
        Assert.Contains("init: error: eth0: wait for the link: ETIMEDOUT (not done within 300ms)", result.Stderr);
        Assert.Contains("hint: no link eth0 appeared", result.Stderr);
    }
}
