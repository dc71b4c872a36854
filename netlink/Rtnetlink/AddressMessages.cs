using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Netlink.Wire;

namespace Netlink.Rtnetlink;

/// <summary>Builds RTM_*ADDR requests (byte for byte what iproute2 sends) and decodes RTM_NEWADDR.</summary>
internal static class AddressMessages
{
    private const uint Forever = uint.MaxValue;

    internal static byte[] Add(int linkIndex, InterfaceAddress address, bool replace) =>
        Build(Rtnl.NewAddress, replace ? NetlinkHeader.CreateOrReplace : NetlinkHeader.CreateExclusive, linkIndex, address, withOptions: true);

    internal static byte[] Delete(int linkIndex, InterfaceAddress address) =>
        Build(Rtnl.DelAddress, NetlinkHeader.Request | NetlinkHeader.Ack, linkIndex, address, withOptions: false);

    /// <summary>With strict checking on, the kernel filters the dump by family and link for us.</summary>
    internal static byte[] Dump(AddressFamily? family, int linkIndex)
    {
        var writer = new NetlinkWriter(stackalloc byte[Rtnl.RequestCapacity]);
        writer.BeginMessage(Rtnl.GetAddress, NetlinkHeader.Request | NetlinkHeader.Dump);
        WriteIfAddr(ref writer, AddressFamilies.From(family), 0, 0, 0, linkIndex);
        return writer.ToMessage();
    }

    /// <summary>
    /// IFA_LOCAL is the address, IFA_ADDRESS the peer (or the address again): without IFA_LOCAL an IPv4 add is
    /// ERANGE. Flags that fit a byte go in the header, others in IFA_FLAGS, which overrides it.
    /// </summary>
    private static byte[] Build(ushort type, ushort messageFlags, int linkIndex, InterfaceAddress address, bool withOptions)
    {
        var local = address.Address; // already IPv4 if the caller gave it IPv4-mapped
        var family = IPBytes.FamilyOf(local);
        var flags = withOptions ? (uint)address.Flags & RequestableFlags : 0;
        var writer = new NetlinkWriter(stackalloc byte[Rtnl.RequestCapacity]);
        writer.BeginMessage(type, messageFlags);
        WriteIfAddr(ref writer, family, (byte)address.PrefixLength, flags <= 0xff ? (byte)flags : (byte)0, (byte)ScopeOf(address), linkIndex);
        writer.AddAddress(Rtnl.AddrLocal, local);
        if (flags > 0xff)
            writer.AddU32(Rtnl.AddrFlags, flags);
        writer.AddAddress(Rtnl.AddrAddress, IPBytes.InFamily(address.Peer ?? local, family));
        if (withOptions)
        {
            if ((address.Broadcast ?? AutomaticBroadcast(local, address)) is { } broadcast)
                writer.AddAddress(Rtnl.AddrBroadcast, IPBytes.InFamily(broadcast, family));
            if (address.Label is { } label)
                writer.AddString(Rtnl.AddrLabel, label);
            if (address.ValidLifetime is not null || address.PreferredLifetime is not null)
                writer.AddAttribute(Rtnl.AddrCacheInfo, CacheInfo(address));
        }
        return writer.ToMessage();
    }

    /// <summary>What a user may ask for; state flags the kernel reports (tentative, dadfailed…) are not sent back.</summary>
    private const uint RequestableFlags = (uint)(AddressFlags.NoDad | AddressFlags.Optimistic | AddressFlags.HomeAddress
        | AddressFlags.ManageTemporaryAddress | AddressFlags.NoPrefixRoute | AddressFlags.MulticastAutoJoin);

    /// <summary>iproute2's default: host scope for IPv4 loopback addresses, the given scope otherwise.</summary>
    private static Scope ScopeOf(InterfaceAddress address) =>
        address.Scope == Scope.Universe && address.Address.AddressFamily == AddressFamily.InterNetwork && address.Address.GetAddressBytes()[0] == 127
            ? Scope.Host
            : address.Scope;

