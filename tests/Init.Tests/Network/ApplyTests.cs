using System.Text.Json;
using Init.Tests.Harness;
using Xunit;

namespace Init.Tests.Network;

/// <summary>
/// The set-up in-process against a throwaway namespace, checked with <c>ip -j</c>: a fresh eth0 configured as the
/// spec says, convergence from what a runtime configured, and applying twice.
/// </summary>
[Trait("Needs", "root")]
public class ApplyTests
{
    /// <summary>The fresh-eth0 spec plus an extra address on lo.</summary>
    private static string FreshEth0WithLoopback(TestNetwork net) => "[loopback]\naddresses = [\"10.200.255.1/32\"]\n\n" + NetworkSpecs.FreshEth0(net.N);

    [Fact]
    public void AddressesMtuAndRoutesAsTheSpecSays()
    {
        using var net = new TestNetwork();
        net.Apply(FreshEth0WithLoopback(net));

        JsonElement eth0 = Assert.Single(net.IpJson("link", "show", "eth0"));
        Assert.Equal(1400, eth0.GetProperty("mtu").GetInt32());
        Assert.Contains("UP", eth0.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        string[] addresses = net.Addresses();
        Assert.Equal([$"10.200.{net.N}.2/24", $"fd00:200:{net.N:x}::2/64"], addresses.Where(a => !a.StartsWith("fe80:")));
        Assert.DoesNotContain(addresses, a => a.EndsWith(" tentative") && !a.StartsWith("fe80:"));
        Assert.Contains("10.200.255.1/32", net.Addresses("lo"));
        Assert.Contains("127.0.0.1/8", net.Addresses("lo"));

        JsonElement v4 = Assert.Single(net.IpJson("route", "show", "default"));
        Assert.Equal($"10.200.{net.N}.1", v4.GetProperty("gateway").GetString());
        Assert.Equal("static", v4.GetProperty("protocol").GetString());
        JsonElement v6 = Assert.Single(net.IpJson("-6", "route", "show", "default"));
        Assert.Equal("fe80::1", v6.GetProperty("gateway").GetString());
        Assert.Equal("eth0", v6.GetProperty("dev").GetString());
        JsonElement extra = Assert.Single(net.IpJson("route", "show", "table", "100"));
        Assert.Equal("10.200.77.0/24", extra.GetProperty("dst").GetString());
        Assert.Equal("10.200.78.1", extra.GetProperty("gateway").GetString());
        Assert.Equal(50, extra.GetProperty("metric").GetInt32());
        Assert.Contains("onlink", extra.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));

        Assert.Equal(0, net.Ns.Exec(Repo.Busybox, "ping", "-c1", "-w5", net.Ns.Gateway.ToString()).ExitCode);
    }

    [Fact]
    public void ApplyingTwiceLeavesTheSameState()
    {
        using var net = new TestNetwork();
        net.Apply(FreshEth0WithLoopback(net));
        string first = net.State();
        net.Apply(FreshEth0WithLoopback(net));
        Assert.Equal(first, net.State());
    }

    [Fact]
    public void ConvergesFromARuntimeConfiguredEth0ReplacingItsAddressAndDefaultRoute()
    {
        using var net = new TestNetwork();
        // What docker leaves: eth0 up with another address of the same prefix, a default route via another
        // gateway, plus a stray route and a stray IPv6 address.
        net.Ip("addr", "add", $"10.200.{net.N}.50/24", "dev", "eth0");
        net.Ip("addr", "add", $"fd00:200:{net.N:x}::50/64", "dev", "eth0", "nodad");
        net.Ip("link", "set", "eth0", "up");
        net.Ip("route", "add", "default", "via", $"10.200.{net.N}.254");
        net.Ip("route", "add", "10.200.88.0/24", "via", $"10.200.{net.N}.254", "metric", "7");

        net.Apply("""
            [[interface]]
            name = "eth0"
            addresses = ["10.200.{N}.2/24"]
              [[interface.route]]
              to = "default"
              via = "10.200.{N}.1"
            """);

        Assert.Equal([$"10.200.{net.N}.2/24"], net.Addresses().Where(a => !a.StartsWith("fe80:")));
        Assert.Contains(net.Addresses(), a => a.StartsWith("fe80:")); // the kernel's link-local stays
        JsonElement route = Assert.Single(net.IpJson("route", "show", "default"));
        Assert.Equal($"10.200.{net.N}.1", route.GetProperty("gateway").GetString());
        Assert.Equal("static", route.GetProperty("protocol").GetString());
        Assert.Empty(net.IpJson("route", "show", "10.200.88.0/24"));
        // Kernel routes stay: the address's prefix route and IPv6 link-local.
        Assert.Single(net.IpJson("route", "show", "proto", "kernel"));
        Assert.Contains(net.IpJson("-6", "route", "show", "proto", "kernel"), r => r.GetProperty("dst").GetString() == "fe80::/64");
        Assert.Equal(0, net.Ns.Exec(Repo.Busybox, "ping", "-c1", "-w5", net.Ns.Gateway.ToString()).ExitCode);
    }

