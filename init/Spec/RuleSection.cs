using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Init.Spec.Toml;

namespace Init.Spec;

/// <summary>What a rule does with a matching packet other than looking up a table (<c>action</c>).</summary>
internal enum RuleReject
{
    Blackhole,
    Unreachable,
    Prohibit,
}

/// <summary>
/// One policy rule of one family (a <c>[[rule]]</c> without prefixes becomes one per family). Exactly one of
/// <paramref name="Table"/> and <paramref name="Reject"/> is set. <paramref name="Mask"/> is only set with a mark.
/// </summary>
internal sealed record RuleSpec(
    AddressFamily Family,
    uint Priority,
    IPNetwork? From,
    IPNetwork? To,
    string? InputInterface,
    string? OutputInterface,
    uint? Mark,
    uint? Mask,
    uint? Table,
    RuleReject? Reject);

/// <summary>
/// Reads the top-level <c>[[rule]]</c>s: <c>priority</c> (required), selectors (<c>from</c>, <c>to</c>, <c>iif</c>,
/// <c>oif</c>, <c>fwmark</c>) and exactly one of <c>table</c> and <c>action</c>. The family follows the prefixes;
/// without one, <c>family</c> ("ipv4", "ipv6" or "both", the default) says which.
/// </summary>
internal static class RuleSection
{
    /// <summary>The kernel's own rules (local, main, default): never the spec's, so never removed or shadowed.</summary>
    private static readonly uint[] KernelPriorities = [0, 32766, 32767];

    private const uint DefaultTable = 253;

    private static readonly Dictionary<string, RuleReject> Actions = new()
    {
        ["blackhole"] = RuleReject.Blackhole,
        ["unreachable"] = RuleReject.Unreachable,
        ["prohibit"] = RuleReject.Prohibit,
    };

    private enum Families
    {
        IPv4,
        IPv6,
        Both,
    }

    private static readonly Dictionary<string, Families> FamilyNames = new()
    {
        ["ipv4"] = Families.IPv4,
        ["ipv6"] = Families.IPv6,
        ["both"] = Families.Both,
    };

    private static readonly Dictionary<string, uint> NamedTables = new() { ["main"] = RouteSpec.MainTable };

    internal static List<RuleSpec> Read(TableReader root)
    {
        var rules = new List<RuleSpec>();
        List<TableReader> tables = root.Tables("rule") ?? [];
        // Two equal rules: the kernel refuses the second (EEXIST). Once per [[rule]], though it may be two families.
        // Each rule maps to the index of its first [[rule]] (Dictionary<__Canon, int> is shared code; a
        // Dictionary<RuleSpec, string> would allocate a static base of its own at every start).
        var firstSeen = new Dictionary<RuleSpec, int>();
        for (int i = 0; i < tables.Count; i++)
        {
            bool reported = false;
            foreach (RuleSpec rule in Rule(tables[i]))
            {
                if (!firstSeen.TryAdd(rule, i) && !reported)
                {
                    root.Errors.Add(tables[i].At, tables[i].Path, $"duplicate of {tables[firstSeen[rule]].Path}");
                    reported = true;
                }
                rules.Add(rule);
            }
        }
        return rules;
    }

    private static IEnumerable<RuleSpec> Rule(TableReader rule)
    {
        long? priority = rule.Integer("priority", 1, uint.MaxValue);
        if (priority is null && !rule.Has("priority"))
            rule.Error("priority", "missing: rules are tried from the lowest priority (e.g. 100); the kernel's own are 0, 32766 and 32767");
        else if (priority is { } given && KernelPriorities.Contains((uint)given))
            rule.Errors.Add(rule.Node("priority")!.At, rule.PathOf("priority"), $"{given} is the priority of a rule of the kernel's own (main 32766, default 32767): pick another");
        Located<IPNetwork>? from = Prefix(rule, "from");
        Located<IPNetwork>? to = Prefix(rule, "to");
        if (from is { } f && to is { } t && f.Value.BaseAddress.AddressFamily != t.Value.BaseAddress.AddressFamily)
            rule.Errors.Add(t.At, t.Path, $"{t.Value} is {TextRules.FamilyName(t.Value.BaseAddress.AddressFamily)} but from is {TextRules.FamilyName(f.Value.BaseAddress.AddressFamily)}");
        AddressFamily[] families = Family(rule, from ?? to);
        string? iif = LinkName(rule, "iif");
        string? oif = LinkName(rule, "oif");
        (uint Mark, uint? Mask)? mark = FirewallMark(rule);
        uint? table = Table(rule);
        RuleReject? reject = rule.Choice("action", Actions);
        if (rule.Has("table") == rule.Has("action"))
            rule.Errors.Add(rule.At, rule.Path, rule.Has("table")
                ? "has both table and action: give exactly one"
                : "needs table = N (look the route up there) or action = \"blackhole\" | \"unreachable\" | \"prohibit\"");
        rule.RejectUnknownKeys();
        if (priority is not { } p || (table is null && reject is null))
            yield break;
        foreach (AddressFamily family in families)
            yield return new RuleSpec(family, (uint)p, from?.Value, to?.Value, iif, oif, mark?.Mark, mark?.Mask, table, reject);
    }

