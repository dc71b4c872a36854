using System.Text.Json;
using Init.Plan;
using Init.Tests.Spec;
using Xunit;

namespace Init.Tests.Network;

/// <summary>
/// Route types, ECMP next hops, mtu and advmss: refused at their positions when wrong, applied in a throwaway
/// namespace and checked with <c>ip -j</c>, and converged (applying twice is the same state; ours dropped from
/// the spec are removed, others' stay).
/// </summary>
[Trait("Needs", "root")]
public class RouteFormsApplyTests
{
    private const string Spec = """
        [[interface]]
        name = "eth0"
        addresses = ["10.200.{N}.2/24", "fd00:200:{X}::2/64"]
          [[interface.route]]
          to = "10.200.50.0/24"
          nexthops = [ { via = "10.200.{N}.1" }, { via = "10.200.{N}.3", weight = 3 } ]
          [[interface.route]]
          to = "fd00:200:50::/48"
          nexthops = [ { via = "fd00:200:{X}::1" }, { via = "fd00:200:{X}::3", weight = 2 } ]
          [[interface.route]]
          to = "10.200.51.0/24"
          via = "10.200.{N}.1"
          mtu = 1300
          advmss = 1260
        [[route]]
        to = "10.200.60.0/24"
        type = "blackhole"
        [[route]]
        to = "fd00:200:60::/48"
        type = "unreachable"
        [[route]]
        to = "10.200.61.0/24"
        type = "prohibit"
        table = 101
        [[route]]
        to = "default"
        type = "throw"
        table = 102
        """;

    [Theory]
    [InlineData("[[route]]\nto = \"10.0.0.0/8\"", "1:1: route[0].type: missing: \"blackhole\", \"unreachable\", \"prohibit\" or \"throw\" (a route through an interface is an [[interface.route]])")]
    [InlineData("[[route]]\nto = \"10.0.0.0/8\"\ntype = \"blackhoel\"", "3:8: route[0].type: \"blackhoel\" is not one of \"blackhole\", \"unreachable\", \"prohibit\", \"throw\"; did you mean \"blackhole\"?")]
    [InlineData("[[route]]\nto = \"10.0.0.0/8\"\ntype = \"unicast\"", "3:8: route[0].type: a unicast route goes through an interface: write it under [[interface.route]]")]
    [InlineData("[[route]]\nto = \"10.0.0.0/8\"\ntype = \"blackhole\"\nvia = \"10.0.0.1\"", "4:7: route[0].via: a top-level [[route]] goes through no interface: it has no gateway, source or scope")]
    [InlineData("[[route]]\nto = \"10.0.0.0/8\"\ntype = \"blackhole\"\n[[route]]\nto = \"10.0.0.0/8\"\ntype = \"prohibit\"", "4:1: route[1]: same destination, table and metric as route[0]: the kernel keeps only one")]
    [InlineData("[[interface]]\nname = \"eth0\"\naddresses = [\"10.0.0.2/24\"]\n[[interface.route]]\nto = \"10.1.0.0/16\"\nvia = \"10.0.0.1\"\n[[route]]\nto = \"10.1.0.0/16\"\ntype = \"throw\"", "7:1: route[0]: same destination, table and metric as a route of eth0: the kernel keeps only one")]
    [InlineData("[[interface]]\nname = \"eth0\"\n[[interface.route]]\nto = \"10.1.0.0/16\"\ntype = \"prohibit\"", "5:8: interface[0].route[0].type: a prohibit route goes through no interface: write it as a top-level [[route]]")]
    [InlineData("[[interface]]\nname = \"eth0\"\naddresses = [\"10.0.0.2/24\"]\n[[interface.route]]\nto = \"10.1.0.0/16\"\nnexthops = [{ via = \"10.0.0.1\" }]", "6:12: interface[0].route[0].nexthops: give at least two next hops (one is via = \"…\")")]
    [InlineData("[[interface]]\nname = \"eth0\"\naddresses = [\"10.0.0.2/24\"]\n[[interface.route]]\nto = \"10.1.0.0/16\"\nvia = \"10.0.0.1\"\nnexthops = [{ via = \"10.0.0.3\" }, { via = \"10.0.0.4\" }]", "7:12: interface[0].route[0].nexthops: has both via and nexthops: give one gateway, or several in nexthops")]
    [InlineData("[[interface]]\nname = \"eth0\"\naddresses = [\"10.0.0.2/24\"]\n[[interface.route]]\nto = \"10.1.0.0/16\"\nnexthops = [{ via = \"10.0.0.3\", weight = 0 }, { via = \"10.9.0.4\" }]", "6:42: interface[0].route[0].nexthops[0].weight: 0 is out of range 1..256\n6:55: interface[0].route[0].nexthops[1].via: gateway 10.9.0.4 is not inside any prefix on eth0 (10.0.0.0/24); set onlink = true if it is on the link")]
    [InlineData("[[interface]]\nname = \"eth0\"\naddresses = [\"10.0.0.2/24\"]\n[[interface.route]]\nto = \"10.1.0.0/16\"\nnexthops = [{ via = \"10.0.0.3\" }, { via = \"10.0.0.3\" }]", "6:43: interface[0].route[0].nexthops[1].via: duplicate of interface[0].route[0].nexthops[0].via")]
    [InlineData("[[interface]]\nname = \"eth0\"\naddresses = [\"fd00::2/64\"]\n[[interface.route]]\nto = \"fd01::/64\"\nvia = \"fd00::1\"\nmtu = 1000\nadvmss = 70000", "7:7: interface[0].route[0].mtu: 1000 is below 1280, the IPv6 minimum\n8:10: interface[0].route[0].advmss: 70000 is out of range 1..65535")]
    public void Reports_the_problem_at_its_position(string toml, string expected) =>
        Assert.Equal(expected.Split('\n'), SpecFile.Errors(toml));

