using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Netlink;

/// <summary>
/// A routing policy rule (<c>ip rule</c>): which packets (source, destination, input/output interface, firewall
/// mark) and what to do with them (<see cref="Action"/>: look up a table, jump, or reject). What to add and what
/// the kernel reports (RTM_NEWRULE). Immutable: the library never changes an instance you pass in.
/// </summary>
public sealed class Rule
{
    private readonly AddressFamily? _family;

    /// <summary>
    /// IPv4 or IPv6; unless set, the family of <see cref="Source"/> or <see cref="Destination"/>, else IPv4 (as
    /// iproute2). A rule with neither applies to every packet of its family.
    /// </summary>
    public AddressFamily Family
    {
        get => _family ?? FamilyOf(Source) ?? FamilyOf(Destination) ?? AddressFamily.InterNetwork;
        init => _family = value;
    }

    /// <summary>A prefix's family as it is sent: an IPv4-mapped IPv6 prefix is IPv4.</summary>
    private static AddressFamily? FamilyOf(IPNetwork? prefix) =>
        prefix is { } given ? Wire.IPBytes.Normalize(given).BaseAddress.AddressFamily : null;

    /// <summary>The rule's priority (FRA_PRIORITY): rules are tried from the lowest; null lets the kernel pick one.</summary>
    public uint? Priority { get; init; }

    /// <summary>Matches packets from this prefix (<c>from</c>); null for all.</summary>
    public IPNetwork? Source { get; init; }

    /// <summary>Matches packets to this prefix (<c>to</c>); null for all.</summary>
    public IPNetwork? Destination { get; init; }

    /// <summary>Matches packets that arrived on this interface (<c>iif</c>, a name: the link need not exist yet).</summary>
    public string? InputInterface { get; init; }

    /// <summary>Matches packets from sockets bound to this interface (<c>oif</c>, a name).</summary>
    public string? OutputInterface { get; init; }

    /// <summary>Matches packets with this firewall mark (<c>fwmark</c>).</summary>
    public uint? FirewallMark { get; init; }

    /// <summary>The bits of the mark compared (<c>fwmark MARK/MASK</c>); the kernel uses all 32 when only a mark is set.</summary>
    public uint? FirewallMask { get; init; }

    /// <summary>Inverts the match (<c>not</c>).</summary>
    public bool Invert { get; init; }

    /// <summary>What to do with a matching packet; <see cref="RuleAction.ToTable"/> unless set.</summary>
    public RuleAction Action { get; init; } = RuleAction.ToTable;

    /// <summary>
    /// The table to look up for <see cref="RuleAction.ToTable"/>; null means <see cref="RouteTables.Main"/> for that
    /// action and none for the others. Tables from 256 up are sent in FRA_TABLE.
    /// </summary>
    public uint? Table { get; init; }

    /// <summary>
    /// Ignores a table lookup's result when its prefix is this long or shorter (<c>suppress_prefixlength</c>):
    /// with 0, "use main for everything but its default route", as VPN set-ups do.
    /// </summary>
    public int? SuppressPrefixLength { get; init; }

    /// <summary>The priority of the rule to continue at, for <see cref="RuleAction.Goto"/> (FRA_GOTO).</summary>
    public uint? GotoPriority { get; init; }

    /// <summary>Who installed the rule (FRA_PROTOCOL); a distinctive value, e.g. static, lets you recognise your own rules.</summary>
    public RouteProtocol Protocol { get; init; }

    /// <summary>The table sent: <see cref="Table"/>, or main for a <see cref="RuleAction.ToTable"/> rule without one, else 0.</summary>
    public uint EffectiveTable => Table ?? (Action == RuleAction.ToTable ? RouteTables.Main : RouteTables.Unspecified);

    /// <summary>iproute2-like text, e.g. <c>100: from 10.200.1.0/24 lookup 100</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        if (Priority is { } priority)
            text.Append(priority).Append(": ");
        if (Invert)
            text.Append("not ");
        text.Append("from ").Append(Source?.ToString() ?? "all");
        if (Destination is { } destination)
            text.Append(" to ").Append(destination);
        if (FirewallMark is { } mark)
            text.Append(" fwmark 0x").Append(mark.ToString("x")).Append(FirewallMask is { } mask ? $"/0x{mask:x}" : "");
        if (InputInterface is { } input)
            text.Append(" iif ").Append(input);
        if (OutputInterface is { } output)
            text.Append(" oif ").Append(output);
        text.Append(Action switch
        {
            RuleAction.ToTable => $" lookup {EffectiveTable}",
            RuleAction.Goto => $" goto {GotoPriority}",
            _ => " " + Action.ToString().ToLowerInvariant(),
        });
        if (SuppressPrefixLength is { } suppressed)
            text.Append(" suppress_prefixlength ").Append(suppressed);
        if (Protocol != RouteProtocol.Unspecified)
            text.Append(" proto ").Append(Protocol.ToString().ToLowerInvariant());
        return text.ToString();
    }
}

/// <summary>A policy rule was added (<see cref="Removed"/> false) or removed.</summary>
public sealed class RuleEvent(Rule rule, bool removed) : NetlinkEvent
{
    /// <summary>The rule.</summary>
    public Rule Rule { get; } = rule;

    /// <summary>Whether the rule was removed.</summary>
    public bool Removed { get; } = removed;
}

/// <summary>What a policy rule does with a matching packet (FR_ACT_*).</summary>
public enum RuleAction : byte
{
    /// <summary>Look the route up in <see cref="Rule.Table"/>.</summary>
    ToTable = 1,
    /// <summary>Continue with the rule at <see cref="Rule.GotoPriority"/>.</summary>
    Goto = 2,
    /// <summary>Do nothing (the rule only counts).</summary>
    Nop = 3,
    /// <summary>Drop silently.</summary>
    Blackhole = 6,
    /// <summary>Reject with "network unreachable".</summary>
    Unreachable = 7,
    /// <summary>Reject with "administratively prohibited".</summary>
    Prohibit = 8,
}
