using System.Net;
using System.Net.Sockets;
using System.Text;
using Init.Network;
using Init.Plan;
using Init.Spec;
using Xunit;

namespace Init.Tests.Spec;

/// <summary>
/// [[rule]], [[interface.neighbor]], wait = "link" and ${VAR} substitution: what they parse to, what --check
/// plans, and every refusal with its position.
/// </summary>
public class PolicySpecTests
{
    private const string Eth0 = "[[interface]]\nname = \"eth0\"\n";

    [Theory]
    // [[rule]]
    [InlineData("[[rule]]\ntable = 101", "1:1: rule[0].priority: missing: rules are tried from the lowest priority (e.g. 100); the kernel's own are 0, 32766 and 32767")]
    [InlineData("[[rule]]\npriority = 32766\ntable = 101", "2:12: rule[0].priority: 32766 is the priority of a rule of the kernel's own (main 32766, default 32767): pick another")]
    [InlineData("[[rule]]\npriority = 0\ntable = 101", "2:12: rule[0].priority: 0 is out of range 1..4294967295")]
    [InlineData("[[rule]]\npriority = 100", "1:1: rule[0]: needs table = N (look the route up there) or action = \"blackhole\" | \"unreachable\" | \"prohibit\"")]
    [InlineData("[[rule]]\npriority = 100\ntable = 101\naction = \"prohibit\"", "1:1: rule[0]: has both table and action: give exactly one")]
    [InlineData("[[rule]]\npriority = 100\naction = \"prohibt\"", "3:10: rule[0].action: \"prohibt\" is not one of \"blackhole\", \"unreachable\", \"prohibit\"; did you mean \"prohibit\"?")]
    [InlineData("[[rule]]\npriority = 100\ntable = 255", "3:9: rule[0].table: 255 is the kernel's local table, already looked up by its own rule: pick another")]
    [InlineData("[[rule]]\npriority = 100\ntable = \"mian\"", "3:9: rule[0].table: \"mian\" is not one of \"main\"; did you mean \"main\"?")]
    [InlineData("[[rule]]\npriority = 100\ntable = 101\nfrom = \"10.200.1.10/24\"", "4:8: rule[0].from: 10.200.1.10/24 has host bits set; did you mean 10.200.1.0/24?")]
    [InlineData("[[rule]]\npriority = 100\ntable = 101\nfrom = \"10.200.1.0/24\"\nto = \"fd00:200::/32\"", "5:6: rule[0].to: fd00:200::/32 is IPv6 but from is IPv4")]
    [InlineData("[[rule]]\npriority = 100\ntable = 101\nfrom = \"10.200.1.0/24\"\nfamily = \"ipv6\"", "5:10: rule[0].family: rule[0].from 10.200.1.0/24 is IPv4: a rule with a prefix has its family; leave family out")]
    [InlineData("[[rule]]\npriority = 100\ntable = 101\nfwmark = \"0x10/0x0f\"", "4:10: rule[0].fwmark: \"0x10/0x0f\": the mark has bits outside the mask, which the kernel never compares")]
    [InlineData("[[rule]]\npriority = 100\ntable = 101\nfwmark = \"0x1g\"", "4:10: rule[0].fwmark: \"0x1g\" is not a firewall mark (MARK or MARK/MASK, 32-bit numbers: \"0x10/0xff\")")]
    [InlineData("[[rule]]\npriority = 100\ntable = 101\niif = \"eth0:1\"", "4:7: rule[0].iif: \"eth0:1\" is not a link name: it contains ':'")]
    [InlineData("[[rule]]\npriority = 100\ntable = 101\nfrm = \"10.0.0.0/8\"", "4:1: rule[0].frm: unknown key; did you mean \"from\"?")]
    [InlineData("[[rule]]\npriority = 100\ntable = 101\n[[rule]]\npriority = 100\ntable = 101", "4:1: rule[1]: duplicate of rule[0]")]
    [InlineData("[rule]\npriority = 100", "1:1: rule: expected an array of tables, got a table: write [[rule]]")]
    // [[interface.neighbor]]
    [InlineData(Eth0 + "[[interface.neighbor]]\naddress = \"10.200.1.1\"", "3:1: interface[0].neighbor[0].mac: missing: the neighbour's link-layer address (\"02:42:ac:11:00:01\")")]
    [InlineData(Eth0 + "[[interface.neighbor]]\nmac = \"02:00:00:00:00:01\"", "3:1: interface[0].neighbor[0].address: missing: the neighbour's IP address (e.g. the gateway)")]
    [InlineData(Eth0 + "[[interface.neighbor]]\naddress = \"224.0.0.1\"\nmac = \"02:00:00:00:00:01\"", "4:11: interface[0].neighbor[0].address: 224.0.0.1 cannot be a neighbour (the kernel maps it without resolution)")]
    [InlineData(Eth0 + "[[interface.neighbor]]\naddress = \"10.200.1.1\"\nmac = \"03:00:00:00:00:01\"", "5:7: interface[0].neighbor[0].mac: 03:00:00:00:00:01 is a multicast MAC address; a link needs a unicast one (lowest bit of the first octet 0)")]
    [InlineData(Eth0 + "neighbor = [{ address = \"10.200.1.1\", mac = \"02:00:00:00:00:01\" }, { address = \"10.200.1.1\", mac = \"02:00:00:00:00:02\" }]", "3:68: interface[0].neighbor[1]: duplicate of interface[0].neighbor[0]")]
    [InlineData(Eth0 + "[[interface.neighbor]]\naddress = \"10.200.1.1\"\nlladdr = \"02:00:00:00:00:01\"", "3:1: interface[0].neighbor[0].mac: missing: the neighbour's link-layer address (\"02:42:ac:11:00:01\")\n5:1: interface[0].neighbor[0].lladdr: unknown key")]
    // wait
    [InlineData(Eth0 + "wait = \"lnk\"", "3:8: interface[0].wait: \"lnk\" is not one of \"none\", \"link\", \"carrier\"; did you mean \"link\"?")]
    public void Reports_the_problem_at_its_position(string toml, string expected) =>
        Assert.Equal(expected.Split('\n'), SpecFile.Errors(toml));