    [Fact]
    public void ASpecEqualToWhatIsThereSucceedsAndKeepsIt()
    {
        using var net = new TestNetwork();
        net.Ip("addr", "add", $"10.200.{net.N}.2/24", "dev", "eth0");
        net.Ip("link", "set", "eth0", "up");
        net.Ip("route", "add", "default", "via", $"10.200.{net.N}.1");

        net.Apply("""
            [[interface]]
            name = "eth0"
            addresses = ["10.200.{N}.2/24"]
              [[interface.route]]
              to = "default"
              via = "10.200.{N}.1"
            """);

        Assert.Equal([$"10.200.{net.N}.2/24"], net.Addresses().Where(a => !a.StartsWith("fe80:")));
        Assert.Equal($"10.200.{net.N}.1", Assert.Single(net.IpJson("route", "show", "default")).GetProperty("gateway").GetString());
    }

    [Fact]
    public void RemovingAStalePrimaryDoesNotTakeTheListedSecondaryOrTheRoutesWithIt()
    {
        using var net = new TestNetwork();
        // promote_secondaries is 0 in a new namespace: deleting .50 deletes .2 (its secondary) too.
        net.Ip("addr", "add", $"10.200.{net.N}.50/24", "dev", "eth0");
        net.Ip("addr", "add", $"10.200.{net.N}.2/24", "dev", "eth0");
        net.Ip("link", "set", "eth0", "up");

        net.Apply("""
            [[interface]]
            name = "eth0"
            addresses = ["10.200.{N}.2/24"]
              [[interface.route]]
              to = "10.200.66.0/24"
              via = "10.200.{N}.1"
              src = "10.200.{N}.2"
              [[interface.route]]
              to = "default"
              via = "10.200.{N}.1"
            """);

        Assert.Equal([$"10.200.{net.N}.2/24"], net.Addresses().Where(a => !a.StartsWith("fe80:")));
        Assert.Single(net.IpJson("route", "show", "default"));
        Assert.Single(net.IpJson("route", "show", "10.200.66.0/24"));
    }

    [Fact]
    public void PointToPointAddressesAndAnIpv6Metric0RouteAreKeptByASecondRun()
    {
        using var net = new TestNetwork();
        const string spec = """
            [[interface]]
            name = "eth0"
            addresses = ["fd00:200:{X}::2/64"]
              [[interface.address]]
              address = "10.200.{N}.2/32"
              peer = "10.200.{N}.1/32"
              [[interface.route]]
              to = "fd00:200:99::/64"
              via = "fe80::1"
              metric = 0
              [[interface.route]]
              to = "default"
              via = "10.200.{N}.1"
            """;
        net.Apply(spec);
        string first = net.State();
        net.Apply(spec);
        Assert.Equal(first, net.State());
        JsonElement address = Assert.Single(net.IpJson("-4", "addr", "show", "dev", "eth0")).GetProperty("addr_info")[0];
        Assert.Equal($"10.200.{net.N}.1", address.GetProperty("address").GetString());
        Assert.Single(net.IpJson("-6", "route", "show", "fd00:200:99::/64"));
    }

    [Fact]
    public void ALoopbackAddressIn1278IsAddedNextTo127001()
    {
        using var net = new TestNetwork();
        net.Apply("""
            [loopback]
            addresses = ["127.0.0.2/8", "169.254.169.254/32"]
            """);
        Assert.Equal(["127.0.0.1/8", "127.0.0.2/8", "169.254.169.254/32", "::1/128"], net.Addresses("lo"));
    }

