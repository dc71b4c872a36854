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

    /// <summary><c>ip route get</c>: for IPv4 with RTM_F_LOOKUP_TABLE, so the answer names the table that matched.</summary>
    internal static byte[] Get(IPAddress destination)
    {
        var family = IPBytes.FamilyOf(destination);
        var writer = new NetlinkWriter(stackalloc byte[Rtnl.RequestCapacity]);
        writer.BeginMessage(Rtnl.GetRoute, NetlinkHeader.Request);
        WriteRtMsg(ref writer, family, family == AddressFamilies.IPv4 ? (byte)32 : (byte)128, 0, 0, 0, 0,
            family == AddressFamilies.IPv4 ? Rtnl.RouteFlagLookupTable : 0);
        writer.AddAddress(Rtnl.RouteDestination, destination);
        return writer.ToMessage();
    }

    private static byte[] Build(ushort type, ushort messageFlags, Route route, bool deleting)
    {
        var destination = route.Destination; // already IPv4 if the caller gave it IPv4-mapped
        var family = IPBytes.FamilyOf(destination.BaseAddress);
        CheckGateway(route, route.Gateway, family);
        if (route.NextHops is { } hops && (hops.Count == 0 || route.Gateway is not null || route.OutputLinkIndex is not null))
            throw new ArgumentException($"route {route}: a multipath route has one or more NextHops and no Gateway or OutputLinkIndex of its own", nameof(route));
        // A nexthop object replaces the path: the kernel refuses gateway, link or multipath beside RTA_NH_ID.
        var usesObject = route.NextHopId is not null;
        // rtm_table is a byte: larger ids go in RTA_TABLE with the header's table left RT_TABLE_UNSPEC.
        var headerTable = route.Table < 256 ? (byte)route.Table : (byte)RouteTables.Unspecified;
        var writer = new NetlinkWriter(stackalloc byte[Rtnl.RequestCapacity]);
        writer.BeginMessage(type, messageFlags);
        WriteRtMsg(ref writer, family, (byte)destination.PrefixLength, headerTable,
            deleting ? (byte)RouteProtocol.Unspecified : (byte)route.Protocol,
            deleting ? (byte)Scope.Nowhere : (byte)route.EffectiveScope,
            deleting ? (byte)RouteType.Unspecified : (byte)route.Type,
            route.OnLink && !usesObject ? Rtnl.RouteFlagOnLink : 0);
        if (destination.PrefixLength > 0)
            writer.AddAddress(Rtnl.RouteDestination, destination.BaseAddress);
        if (route.Gateway is { } via && !usesObject)
            writer.AddAddress(Rtnl.RouteGateway, IPBytes.InFamily(via, family));
        if (route.PreferredSource is { } source)
            writer.AddAddress(Rtnl.RoutePreferredSource, IPBytes.InFamily(source, family));
        if (route.Metric is { } metric)
            writer.AddU32(Rtnl.RoutePriority, metric);
        if (route.Table >= 256)
            writer.AddU32(Rtnl.RouteTable, route.Table);
        if (route.OutputLinkIndex is { } link && !usesObject)
            writer.AddU32(Rtnl.RouteOutputLink, (uint)link);
        if (route.NextHops is { } nextHops && !usesObject)
            WriteMultipath(ref writer, route, nextHops, family);
        if (route.NextHopId is { } id)
            writer.AddU32(Rtnl.RouteNextHopId, id);
        if (route.Mtu is not null || route.AdvertisedMss is not null)
        {
            var metrics = writer.BeginNested(Rtnl.RouteMetrics);
            if (route.Mtu is { } mtu)
                writer.AddU32(Rtnl.MetricMtu, mtu);
            if (route.AdvertisedMss is { } mss)
                writer.AddU32(Rtnl.MetricAdvertisedMss, mss);
            writer.EndNested(metrics);
        }
        return writer.ToMessage();
    }

    private static void CheckGateway(Route route, IPAddress? gateway, byte family)
    {
        if (gateway is not null && IPBytes.FamilyOf(IPBytes.InFamily(gateway, family)) != family)
            throw new ArgumentException($"route {route}: the gateway {gateway} differs in family from the destination", nameof(route));
    }

    /// <summary>RTA_MULTIPATH: one struct rtnexthop per path (length, flags, hops = weight − 1, ifindex), its gateway nested after it.</summary>
    private static void WriteMultipath(ref NetlinkWriter writer, Route route, IReadOnlyList<NextHop> hops, byte family)
    {
        var multipath = writer.BeginNested(Rtnl.RouteMultipath);
        foreach (var hop in hops)
        {
            ArgumentNullException.ThrowIfNull(hop);
            CheckGateway(route, hop.Gateway, family);
            if (hop.Weight is < 1 or > 256)
                throw new ArgumentException($"route {route}: a next hop's weight is 1-256, not {hop.Weight}", nameof(route));
            var start = writer.Length;
            writer.WriteU16(0); // rtnh_len, set below like a nested attribute's length
            writer.WriteU8(hop.OnLink ? (byte)Rtnl.RouteFlagOnLink : (byte)0);
            writer.WriteU8((byte)(hop.Weight - 1));
            writer.WriteI32(hop.OutputLinkIndex ?? 0);
            if (hop.Gateway is { } gateway)
                writer.AddAddress(Rtnl.RouteGateway, IPBytes.InFamily(gateway, family));
            writer.EndNested(start);
        }
        writer.EndNested(multipath);
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
        uint? metric = null, nextHopId = null, mtu = null, advertisedMss = null;
        List<NextHop>? nextHops = null;
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
                case Rtnl.RouteNextHopId: nextHopId = attribute.GetU32(); break;
                case Rtnl.RouteMultipath: nextHops = DecodeMultipath(attribute.Payload); break;
                case Rtnl.RouteMetrics: (mtu, advertisedMss) = DecodeMetrics(attribute.Nested()); break;
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
            NextHops = nextHops,
            NextHopId = nextHopId,
            Mtu = mtu,
            AdvertisedMss = advertisedMss,
            Protocol = (RouteProtocol)header[5],
            Scope = (Scope)header[6],
            Type = (RouteType)header[7],
            OnLink = (BinaryPrimitives.ReadUInt32LittleEndian(header[8..]) & Rtnl.RouteFlagOnLink) != 0,
        };
    }

    private static List<NextHop> DecodeMultipath(ReadOnlySpan<byte> payload)
    {
        var hops = new List<NextHop>();
        while (payload.Length >= Rtnl.RtNextHopSize)
        {
            var length = BinaryPrimitives.ReadUInt16LittleEndian(payload);
            if (length < Rtnl.RtNextHopSize || length > payload.Length)
                throw new NetlinkProtocolException($"rtnh_len {length} does not fit the {payload.Length} bytes left in RTA_MULTIPATH");
            IPAddress? gateway = null;
            var attributes = new AttributeReader(payload[Rtnl.RtNextHopSize..length]);
            while (attributes.TryRead(out var attribute))
            {
                if (attribute.Type == Rtnl.RouteGateway)
                    gateway = attribute.GetAddress();
            }
            var index = BinaryPrimitives.ReadInt32LittleEndian(payload[4..]);
            hops.Add(new NextHop
            {
                Gateway = gateway,
                OutputLinkIndex = index == 0 ? null : index,
                Weight = payload[3] + 1,
                OnLink = (payload[2] & Rtnl.RouteFlagOnLink) != 0,
            });
            payload = payload[Math.Min(NetlinkHeader.Align(length), payload.Length)..];
        }
        return hops;
    }

    private static (uint? Mtu, uint? AdvertisedMss) DecodeMetrics(AttributeReader metrics)
    {
        uint? mtu = null, advertisedMss = null;
        while (metrics.TryRead(out var metric))
        {
            switch (metric.Type)
            {
                case Rtnl.MetricMtu: mtu = metric.GetU32(); break;
                case Rtnl.MetricAdvertisedMss: advertisedMss = metric.GetU32(); break;
            }
        }
        return (mtu, advertisedMss);
    }
}