    [Fact]
    public void Rules_parse_to_one_rule_per_family_the_prefixes_decide()
    {
        NetworkSpec network = SpecFile.Load("""
            [[rule]]
            priority = 100
            from = "10.200.1.10/32"
            table = 101
            [[rule]]
            priority = 200
            fwmark = "0x10/0xff"
            iif = "eth1"
            action = "blackhole"
            [[rule]]
            priority = 300
            family = "ipv6"
            oif = "eth0"
            table = "main"
            """).Network!;
        Assert.Equal(
        [
            new RuleSpec(AddressFamily.InterNetwork, 100, IPNetwork.Parse("10.200.1.10/32"), null, null, null, null, null, 101, null),
            new RuleSpec(AddressFamily.InterNetwork, 200, null, null, "eth1", null, 0x10, 0xff, null, RuleReject.Blackhole),
            new RuleSpec(AddressFamily.InterNetworkV6, 200, null, null, "eth1", null, 0x10, 0xff, null, RuleReject.Blackhole),
            new RuleSpec(AddressFamily.InterNetworkV6, 300, null, null, null, "eth0", null, null, RouteSpec.MainTable, null),
        ], network.Rules);
    }

    [Fact]
    public void Check_shows_neighbours_after_up_and_rules_after_every_interface()
    {
        IReadOnlyList<PlanStep> plan = Planner.Plan(SpecFile.Load("""
            [[interface]]
            name = "eth0"
            wait = "link"
            wait_timeout = "30s"
            addresses = ["10.200.1.10/24"]
              [[interface.neighbor]]
              address = "10.200.1.1"
              mac = "02:00:00:00:00:01"
              [[interface.route]]
              to = "default"
              via = "10.200.1.1"
              table = 101
            [[rule]]
            priority = 100
            from = "10.200.1.10/32"
            table = 101
            [[rule]]
            priority = 200
            fwmark = "16"
            action = "unreachable"
            """));
        Assert.Equal(
        [
            "lo: set up",
            "wait for link eth0 to appear (up to 30s)",
            "find link eth0",
            "eth0: remove addresses the spec does not list (IPv6 link-local stays)",
            "eth0: add address 10.200.1.10/24 broadcast 10.200.1.255",
            "eth0: set up",
            "eth0: add neighbour 10.200.1.1 lladdr 02:00:00:00:00:01 permanent",
            "eth0: add route default via 10.200.1.1 table 101 proto static",
            "eth0: remove routes the spec does not list (kernel routes stay)",
            "add IPv4 rule 100: from 10.200.1.10/32 lookup 101 proto static",
            "add IPv4 rule 200: from all fwmark 0x10 unreachable proto static",
            "add IPv6 rule 200: from all fwmark 0x10 unreachable proto static",
            "remove rules marked proto static that the spec does not list",
            "workload: drop capabilities NET_ADMIN",
        ], plan.Select(step => step.Describe()));
    }

    [Fact]
    public void Carrier_waits_for_the_link_first()
    {
        IReadOnlyList<PlanStep> plan = Planner.Plan(SpecFile.Load(Eth0 + "wait = \"carrier\""));
        Assert.IsType<WaitForLink>(plan[1]);
        Assert.IsType<FindLink>(plan[2]);
        Assert.Contains(plan, step => step is WaitForCarrier);
    }

    /// <summary>docs/spec.md's two-interface example plans, with its variables, exactly as the page shows.</summary>
    [Fact]
    public void The_documented_example_plans_as_documented()
    {
        string page = File.ReadAllText(Path.Combine(Init.Tests.Harness.Repo.Root, "docs", "spec.md"));
        string section = page[page.IndexOf("**Several interfaces, with source-based routing**", StringComparison.Ordinal)..];
        string toml = Block(section, "```toml\n");
        string plan = Block(section[section.IndexOf("With `ADDR0=", StringComparison.Ordinal)..], "```\n");
        InitSpec spec = LoadWith(toml, ("ADDR0", "10.200.1.2"), ("GW0", "10.200.1.1"), ("ADDR1", "10.200.2.2"), ("GW1", "10.200.2.1"));
        Assert.Equal(plan.TrimEnd('\n').Split('\n'), Planner.Plan(spec).Select(step => step.Describe()));
    }