    [Fact]
    public void FlushFalseKeepsWhatTheSpecDoesNotList()
    {
        using var net = new TestNetwork();
        net.Ip("addr", "add", $"10.200.{net.N}.50/24", "dev", "eth0");
        net.Ip("link", "set", "eth0", "up");
        net.Ip("route", "add", "10.200.88.0/24", "via", $"10.200.{net.N}.254");

        net.Apply("""
            [[interface]]
            name = "eth0"
            flush = false
            addresses = ["10.200.{N}.2/24"]
            """);

        Assert.Equal([$"10.200.{net.N}.2/24", $"10.200.{net.N}.50/24"], net.Addresses().Where(a => !a.StartsWith("fe80:")));
        Assert.Single(net.IpJson("route", "show", "10.200.88.0/24"));
    }

    [Fact]
    public void FlushRemovesRoutesInOtherTablesAndIpv6AddressesButKeepsLo()
    {
        using var net = new TestNetwork();
        net.Ip("link", "set", "lo", "up");
        net.Ip("link", "set", "eth0", "up");
        net.Ip("addr", "add", $"fd00:200:{net.N:x}::50/64", "dev", "eth0", "nodad");
        net.Ip("route", "add", "10.200.89.0/24", "dev", "eth0", "table", "200");

        net.Apply("""
            [[interface]]
            name = "eth0"
            """);

        Assert.Equal([], net.Addresses().Where(a => !a.StartsWith("fe80:")));
        Assert.Empty(net.IpJson("route", "show", "table", "200"));
        Assert.Equal(["127.0.0.1/8", "::1/128"], net.Addresses("lo"));
    }

    [Fact]
    public void RenameAndMacThenASecondRunFindsTheLinkAsLeft()
    {
        using var net = new TestNetwork();
        net.Ip("link", "set", "eth0", "up"); // rename needs the link down: the setup takes it down
        const string spec = """
            [[interface]]
            name = "eth0"
            rename = "wan0"
            mac = "02:00:00:00:20:01"
            addresses = ["10.200.{N}.2/24"]
            """;
        net.Apply(spec);
        JsonElement wan0 = Assert.Single(net.IpJson("link", "show", "wan0"));
        Assert.Equal("02:00:00:00:20:01", wan0.GetProperty("address").GetString());
        Assert.Contains("UP", wan0.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        string first = net.State();

        net.Apply(spec);
        Assert.Equal(first, net.State());
    }

    [Fact]
    public void MatchByMacFindsTheLinkAndASecondRunFindsItByItsNewMac()
    {
        using var net = new TestNetwork();
        string mac = Assert.Single(net.IpJson("link", "show", "eth0")).GetProperty("address").GetString()!;
        string spec = $$"""
            [[interface]]
            match = { mac = "{{mac}}" }
            mac = "02:00:00:00:20:02"
            addresses = ["10.200.{N}.2/24"]
            """;
        net.Apply(spec);
        Assert.Equal("02:00:00:00:20:02", Assert.Single(net.IpJson("link", "show", "eth0")).GetProperty("address").GetString());
        net.Apply(spec);
        Assert.Equal([$"10.200.{net.N}.2/24"], net.Addresses().Where(a => !a.StartsWith("fe80:")));
    }

    [Fact]
    public void WaitForCarrierReturnsWhenThePeerIsUp()
    {
        using var net = new TestNetwork();
        net.Apply("""
            [[interface]]
            name = "eth0"
            wait = "carrier"
            addresses = ["10.200.{N}.2/24"]
            """);
        Assert.Contains("LOWER_UP", Assert.Single(net.IpJson("link", "show", "eth0")).GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public async Task WaitForCarrierWaitsForAPeerThatComesUpLater()
    {
        using var net = new TestNetwork();
        Proc.Must("ip", "-n", net.Ns.GatewayNs, "link", "set", net.Ns.HostVeth, "down");
        Task peerUp = Task.Run(async () =>
        {
            await Task.Delay(300);
            Proc.Must("ip", "-n", net.Ns.GatewayNs, "link", "set", net.Ns.HostVeth, "up");
        });
        net.Apply("""
            [[interface]]
            name = "eth0"
            wait = "carrier"
            wait_timeout = "10s"
            """);
        await peerUp;
        Assert.Contains("LOWER_UP", Assert.Single(net.IpJson("link", "show", "eth0")).GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public void DadTrueWaitsUntilTheAddressIsNoLongerTentative()
    {
        using var net = new TestNetwork();
        net.Apply("""
            [[interface]]
            name = "eth0"
            addresses = ["10.200.{N}.2/24"]
              [[interface.address]]
              address = "fd00:200:{X}::2/64"
              dad = true
            """);
        Assert.Contains($"fd00:200:{net.N:x}::2/64", net.Addresses());
    }
}