    /// <summary>The prefixes' family; without any, <c>family</c> (both unless given). A <c>family</c> that contradicts a prefix is an error.</summary>
    private static AddressFamily[] Family(TableReader rule, Located<IPNetwork>? prefix)
    {
        Families? chosen = rule.Choice("family", FamilyNames);
        if (prefix is not { } given)
            return chosen switch
            {
                Families.IPv4 => [AddressFamily.InterNetwork],
                Families.IPv6 => [AddressFamily.InterNetworkV6],
                _ => [AddressFamily.InterNetwork, AddressFamily.InterNetworkV6],
            };
        AddressFamily family = given.Value.BaseAddress.AddressFamily;
        if (chosen is { } named && named != (family == AddressFamily.InterNetwork ? Families.IPv4 : Families.IPv6))
            rule.Errors.Add(rule.Node("family")!.At, rule.PathOf("family"),
                $"{given.Path} {given.Value} is {TextRules.FamilyName(family)}: a rule with a prefix has its family; leave family out");
        return [family];
    }

    /// <summary>A prefix without host bits ("10.200.1.10/32", "fd00:200::/32").</summary>
    private static Located<IPNetwork>? Prefix(TableReader rule, string key)
    {
        if (rule.String(key) is not { } text)
            return null;
        string? error = TextRules.Cidr(text.Value, out Cidr cidr);
        if (error is null && cidr.HasHostBits)
            error = $"{cidr} has host bits set; did you mean {cidr.Network}?";
        if (error is null)
            return new Located<IPNetwork>(cidr.Network, text.At, text.Path);
        rule.Errors.Add(text.At, text.Path, error);
        return null;
    }

    /// <summary>iif/oif are names: the kernel matches them as text, the link may come later (or be renamed to it).</summary>
    private static string? LinkName(TableReader rule, string key) =>
        rule.Checked(rule.String(key), TextRules.LinkName);

    /// <summary>"0x10/0xff", "0x10" or "16": a 32-bit mark and an optional mask, as ip rule's fwmark.</summary>
    private static (uint, uint?)? FirewallMark(TableReader rule)
    {
        if (rule.String("fwmark") is not { } text)
            return null;
        string[] parts = text.Value.Split('/');
        if (parts.Length <= 2 && Number(parts[0]) is { } mark && (parts.Length == 1 || Number(parts[1]) is not null))
        {
            uint? mask = parts.Length == 2 ? Number(parts[1]) : null;
            if (mask is { } m && (mark & ~m) != 0)
                rule.Errors.Add(text.At, text.Path, $"{SpecErrors.Quote(text.Value)}: the mark has bits outside the mask, which the kernel never compares");
            else if (mask is 0)
                rule.Errors.Add(text.At, text.Path, $"{SpecErrors.Quote(text.Value)}: a mask of 0 compares nothing; leave fwmark out");
            else
                return (mark, mask);
            return null;
        }
        rule.Errors.Add(text.At, text.Path, $"{SpecErrors.Quote(text.Value)} is not a firewall mark (MARK or MARK/MASK, 32-bit numbers: \"0x10/0xff\")");
        return null;
    }

    private static uint? Number(string text)
    {
        bool hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        string digits = hex ? text[2..] : text;
        return digits.Length is > 0 and <= 10 && (hex ? TextRules.AllHexDigits(digits) : TextRules.AllDigits(digits))
            && uint.TryParse(digits, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out uint value)
            ? value
            : null;
    }

    /// <summary>"main" or a number 1..4294967295 except local (255): a rule to local would shadow the kernel's own.</summary>
    private static uint? Table(TableReader rule)
    {
        switch (rule.Node("table"))
        {
            case null:
                return null;
            case TomlValueNode { Value: string }:
                return rule.Choice("table", NamedTables);
            case TomlValueNode { Value: long } node:
                long? number = rule.AsInteger(node, rule.PathOf("table"), 1, uint.MaxValue);
                if (number is RouteSpec.LocalTable or DefaultTable)
                {
                    rule.Errors.Add(node.At, rule.PathOf("table"), $"{number} is the kernel's {(number == RouteSpec.LocalTable ? "local" : "default")} table, already looked up by its own rule: pick another");
                    return null;
                }
                return (uint?)number;
            case var other:
                rule.Errors.Add(other.At, rule.PathOf("table"), $"expected \"main\" or a number, got {other.TypeName}");
                return null;
        }
    }
}
