using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Netlink.Wire;

namespace Netlink.Rtnetlink;

/// <summary>Builds RTM_*RULE requests (byte for byte what iproute2 sends) and decodes RTM_NEWRULE.</summary>
internal static class RuleMessages
{
    internal static byte[] Add(Rule rule) => Build(Rtnl.NewRule, NetlinkHeader.CreateExclusive, rule, deleting: false);

    /// <summary>Deleting a to-table rule sends action 0, as iproute2 does: the table already names it.</summary>
    internal static byte[] Delete(Rule rule) => Build(Rtnl.DelRule, NetlinkHeader.Request | NetlinkHeader.Ack, rule, deleting: true);

    internal static byte[] Dump(AddressFamily? family)
    {
        var writer = new NetlinkWriter(stackalloc byte[Rtnl.RequestCapacity]);
        writer.BeginMessage(Rtnl.GetRule, NetlinkHeader.Request | NetlinkHeader.Dump);
        WriteHeader(ref writer, AddressFamilies.From(family), 0, 0, 0, 0, 0);
        return writer.ToMessage();
    }

    private static byte[] Build(ushort type, ushort messageFlags, Rule rule, bool deleting)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var family = AddressFamilies.From(rule.Family);
        if (family == AddressFamilies.Unspecified)
            throw new ArgumentException($"rule {rule}: the family is IPv4 or IPv6", nameof(rule));
        var source = Prefix(rule.Source, family, rule, "source");
        var destination = Prefix(rule.Destination, family, rule, "destination");
        if ((rule.Action == RuleAction.Goto) != (rule.GotoPriority is not null))
            throw new ArgumentException($"rule {rule}: a goto rule needs GotoPriority, and only a goto rule has one", nameof(rule));
        var table = rule.EffectiveTable;
        var writer = new NetlinkWriter(stackalloc byte[Rtnl.RequestCapacity]);
        writer.BeginMessage(type, messageFlags);
        WriteHeader(ref writer, family, (byte)(destination?.PrefixLength ?? 0), (byte)(source?.PrefixLength ?? 0),
            table < 256 ? (byte)table : (byte)RouteTables.Unspecified,
            deleting && rule.Action == RuleAction.ToTable ? (byte)0 : (byte)rule.Action,
            rule.Invert ? Rtnl.RuleFlagInvert : 0);
        if (source is { } from)
            writer.AddAddress(Rtnl.RuleSource, from.BaseAddress);
        if (destination is { } to)
            writer.AddAddress(Rtnl.RuleDestination, to.BaseAddress);
        if (rule.InputInterface is { } input)
            writer.AddString(Rtnl.RuleInputInterface, LinkMessages.ValidName(input));
        if (rule.OutputInterface is { } output)
            writer.AddString(Rtnl.RuleOutputInterface, LinkMessages.ValidName(output));
        if (rule.FirewallMark is { } mark)
            writer.AddU32(Rtnl.RuleFirewallMark, mark);
        if (rule.FirewallMask is { } mask)
            writer.AddU32(Rtnl.RuleFirewallMask, mask);
        if (table >= 256)
            writer.AddU32(Rtnl.RuleTable, table);
        if (rule.GotoPriority is { } target)
            writer.AddU32(Rtnl.RuleGoto, target);
        if (rule.SuppressPrefixLength is { } suppressed)
            writer.AddU32(Rtnl.RuleSuppressPrefixLength, (uint)ValidPrefixLength(suppressed, family, rule));
        if (rule.Priority is { } priority)
            writer.AddU32(Rtnl.RulePriority, priority);
        if (rule.Protocol != RouteProtocol.Unspecified)
            writer.AddU8(Rtnl.RuleProtocol, (byte)rule.Protocol);
        return writer.ToMessage();
    }

    private static int ValidPrefixLength(int length, byte family, Rule rule) =>
        length >= 0 && length <= (family == AddressFamilies.IPv4 ? 32 : 128)
            ? length
            : throw new ArgumentException($"rule {rule}: suppress_prefixlength {length} is not a prefix length of the family", nameof(rule));

    /// <summary>The prefix as the rule's family carries it (IPv4-mapped becomes IPv4), or an error naming the mismatch.</summary>
    private static IPNetwork? Prefix(IPNetwork? prefix, byte family, Rule rule, string role)
    {
        if (prefix is not { } given)
            return null;
        var normalized = IPBytes.Normalize(given);
        return IPBytes.FamilyOf(normalized.BaseAddress) == family
            ? normalized
            : throw new ArgumentException($"rule {rule}: the {role} {given} is not of the rule's family {rule.Family}", nameof(rule));
    }

    private static void WriteHeader(ref NetlinkWriter writer, byte family, byte destinationLength, byte sourceLength, byte table, byte action, uint flags)
    {
        writer.WriteU8(family);
        writer.WriteU8(destinationLength);
        writer.WriteU8(sourceLength);
        writer.WriteU8(0); // tos
        writer.WriteU8(table);
        writer.WriteU8(0); // res1
        writer.WriteU8(0); // res2
        writer.WriteU8(action);
        writer.WriteU32(flags);
    }

    /// <summary>Decodes RTM_NEWRULE/RTM_DELRULE; null for families other than IPv4/IPv6 (e.g. multicast routing rules).</summary>
    internal static Rule? Decode(ReadOnlySpan<byte> payload)
    {
        var header = FixedHeader.Take(payload, Rtnl.FibRuleHeaderSize, "fib_rule_hdr");
        var ipv4 = header[0] == AddressFamilies.IPv4;
        if (!ipv4 && header[0] != AddressFamilies.IPv6)
            return null;
        var maximum = ipv4 ? 32 : 128;
        if (header[1] > maximum || header[2] > maximum)
            throw new NetlinkProtocolException($"rule prefix lengths {header[2]}/{header[1]} exceed {maximum}");
        IPNetwork? source = null, destination = null;
        string? input = null, output = null;
        uint? priority = null, mark = null, mask = null, target = null, suppressed = null;
        uint table = header[4];
        var protocol = RouteProtocol.Unspecified;
        var attributes = new AttributeReader(payload[Rtnl.FibRuleHeaderSize..]);
        while (attributes.TryRead(out var attribute))
        {
            switch (attribute.Type)
            {
                case Rtnl.RuleSource: source = ReportedPrefix(attribute.GetAddress(), header[2], ipv4); break;
                case Rtnl.RuleDestination: destination = ReportedPrefix(attribute.GetAddress(), header[1], ipv4); break;
                case Rtnl.RuleInputInterface: input = attribute.GetString(); break;
                case Rtnl.RuleOutputInterface: output = attribute.GetString(); break;
                case Rtnl.RulePriority: priority = attribute.GetU32(); break;
                case Rtnl.RuleFirewallMark: mark = attribute.GetU32(); break;
                case Rtnl.RuleFirewallMask: mask = attribute.GetU32(); break;
                case Rtnl.RuleTable: table = attribute.GetU32(); break;
                case Rtnl.RuleGoto: target = attribute.GetU32(); break;
                case Rtnl.RuleSuppressPrefixLength: suppressed = attribute.GetU32(); break;
                case Rtnl.RuleProtocol: protocol = (RouteProtocol)attribute.GetU8(); break;
            }
        }
        return new Rule
        {
            Family = ipv4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6,
            Priority = priority ?? 0, // the kernel leaves out priority 0
            Source = source,
            Destination = destination,
            InputInterface = input,
            OutputInterface = output,
            FirewallMark = mark,
            FirewallMask = mask,
            Invert = (BinaryPrimitives.ReadUInt32LittleEndian(header[8..]) & Rtnl.RuleFlagInvert) != 0,
            Action = (RuleAction)header[7],
            Table = table == 0 ? null : table,
            GotoPriority = target,
            SuppressPrefixLength = suppressed is { } length and <= 128 ? (int)length : null, // the kernel reports "none" as 0xffffffff
            Protocol = protocol,
        };
    }

    private static IPNetwork ReportedPrefix(IPAddress address, int length, bool ipv4) =>
        address.AddressFamily == (ipv4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6)
            ? IPBytes.Prefix(address, length)
            : throw new NetlinkProtocolException($"rule prefix {address} does not match the rule's family");
}
