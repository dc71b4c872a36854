using System.Buffers.Binary;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Netlink.Wire;

namespace Netlink.Rtnetlink;

/// <summary>Builds RTM_*NEIGH requests (byte for byte what iproute2 sends) and decodes RTM_NEWNEIGH.</summary>
internal static class NeighborMessages
{
    internal static byte[] Add(int linkIndex, Neighbor neighbor, bool replace) =>
        Build(Rtnl.NewNeighbor, replace ? NetlinkHeader.CreateOrReplace : NetlinkHeader.CreateExclusive, linkIndex, neighbor, neighbor.State, neighbor.LinkLayerAddress);

    /// <summary>The kernel ignores the state when deleting; iproute2 sends PERMANENT, and so does this.</summary>
    internal static byte[] Delete(int linkIndex, Neighbor neighbor) =>
        Build(Rtnl.DelNeighbor, NetlinkHeader.Request | NetlinkHeader.Ack, linkIndex, neighbor, NeighborState.Permanent, null);

    /// <summary>The kernel dumps proxy entries only when asked with NTF_PROXY, and then only those.</summary>
    internal static byte[] Dump(AddressFamily? family, bool proxies)
    {
        var writer = new NetlinkWriter(stackalloc byte[Rtnl.RequestCapacity]);
        writer.BeginMessage(Rtnl.GetNeighbor, NetlinkHeader.Request | NetlinkHeader.Dump);
        WriteNdMsg(ref writer, AddressFamilies.From(family), 0, NeighborState.None, proxies ? Rtnl.NeighborFlagProxy : (byte)0);
        return writer.ToMessage();
    }

    private static byte[] Build(ushort type, ushort messageFlags, int linkIndex, Neighbor neighbor, NeighborState state, PhysicalAddress? linkLayerAddress)
    {
        ArgumentNullException.ThrowIfNull(neighbor);
        if (neighbor.IsProxy && linkLayerAddress is not null)
            throw new ArgumentException($"neighbour {neighbor}: a proxy entry has no link-layer address", nameof(neighbor));
        var writer = new NetlinkWriter(stackalloc byte[Rtnl.RequestCapacity]);
        writer.BeginMessage(type, messageFlags);
        WriteNdMsg(ref writer, IPBytes.FamilyOf(neighbor.Address), linkIndex, state, neighbor.IsProxy ? Rtnl.NeighborFlagProxy : (byte)0);
        writer.AddAddress(Rtnl.NeighborDestination, neighbor.Address);
        if (linkLayerAddress is not null)
            writer.AddAttribute(Rtnl.NeighborLinkLayerAddress, linkLayerAddress.GetAddressBytes());
        return writer.ToMessage();
    }

    private static void WriteNdMsg(ref NetlinkWriter writer, byte family, int linkIndex, NeighborState state, byte flags)
    {
        writer.WriteU8(family);
        writer.WriteU8(0);
        writer.WriteU16(0);
        writer.WriteI32(linkIndex);
        writer.WriteU16((ushort)state);
        writer.WriteU8(flags);
        writer.WriteU8(0); // ndm_type
    }

    /// <summary>Decodes RTM_NEWNEIGH/RTM_DELNEIGH; null for families other than IPv4/IPv6 (e.g. bridge FDB entries).</summary>
    internal static Neighbor? Decode(ReadOnlySpan<byte> payload)
    {
        var header = FixedHeader.Take(payload, Rtnl.NdMsgSize, "ndmsg");
        if (header[0] != AddressFamilies.IPv4 && header[0] != AddressFamilies.IPv6)
            return null;
        System.Net.IPAddress? address = null;
        PhysicalAddress? linkLayerAddress = null;
        var attributes = new AttributeReader(payload[Rtnl.NdMsgSize..]);
        while (attributes.TryRead(out var attribute))
        {
            switch (attribute.Type)
            {
                case Rtnl.NeighborDestination: address = attribute.GetAddress(); break;
                case Rtnl.NeighborLinkLayerAddress: linkLayerAddress = new PhysicalAddress(attribute.Payload.ToArray()); break;
            }
        }
        if (address is null || IPBytes.FamilyOf(address) != header[0])
            throw new NetlinkProtocolException("a neighbour message has no NDA_DST of its family");
        var flags = header[10];
        return new Neighbor(address, asReported: true)
        {
            LinkIndex = BinaryPrimitives.ReadInt32LittleEndian(header[4..]),
            State = (NeighborState)BinaryPrimitives.ReadUInt16LittleEndian(header[8..]),
            IsProxy = (flags & Rtnl.NeighborFlagProxy) != 0,
            IsRouter = (flags & Rtnl.NeighborFlagRouter) != 0,
            LinkLayerAddress = linkLayerAddress,
        };
    }
}
