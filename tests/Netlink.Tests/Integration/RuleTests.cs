using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Xunit;

namespace Netlink.Tests.Integration;

/// <summary>Policy rules against the real kernel, cross-checked with <c>ip -j rule show</c>.</summary>
[Trait("Needs", "root")]
public class RuleTests : NamespaceTest
{
    private static readonly Rule[] Ours =
    [
        new() { Source = IPNetwork.Parse("10.200.1.0/24"), Table = 100, Priority = 110, Protocol = RouteProtocol.Static },
        new() { Destination = IPNetwork.Parse("10.200.2.0/24"), InputInterface = "v0", FirewallMark = 0x10, FirewallMask = 0xff, Table = 1000, Priority = 200, Protocol = RouteProtocol.Static },
        new() { FirewallMark = 7, Table = 100, Priority = 201, Protocol = RouteProtocol.Static },
        new() { Table = RouteTables.Main, SuppressPrefixLength = 0, Priority = 202, Protocol = RouteProtocol.Static },
        new() { Source = IPNetwork.Parse("10.200.4.0/24"), Action = RuleAction.Blackhole, Priority = 400, Protocol = RouteProtocol.Static },
        new() { Action = RuleAction.Unreachable, Priority = 401, Protocol = RouteProtocol.Static },
        new() { Action = RuleAction.Goto, GotoPriority = 500, Priority = 403, Invert = true, Source = IPNetwork.Parse("10.200.5.0/24"), Protocol = RouteProtocol.Static },
        new() { Source = IPNetwork.Parse("fd00:200::/64"), OutputInterface = "v0", Priority = 300, SuppressPrefixLength = 48, Protocol = RouteProtocol.Static },
        new() { Family = AddressFamily.InterNetworkV6, Destination = IPNetwork.Parse("fd00:201::/64"), Action = RuleAction.Prohibit, Priority = 402, Protocol = RouteProtocol.Static },
    ];

    [Fact]
    public void ListedRulesMatchIproute2ForBothFamilies()
    {
        CreateVethPair();
        foreach (var rule in Ours)
            Netlink.AddRule(rule);
        foreach (var (family, option) in new[] { (AddressFamily.InterNetwork, "-4"), (AddressFamily.InterNetworkV6, "-6") })
        {
            var theirs = Namespace.IpJson(option, "rule", "show").EnumerateArray().Select(Describe);
            Assert.Equal(theirs, Netlink.ListRules(family).Select(Describe));
        }
        Assert.Equal(3 + 2 + Ours.Length, Netlink.ListRules().Count); // IPv4: local, main, default; IPv6: local, main
    }

    [Fact]
    public void EveryListedRuleOfOursDeletesExactlyItself()
    {
        CreateVethPair();
        foreach (var rule in Ours)
            Netlink.AddRule(rule);
        // Two rules differing only in the table: deleting the listed one must leave the other.
        Netlink.AddRule(new Rule { Source = IPNetwork.Parse("10.200.1.0/24"), Table = 101, Priority = 110 });

        foreach (var rule in Netlink.ListRules().Where(r => r.Protocol == RouteProtocol.Static))
            Netlink.DeleteRule(rule);

        var left = Namespace.IpJson("rule", "show").EnumerateArray().Select(Describe).ToList();
        Assert.Equal(["0 all lookup local", "110 10.200.1.0/24 lookup 101", "32766 all lookup main", "32767 all lookup default"], left);
        Assert.Equal(2, Namespace.IpJson("-6", "rule", "show").GetArrayLength());
    }

    [Fact]
    public void ErrorsNameTheRule()
    {
        var rule = new Rule { Source = IPNetwork.Parse("10.200.1.0/24"), Table = 100, Priority = 110 };
        Netlink.AddRule(rule);
        var exists = Assert.Throws<NetlinkException>(() => Netlink.AddRule(rule));
        Assert.Equal(("add rule 110: from 10.200.1.0/24 lookup 100", "EEXIST"), (exists.Operation, exists.ErrnoName));
        Assert.Equal("an equal rule exists (rules have no replace); delete it first, or leave it", exists.Hint);
        Netlink.DeleteRule(rule);
        var missing = Assert.Throws<NetlinkException>(() => Netlink.DeleteRule(rule));
        Assert.Equal(("delete rule 110: from 10.200.1.0/24 lookup 100", "ENOENT"), (missing.Operation, missing.ErrnoName));
    }

