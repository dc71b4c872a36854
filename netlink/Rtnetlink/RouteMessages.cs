using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Netlink.Wire;

namespace Netlink.Rtnetlink;

/// <summary>Builds RTM_*ROUTE requests (byte for byte what iproute2 sends) and decodes RTM_NEWROUTE.</summary>
internal static class RouteMessages
{

    internal static byte[] Add(Route route, bool replace) => Build(Rtnl.NewRoute, replace ? NetlinkHeader.CreateOrReplace : NetlinkHeader.CreateExclusive, route, deleting: false);

    /// <summary>Deleting matches any protocol, scope (NOWHERE) and type, as iproute2 does.</summary>
    internal static byte[] Delete(Route route) =>
        Build(Rtnl.DelRoute, NetlinkHeader.Request | NetlinkHeader.Ack, route, deleting: true);

    /// <summary>With strict checking on, the kernel filters the dump by family and table for us.</summary>
    internal static byte[] Dump(AddressFamily? family, uint? table)
    {
        var writer = new NetlinkWriter(stackalloc byte[Rtnl.RequestCapacity]);
        writer.BeginMessage(Rtnl.GetRoute, NetlinkHeader.Request | NetlinkHeader.Dump);
        WriteRtMsg(ref writer, AddressFamilies.From(family), 0, 0, 0, 0, 0, 0);
        if (table is { } id)
            writer.AddU32(Rtnl.RouteTable, id);
        return writer.ToMessage();
    }

    private static byte[] Build(ushort type, ushort messageFlags, Route route, bool deleting)
    {
        var destination = route.Destination; // already IPv4 if the caller gave it IPv4-mapped
        var family = IPBytes.FamilyOf(destination.BaseAddress);
        if (route.Gateway is { } gateway && IPBytes.FamilyOf(IPBytes.InFamily(gateway, family)) != family)
            throw new ArgumentException($"route {route}: the gateway's family differs from the destination's", nameof(route));
        // rtm_table is a byte: larger ids go in RTA_TABLE with the header's table left RT_TABLE_UNSPEC.
        var headerTable = route.Table < 256 ? (byte)route.Table : (byte)RouteTables.Unspecified;
        var writer = new NetlinkWriter(stackalloc byte[Rtnl.RequestCapacity]);
        writer.BeginMessage(type, messageFlags);
        WriteRtMsg(ref writer, family, (byte)destination.PrefixLength, headerTable,
            deleting ? (byte)RouteProtocol.Unspecified : (byte)route.Protocol,
            deleting ? (byte)Scope.Nowhere : (byte)route.EffectiveScope,
            deleting ? (byte)RouteType.Unspecified : (byte)route.Type,
            route.OnLink ? Rtnl.RouteFlagOnLink : 0);
        if (destination.PrefixLength > 0)
            writer.AddAddress(Rtnl.RouteDestination, destination.BaseAddress);
        if (route.Gateway is { } via)
            writer.AddAddress(Rtnl.RouteGateway, IPBytes.InFamily(via, family));
        if (route.PreferredSource is { } source)
            writer.AddAddress(Rtnl.RoutePreferredSource, IPBytes.InFamily(source, family));
        if (route.Metric is { } metric)
            writer.AddU32(Rtnl.RoutePriority, metric);
        if (route.Table >= 256)
            writer.AddU32(Rtnl.RouteTable, route.Table);
        if (route.OutputLinkIndex is { } link)
            writer.AddU32(Rtnl.RouteOutputLink, (uint)link);
        return writer.ToMessage();
    }

    private static void WriteRtMsg(ref NetlinkWriter writer, byte family, byte destinationLength, byte table, byte protocol, byte scope, byte type, uint flags)
    {
        writer.WriteU8(family);
        writer.WriteU8(destinationLength);
        writer.WriteU8(0); // rtm_src_len
        writer.WriteU8(0); // rtm_tos
        writer.WriteU8(table);
        writer.WriteU8(protocol);
        writer.WriteU8(scope);
        writer.WriteU8(type);
        writer.WriteU32(flags);
    }

    /// <summary>Decodes RTM_NEWROUTE/RTM_DELROUTE; null for families other than IPv4/IPv6 (e.g. multicast tables).</summary>
    internal static Route? Decode(ReadOnlySpan<byte> payload)
    {
        var header = FixedHeader.Take(payload, Rtnl.RtMsgSize, "rtmsg");
        var ipv4 = header[0] == AddressFamilies.IPv4;
        if (!ipv4 && header[0] != AddressFamilies.IPv6)
            return null;
        if (header[1] > (ipv4 ? 32 : 128))
            throw new NetlinkProtocolException($"destination prefix length {header[1]} is too long");
        IPAddress destination = ipv4 ? IPAddress.Any : IPAddress.IPv6Any;
        IPAddress? gateway = null, source = null;
        int? link = null;
        uint? metric = null;
        uint table = header[4];
        var attributes = new AttributeReader(payload[Rtnl.RtMsgSize..]);
        while (attributes.TryRead(out var attribute))
        {
            switch (attribute.Type)
            {
                case Rtnl.RouteDestination: destination = attribute.GetAddress(); break;
                case Rtnl.RouteGateway: gateway = attribute.GetAddress(); break;
                case Rtnl.RoutePreferredSource: source = attribute.GetAddress(); break;
                case Rtnl.RouteOutputLink: link = attribute.GetI32(); break;
                case Rtnl.RoutePriority: metric = attribute.GetU32(); break;
                case Rtnl.RouteTable: table = attribute.GetU32(); break;
            }
        }
        if (destination.AddressFamily != (ipv4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6))
            throw new NetlinkProtocolException($"destination {destination} does not match the route's family");
        return new Route(IPBytes.Prefix(destination, header[1]), asReported: true)
        {
            Gateway = gateway,
            PreferredSource = source,
            OutputLinkIndex = link,
            Metric = metric,
            Table = table,
            Protocol = (RouteProtocol)header[5],
            Scope = (Scope)header[6],
            Type = (RouteType)header[7],
            OnLink = (BinaryPrimitives.ReadUInt32LittleEndian(header[8..]) & Rtnl.RouteFlagOnLink) != 0,
        };
    }
}