    private static string Block(string text, string fence)
    {
        int start = text.IndexOf(fence, StringComparison.Ordinal) + fence.Length;
        return text[start..text.IndexOf("```", start, StringComparison.Ordinal)];
    }

    private static InitSpec LoadWith(string toml, params (string Name, string Value)[] variables)
    {
        using var file = new SpecFile(toml);
        return SpecLoader.Load(file.Path, explicitlyNamed: true, name =>
            variables.FirstOrDefault(v => v.Name == name) is { Name: not null } found ? Encoding.UTF8.GetBytes(found.Value) : null);
    }

    private const string Substituted = """
        hostname = "${HOSTNAME_OVERRIDE:-api-1}"
        [dns]
        nameservers = ["${DNS}"]
        [[interface]]
        name = "${LINK:-eth0}"
        addresses = ["${ADDR}/24"]
          [[interface.route]]
          to = "default"
          via = "${GATEWAY}"
        [workload]
        command = ["echo", "${ADDR} costs $5"]
        """;

    [Fact]
    public void Variables_in_network_strings_come_from_the_environment_or_their_default()
    {
        InitSpec spec = LoadWith(Substituted, ("DNS", "10.200.1.53"), ("ADDR", "10.200.1.10"), ("GATEWAY", "10.200.1.1"), ("LINK", ""));
        NetworkSpec network = spec.Network!;
        Assert.Equal("api-1", network.Hostname);
        Assert.Equal([IPAddress.Parse("10.200.1.53")], network.Dns!.Nameservers);
        InterfaceSpec eth0 = Assert.Single(network.Interfaces);
        Assert.Equal(new LinkMatch.ByName("eth0"), eth0.Match); // empty: the default, as the shell's :-
        Assert.Equal("10.200.1.10/24", eth0.Addresses[0].Address.ToString());
        Assert.Equal(IPAddress.Parse("10.200.1.1"), eth0.Routes[0].Via);
        Assert.Equal(["echo", "${ADDR} costs $5"], spec.Workload.Command); // the workload's strings are never touched
    }

    [Fact]
    public void Dollar_dollar_is_a_literal_dollar_and_a_value_is_not_expanded_again()
    {
        // Resolved before validation: "a$b" is what the name rules see.
        Assert.Contains("\"a$b\" is not a valid name", Assert.Single(ErrorsWith("[hosts]\nentries = [{ ip = \"10.0.0.1\", names = [\"a$$b\"] }]")));
        Assert.Contains("\"${INNER}\" is not an IP address", Assert.Single(ErrorsWith("[dns]\nnameservers = [\"${OUTER}\"]", ("OUTER", "${INNER}"), ("INNER", "10.0.0.1"))));
    }

    private static string[] ErrorsWith(string toml, params (string Name, string Value)[] variables) =>
        [.. Assert.Throws<SpecException>(() => LoadWith(toml, variables)).Errors.Select(e => $"{e.Line}:{e.Column}: {e.KeyPath}: {e.Message}")];

    [Fact]
    public void Undefined_variables_and_bad_references_are_errors_at_their_strings_all_at_once()
    {
        Assert.Equal(
        [
            "3:16: dns.nameservers[0]: ${DNS} is not set in the init's environment and has no default (write ${DNS:-…})",
            "6:14: interface[0].addresses[0]: ${ADDR} is not set in the init's environment and has no default (write ${ADDR:-…})",
            "9:9: interface[0].route[0].via: ${GATEWAY} is not set in the init's environment and has no default (write ${GATEWAY:-…})",
        ], ErrorsWith(Substituted));
        Assert.Equal(["1:12: hostname: \"a$b\": a '$' starts ${NAME} or ${NAME:-default}; write $$ for a literal '$'"], ErrorsWith("hostname = \"a$b\""));
        Assert.Equal(["1:12: hostname: \"${1X}\": \"1X\" is not a variable name (letters, digits and '_', not starting with a digit)"], ErrorsWith("hostname = \"${1X}\""));
        Assert.Equal(["1:12: hostname: \"${A\": a '$' starts ${NAME} or ${NAME:-default}; write $$ for a literal '$'"], ErrorsWith("hostname = \"${A\""));
    }

    [Fact]
    public void A_value_that_is_not_utf8_is_an_error_and_a_huge_one_is_bounded()
    {
        using var file = new SpecFile("hostname = \"${H}\"");
        var failure = Assert.Throws<SpecException>(() => SpecLoader.Load(file.Path, true, _ => [0x61, 0xff]));
        Assert.Equal("hostname: ${H}: its value in the init's environment is not valid UTF-8", $"{failure.Errors[0].KeyPath}: {failure.Errors[0].Message}");
        failure = Assert.Throws<SpecException>(() => SpecLoader.Load(file.Path, true, _ => Encoding.UTF8.GetBytes(new string('a', 100_000))));
        Assert.Equal("longer than 4096 characters once its variables are substituted", failure.Errors[0].Message);
    }
}