    /// <summary>One line per rule in iproute2's vocabulary, from <c>ip -j rule</c>.</summary>
    private static string Describe(JsonElement rule)
    {
        string? Text(string name) => rule.TryGetProperty(name, out var value) ? value.ToString() : null;
        var source = Text("src") is "all" or null ? "all" : $"{Text("src")}/{Text("srclen")}";
        var parts = new List<string?> { Text("priority"), Text("not") is null ? null : "not", source };
        if (Text("dst") is { } dst)
            parts.Add($"to {dst}/{Text("dstlen")}");
        if (Text("fwmark") is { } mark)
            parts.Add($"fwmark {mark}" + (Text("fwmask") is { } mask ? $"/{mask}" : ""));
        if (Text("iif") is { } iif)
            parts.Add($"iif {iif}");
        if (Text("oif") is { } oif)
            parts.Add($"oif {oif}");
        parts.Add(Text("goto") is { } target ? $"goto {target}" : Text("action") ?? $"lookup {Text("table")}");
        if (Text("suppress_prefixlen") is { } suppressed)
            parts.Add($"suppress_prefixlength {suppressed}");
        if (Text("protocol") is { } protocol) // iproute2 leaves out kernel
            parts.Add($"proto {protocol}");
        return string.Join(' ', parts.OfType<string>());
    }

    private static string Describe(Rule rule)
    {
        var parts = new List<string?> { rule.Priority.ToString(), rule.Invert ? "not" : null, rule.Source?.ToString() ?? "all" };
        if (rule.Destination is { } dst)
            parts.Add($"to {dst}");
        if (rule.FirewallMark is { } mark)
            parts.Add($"fwmark 0x{mark:x}" + (rule.FirewallMask is { } mask and not uint.MaxValue ? $"/0x{mask:x}" : ""));
        if (rule.InputInterface is { } iif)
            parts.Add($"iif {iif}");
        if (rule.OutputInterface is { } oif)
            parts.Add($"oif {oif}");
        parts.Add(rule.Action switch
        {
            RuleAction.ToTable => $"lookup {rule.EffectiveTable switch { RouteTables.Main => "main", RouteTables.Local => "local", RouteTables.Default => "default", var t => t.ToString() }}",
            RuleAction.Goto => $"goto {rule.GotoPriority}",
            var action => action.ToString().ToLowerInvariant(),
        });
        if (rule.SuppressPrefixLength is { } suppressed)
            parts.Add($"suppress_prefixlength {suppressed}");
        if (rule.Protocol is not (RouteProtocol.Unspecified or RouteProtocol.Kernel))
            parts.Add($"proto {rule.Protocol.ToString().ToLowerInvariant()}");
        return string.Join(' ', parts.OfType<string>());
    }

    [Fact]
    public void AddAndDeleteAreAnnounced()
    {
        using var events = Netlink.SubscribeEvents(EventGroups.Rules);
        var rule = new Rule { Source = IPNetwork.Parse("fd00:200::/64"), Table = 100, Priority = 110 };
        Netlink.AddRule(rule);
        Netlink.DeleteRule(rule);
        var added = Assert.IsType<RuleEvent>(events.Read(TimeSpan.FromSeconds(2)));
        var removed = Assert.IsType<RuleEvent>(events.Read(TimeSpan.FromSeconds(2)));
        Assert.Equal((false, "110: from fd00:200::/64 lookup 100"), (added.Removed, added.Rule.ToString()));
        Assert.Equal((true, "110: from fd00:200::/64 lookup 100"), (removed.Removed, removed.Rule.ToString()));
    }
}