    /// <summary>The prefix's broadcast address for IPv4 below /31 without a peer; computed, never stored in the caller's object.</summary>
    private static IPAddress? AutomaticBroadcast(IPAddress local, InterfaceAddress address)
    {
        if (local.AddressFamily != AddressFamily.InterNetwork || address.PrefixLength >= 31 || address.Peer is not null)
            return null;
        var host = BinaryPrimitives.ReadUInt32BigEndian(local.GetAddressBytes());
        var broadcast = host | (uint.MaxValue >> address.PrefixLength);
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, broadcast);
        return new IPAddress(bytes);
    }

    /// <summary>ifa_cacheinfo: preferred, valid (seconds, all-ones = forever), then two timestamps the kernel fills.</summary>
    private static byte[] CacheInfo(InterfaceAddress address)
    {
        var info = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(info, Seconds(address.PreferredLifetime));
        BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(4), Seconds(address.ValidLifetime));
        return info;
    }

    private static uint Seconds(TimeSpan? lifetime) =>
        lifetime is { } span ? (uint)Math.Clamp(span.TotalSeconds, 0, Forever - 1) : Forever;

    private static void WriteIfAddr(ref NetlinkWriter writer, byte family, byte prefixLength, byte flags, byte scope, int linkIndex)
    {
        writer.WriteU8(family);
        writer.WriteU8(prefixLength);
        writer.WriteU8(flags);
        writer.WriteU8(scope);
        writer.WriteI32(linkIndex);
    }

    /// <summary>
    /// Decodes RTM_NEWADDR/RTM_DELADDR. Returns null for families other than IPv4/IPv6 and for messages that
    /// carry no address at all (seen on ppp links), which callers skip instead of failing the whole list.
    /// </summary>
    internal static InterfaceAddress? Decode(ReadOnlySpan<byte> payload)
    {
        var header = FixedHeader.Take(payload, Rtnl.IfAddrSize, "ifaddrmsg");
        if (header[0] is not (AddressFamilies.IPv4 or AddressFamilies.IPv6))
            return null;
        IPAddress? local = null, peer = null, broadcast = null;
        string? label = null;
        uint flags = header[2];
        TimeSpan? valid = null, preferred = null;
        var attributes = new AttributeReader(payload[Rtnl.IfAddrSize..]);
        while (attributes.TryRead(out var attribute))
        {
            switch (attribute.Type)
            {
                case Rtnl.AddrLocal: local = attribute.GetAddress(); break;
                case Rtnl.AddrAddress: peer = attribute.GetAddress(); break;
                case Rtnl.AddrBroadcast: broadcast = attribute.GetAddress(); break;
                case Rtnl.AddrLabel: label = attribute.GetString(); break;
                case Rtnl.AddrFlags: flags = attribute.GetU32(); break;
                case Rtnl.AddrCacheInfo:
                    var info = FixedHeader.Take(attribute.Payload, 8, "ifa_cacheinfo");
                    preferred = Lifetime(BinaryPrimitives.ReadUInt32LittleEndian(info));
                    valid = Lifetime(BinaryPrimitives.ReadUInt32LittleEndian(info[4..]));
                    break;
            }
        }
        var address = local ?? peer;
        if (address is null)
            return null;
        var maximum = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (header[1] > maximum)
            throw new NetlinkProtocolException($"prefix length {header[1]} is too long for {address}");
        return new InterfaceAddress(address, header[1], asReported: true)
        {
            Peer = local is not null && peer is not null && !peer.Equals(local) ? peer : null,
            Broadcast = broadcast,
            Label = label,
            Flags = (AddressFlags)flags,
            Scope = (Scope)header[3],
            LinkIndex = BinaryPrimitives.ReadInt32LittleEndian(header[4..]),
            ValidLifetime = valid,
            PreferredLifetime = preferred,
        };
    }

    private static TimeSpan? Lifetime(uint seconds) => seconds == Forever ? null : TimeSpan.FromSeconds(seconds);
}
