using System.Text.Json;
using Xunit;

namespace Init.Tests.Network;

/// <summary>
/// [[rule]] and [[interface.neighbor]] applied in a throwaway namespace, checked with <c>ip -j</c>: what is added,
/// that a re-run converges (ours removed when the spec drops them, others' and the kernel's never), and that
/// applying twice leaves the same state.
/// </summary>
[Trait("Needs", "root")]
public class PolicyApplyTests
{
    private const string Spec = """
        [[interface]]
        name = "eth0"
        addresses = ["10.200.{N}.2/24", "fd00:200:{X}::2/64"]
          [[interface.neighbor]]
          address = "10.200.{N}.1"
          mac = "02:00:00:00:00:01"
          [[interface.neighbor]]
          address = "fd00:200:{X}::1"
          mac = "02:00:00:00:00:01"
          [[interface.route]]
          to = "default"
          via = "10.200.{N}.1"
          table = 101
        [[rule]]
        priority = 100
        from = "10.200.{N}.2/32"
        table = 101
        [[rule]]
        priority = 200
        fwmark = "0x10/0xff"
        iif = "eth0"
        action = "prohibit"
        [[rule]]
        priority = 300
        to = "fd00:200:{X}:ff::/64"
        oif = "eth0"
        action = "blackhole"
        """;

    private static JsonElement[] Rules(TestNetwork net, string family) =>
        [.. net.IpJson(family, "rule", "show").Where(r => r.TryGetProperty("protocol", out JsonElement p) && p.GetString() == "static")];

    [Fact]
    public void Rules_and_permanent_neighbours_are_as_the_spec_says()
    {
        using var net = new TestNetwork();
        net.Apply(Spec);

        JsonElement[] v4 = Rules(net, "-4");
        Assert.Equal([100, 200], v4.Select(r => r.GetProperty("priority").GetInt32()));
        Assert.Equal($"10.200.{net.N}.2", v4[0].GetProperty("src").GetString());
        Assert.Equal("101", v4[0].GetProperty("table").GetString());
        Assert.Equal("0x10", v4[1].GetProperty("fwmark").GetString());
        Assert.Equal("0xff", v4[1].GetProperty("fwmask").GetString());
        Assert.Equal("eth0", v4[1].GetProperty("iif").GetString());
        Assert.Equal("prohibit", v4[1].GetProperty("action").GetString());
        JsonElement[] v6 = Rules(net, "-6");
        Assert.Equal([200, 300], v6.Select(r => r.GetProperty("priority").GetInt32())); // no prefix: both families
        Assert.Equal($"fd00:200:{net.N:x}:ff::", v6[1].GetProperty("dst").GetString());
        Assert.Equal("eth0", v6[1].GetProperty("oif").GetString());
        Assert.Equal("blackhole", v6[1].GetProperty("action").GetString());
        // The kernel's own rules stay.
        Assert.Equal([0, 100, 200, 32766, 32767], net.IpJson("-4", "rule", "show").Select(r => r.GetProperty("priority").GetInt32()));

        JsonElement[] neighbours = net.IpJson("neigh", "show", "dev", "eth0", "nud", "permanent");
        Assert.Equal([$"10.200.{net.N}.1", $"fd00:200:{net.N:x}::1"], neighbours.Select(n => n.GetProperty("dst").GetString()).Order());
        Assert.All(neighbours, n => Assert.Equal("02:00:00:00:00:01", n.GetProperty("lladdr").GetString()));

        // The source rule selects table 101: a packet from eth0's address leaves by its default route there.
        JsonElement route = Assert.Single(net.IpJson("route", "get", "10.200.250.9", "from", $"10.200.{net.N}.2"));
        Assert.Equal($"10.200.{net.N}.1", route.GetProperty("gateway").GetString());
    }

    [Fact]
    public void Applying_twice_leaves_the_same_state()
    {
        using var net = new TestNetwork();
        net.Apply(Spec);
        string first = net.State();
        net.Apply(Spec);
        Assert.Equal(first, net.State());
    }

    [Fact]
    public void A_rerun_removes_our_rules_the_spec_dropped_and_never_anyone_elses()
    {
        using var net = new TestNetwork();
        net.Ip("rule", "add", "priority", "150", "from", "10.200.99.0/24", "lookup", "150"); // proto boot: not ours
        net.Ip("rule", "add", "priority", "160", "to", "10.200.98.0/24", "lookup", "160", "proto", "static"); // as an earlier run left it
        net.Ip("neigh", "replace", $"10.200.{net.N}.1", "lladdr", "02:00:00:00:00:99", "dev", "eth0", "nud", "permanent");
        net.Apply(Spec);

        Assert.Equal([100, 200], Rules(net, "-4").Select(r => r.GetProperty("priority").GetInt32()));
        Assert.Contains(net.IpJson("-4", "rule", "show"), r => r.GetProperty("priority").GetInt32() == 150);
        // The neighbour's entry is replaced, not duplicated.
        JsonElement gateway = Assert.Single(net.IpJson("neigh", "show", $"10.200.{net.N}.1", "dev", "eth0"));
        Assert.Equal("02:00:00:00:00:01", gateway.GetProperty("lladdr").GetString());

        net.Apply("""
            [[interface]]
            name = "eth0"
            addresses = ["10.200.{N}.2/24"]
            [[rule]]
            priority = 100
            from = "10.200.{N}.2/32"
            table = "main"
            """);
        JsonElement only = Assert.Single(Rules(net, "-4"));
        Assert.Equal("main", only.GetProperty("table").GetString());
        Assert.Empty(Rules(net, "-6"));
        Assert.Contains(net.IpJson("-4", "rule", "show"), r => r.GetProperty("priority").GetInt32() == 150);
    }
}