    [Fact]
    public void Types_next_hops_mtu_and_advmss_are_as_the_spec_says()
    {
        using var net = new TestNetwork();
        net.Apply(Spec);

        JsonElement ecmp = Assert.Single(net.IpJson("route", "show", "10.200.50.0/24"));
        JsonElement[] hops = [.. ecmp.GetProperty("nexthops").EnumerateArray()];
        Assert.Equal([$"10.200.{net.N}.1", $"10.200.{net.N}.3"], hops.Select(h => h.GetProperty("gateway").GetString()));
        Assert.Equal([1, 3], hops.Select(h => h.GetProperty("weight").GetInt32()));
        Assert.Equal("static", ecmp.GetProperty("protocol").GetString());
        JsonElement ecmp6 = Assert.Single(net.IpJson("-6", "route", "show", "fd00:200:50::/48"));
        Assert.Equal(2, ecmp6.GetProperty("nexthops").GetArrayLength());

        JsonElement metrics = Assert.Single(net.IpJson("-d", "route", "show", "10.200.51.0/24"));
        JsonElement values = metrics.GetProperty("metrics")[0];
        Assert.Equal(1300, values.GetProperty("mtu").GetInt32());
        Assert.Equal(1260, values.GetProperty("advmss").GetInt32());

        Assert.Equal("blackhole", Assert.Single(net.IpJson("route", "show", "10.200.60.0/24")).GetProperty("type").GetString());
        Assert.Equal("unreachable", Assert.Single(net.IpJson("-6", "route", "show", "fd00:200:60::/48")).GetProperty("type").GetString());
        Assert.Equal("prohibit", Assert.Single(net.IpJson("route", "show", "table", "101")).GetProperty("type").GetString());
        Assert.Equal("throw", Assert.Single(net.IpJson("route", "show", "table", "102")).GetProperty("type").GetString());
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
    public void A_rerun_removes_our_linkless_routes_the_spec_dropped_and_keeps_others()
    {
        using var net = new TestNetwork();
        net.Ip("route", "add", "blackhole", "10.200.70.0/24"); // proto boot: someone else's
        net.Apply(Spec);
        net.Apply("""
            [[interface]]
            name = "eth0"
            addresses = ["10.200.{N}.2/24"]
            [[route]]
            to = "10.200.60.0/24"
            type = "blackhole"
            """);
        Assert.Single(net.IpJson("route", "show", "10.200.60.0/24"));
        Assert.Single(net.IpJson("route", "show", "10.200.70.0/24"));
        Assert.Empty(net.IpJson("route", "show", "table", "101"));
        Assert.Empty(net.IpJson("route", "show", "table", "102"));
        Assert.Empty(net.IpJson("-6", "route", "show", "fd00:200:60::/48"));
        Assert.Empty(net.IpJson("route", "show", "10.200.50.0/24")); // the ECMP route went with eth0's flush
    }
}
