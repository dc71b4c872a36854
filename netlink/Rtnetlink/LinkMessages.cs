using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using Netlink.Wire;

namespace Netlink.Rtnetlink;

/// <summary>Builds RTM_*LINK requests (byte for byte what iproute2 sends) and decodes RTM_NEWLINK.</summary>
internal static class LinkMessages
{
    /// <summary>As <c>ip -s link show dev NAME</c>: with statistics, so a <see cref="Link"/> always has them.</summary>
    internal static byte[] GetByName(string name)
    {
        var writer = Begin(Rtnl.GetLink, NetlinkHeader.Request, stackalloc byte[Rtnl.RequestCapacity], family: AddressFamilies.Packet);
        writer.AddString(Rtnl.LinkName, name);
        writer.AddU32(Rtnl.LinkExtMask, Rtnl.FilterVf);
        return writer.ToMessage();
    }

    /// <summary>As <c>ip -s addr show dev NAME</c> asks for the link by index.</summary>
    internal static byte[] GetByIndex(int index)
    {
        var writer = Begin(Rtnl.GetLink, NetlinkHeader.Request, stackalloc byte[Rtnl.RequestCapacity], index: index);
        writer.AddU32(Rtnl.LinkExtMask, Rtnl.FilterVf);
        return writer.ToMessage();
    }

    internal static byte[] Dump()
    {
        var writer = Begin(Rtnl.GetLink, NetlinkHeader.Request | NetlinkHeader.Dump, stackalloc byte[Rtnl.RequestCapacity], family: AddressFamilies.Packet);
        writer.AddU32(Rtnl.LinkExtMask, Rtnl.FilterVf);
        return writer.ToMessage();
    }

    /// <summary>Flags change with an explicit ifi_change mask so nothing else is touched.</summary>
    internal static byte[] SetUp(int index, bool up) =>
        Begin(Rtnl.NewLink, Acked, stackalloc byte[Rtnl.RequestCapacity], index: index,
            flags: up ? (uint)LinkFlags.Up : 0, change: (uint)LinkFlags.Up).ToMessage();

    internal static byte[] SetMtu(int index, uint mtu)
    {
        var writer = Begin(Rtnl.NewLink, Acked, stackalloc byte[Rtnl.RequestCapacity], index: index);
        writer.AddU32(Rtnl.LinkMtu, mtu);
        return writer.ToMessage();
    }

    internal static byte[] SetName(int index, string name)
    {
        var writer = Begin(Rtnl.NewLink, Acked, stackalloc byte[Rtnl.RequestCapacity], index: index);
        writer.AddString(Rtnl.LinkName, ValidName(name));
        return writer.ToMessage();
    }

    internal static byte[] SetMacAddress(int index, PhysicalAddress address)
    {
        var writer = Begin(Rtnl.NewLink, Acked, stackalloc byte[Rtnl.RequestCapacity], index: index);
        writer.AddAttribute(Rtnl.LinkAddress, address.GetAddressBytes());
        return writer.ToMessage();
    }

    internal static byte[] Delete(int index) =>
        Begin(Rtnl.DelLink, Acked, stackalloc byte[Rtnl.RequestCapacity], index: index).ToMessage();

    internal static byte[] CreateVeth(string name, string peerName, int? peerNamespaceFd)
    {
        var writer = BeginCreate(name, "veth", stackalloc byte[Rtnl.RequestCapacity], out var linkInfo);
        var data = writer.BeginNested(Rtnl.InfoData);
        var peer = writer.BeginNested(Rtnl.VethPeer);
        WriteIfInfo(ref writer, 0, 0, 0, 0);
        writer.AddString(Rtnl.LinkName, ValidName(peerName));
        if (peerNamespaceFd is { } fd)
            writer.AddU32(Rtnl.LinkNamespaceFd, (uint)fd);
        writer.EndNested(peer);
        writer.EndNested(data);
        writer.EndNested(linkInfo);
        return writer.ToMessage();
    }

    internal static byte[] CreateDummy(string name) => CreateOfKind(name, "dummy");

    internal static byte[] CreateBridge(string name) => CreateOfKind(name, "bridge");

    private static byte[] CreateOfKind(string name, string kind)
    {
        var writer = BeginCreate(name, kind, stackalloc byte[Rtnl.RequestCapacity], out var linkInfo);
        writer.EndNested(linkInfo);
        return writer.ToMessage();
    }

    internal static byte[] CreateMacvlan(string name, int parentIndex, MacvlanMode mode)
    {
        var writer = BeginCreate(name, "macvlan", stackalloc byte[Rtnl.RequestCapacity], out var linkInfo, parentIndex);
        var data = writer.BeginNested(Rtnl.InfoData);
        writer.AddU32(Rtnl.MacvlanMode, (uint)mode);
        writer.EndNested(data);
        writer.EndNested(linkInfo);
        return writer.ToMessage();
    }

    /// <summary>As iproute2: learning on, the port in network byte order, IPv4 or IPv6 attributes by the addresses' family.</summary>
    internal static byte[] CreateVxlan(string name, uint id, IPAddress? local, IPAddress? remote, int? underlyingIndex, ushort port)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(id, 0xFFFFFFu, nameof(id)); // a VNI has 24 bits
        local = local is null ? null : IPBytes.Normalize(local);
        remote = remote is null ? null : IPBytes.Normalize(remote);
        if (local is not null && remote is not null && local.AddressFamily != remote.AddressFamily)
            throw new ArgumentException($"vxlan {name}: local {local} and remote {remote} differ in family", nameof(remote));
        var writer = BeginCreate(name, "vxlan", stackalloc byte[Rtnl.RequestCapacity], out var linkInfo);
        var data = writer.BeginNested(Rtnl.InfoData);
        if (underlyingIndex is { } underlying)
            writer.AddU32(Rtnl.VxlanLink, (uint)underlying);
        writer.AddU32(Rtnl.VxlanId, id);
        if (local is not null)
            writer.AddAddress(local.AddressFamily == AddressFamily.InterNetwork ? Rtnl.VxlanLocal : Rtnl.VxlanLocal6, local);
        if (remote is not null)
            writer.AddAddress(remote.AddressFamily == AddressFamily.InterNetwork ? Rtnl.VxlanGroup : Rtnl.VxlanGroup6, remote);
        writer.AddU8(Rtnl.VxlanLearning, 1);
        Span<byte> networkOrderPort = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(networkOrderPort, port);
        writer.AddAttribute(Rtnl.VxlanPort, networkOrderPort);
        writer.EndNested(data);
        writer.EndNested(linkInfo);
        return writer.ToMessage();
    }

    /// <summary>IFLA_MASTER with 0 releases the link from its master (<c>nomaster</c>).</summary>
    internal static byte[] SetMaster(int index, int masterIndex)
    {
        var writer = Begin(Rtnl.NewLink, Acked, stackalloc byte[Rtnl.RequestCapacity], index: index);
        writer.AddU32(Rtnl.LinkMaster, (uint)masterIndex);
        return writer.ToMessage();
    }

    internal static byte[] MoveToNamespaceFd(int index, int namespaceFd) => MoveToNamespace(index, Rtnl.LinkNamespaceFd, (uint)namespaceFd);

    internal static byte[] MoveToNamespaceOfProcess(int index, int processId) => MoveToNamespace(index, Rtnl.LinkNamespacePid, (uint)processId);

    private static byte[] MoveToNamespace(int index, ushort attribute, uint value)
    {
        var writer = Begin(Rtnl.NewLink, Acked, stackalloc byte[Rtnl.RequestCapacity], index: index);
        writer.AddU32(attribute, value);
        return writer.ToMessage();
    }

    /// <summary>A link stacked on another (macvlan) names its parent in IFLA_LINK first, as iproute2 does.</summary>
    private static NetlinkWriter BeginCreate(string name, string kind, Span<byte> buffer, out int linkInfo, int? parentIndex = null)
    {
        var writer = Begin(Rtnl.NewLink, NetlinkHeader.CreateExclusive, buffer);
        if (parentIndex is { } parent)
            writer.AddU32(Rtnl.LinkParent, (uint)parent);
        writer.AddString(Rtnl.LinkName, ValidName(name));
        linkInfo = writer.BeginNested(Rtnl.LinkInfo);
        writer.AddUnterminatedString(Rtnl.InfoKind, kind);
        return writer;
    }

    private const ushort Acked = NetlinkHeader.Request | NetlinkHeader.Ack;

    private static NetlinkWriter Begin(ushort type, ushort messageFlags, Span<byte> buffer, byte family = 0, int index = 0, uint flags = 0, uint change = 0)
    {
        var writer = new NetlinkWriter(buffer);
        writer.BeginMessage(type, messageFlags);
        WriteIfInfo(ref writer, family, index, flags, change);
        return writer;
    }

    private static void WriteIfInfo(ref NetlinkWriter writer, byte family, int index, uint flags, uint change)
    {
        writer.WriteU8(family);
        writer.WriteU8(0);
        writer.WriteU16(0); // ifi_type
        writer.WriteI32(index);
        writer.WriteU32(flags);
        writer.WriteU32(change);
    }

    /// <summary>The kernel's dev_valid_name: 1–15 bytes, not "." or "..", no '/', ':' or whitespace.</summary>
    private static bool HasForbiddenCharacter(string name)
    {
        foreach (var c in name)
            if (c is '/' or ':' || char.IsWhiteSpace(c))
                return true;
        return false;
    }

    internal static string ValidName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes is < 1 or > 15 || name is "." or ".." || HasForbiddenCharacter(name))
            throw new ArgumentException($"'{name}' is not a valid interface name (1-15 bytes, not . or .., no '/', ':' or whitespace)", nameof(name));
        return name;
    }

    internal static Link Decode(ReadOnlySpan<byte> payload)
    {
        var header = FixedHeader.Take(payload, Rtnl.IfInfoSize, "ifinfomsg");
        string? name = null, kind = null;
        uint mtu = 0;
        uint? minMtu = null, maxMtu = null;
        int? parent = null, master = null, parentNamespace = null;
        LinkStatistics? statistics = null;
        TunInfo? tun = null;
        PhysicalAddress? mac = null;
        var state = OperationalState.Unknown;
        var attributes = new AttributeReader(payload[Rtnl.IfInfoSize..]);
        while (attributes.TryRead(out var attribute))
        {
            switch (attribute.Type)
            {
                case Rtnl.LinkName: name = attribute.GetString(); break;
                case Rtnl.LinkMtu: mtu = attribute.GetU32(); break;
                case Rtnl.LinkMinMtu: minMtu = attribute.GetU32(); break;
                case Rtnl.LinkMaxMtu: maxMtu = attribute.GetU32(); break;
                case Rtnl.LinkAddress: mac = new PhysicalAddress(attribute.Payload.ToArray()); break;
                case Rtnl.LinkOperState: state = (OperationalState)attribute.GetU8(); break;
                case Rtnl.LinkParent: parent = attribute.GetI32(); break;
                case Rtnl.LinkMaster: master = attribute.GetI32(); break;
                case Rtnl.LinkInfo: (kind, tun) = DecodeInfo(attribute.Nested()); break;
                case Rtnl.LinkParentNamespaceId: parentNamespace = attribute.GetI32(); break;
                case Rtnl.LinkStatistics64: statistics = DecodeStatistics(attribute.Payload); break;
            }
        }
        return new Link
        {
            Index = BinaryPrimitives.ReadInt32LittleEndian(header[4..]),
            HardwareType = BinaryPrimitives.ReadUInt16LittleEndian(header[2..]),
            Flags = (LinkFlags)BinaryPrimitives.ReadUInt32LittleEndian(header[8..]),
            Name = name ?? throw new NetlinkProtocolException("a link message has no IFLA_IFNAME"),
            Mtu = mtu,
            MinMtu = minMtu,
            MaxMtu = maxMtu,
            MacAddress = mac,
            OperationalState = state,
            ParentIndex = parent,
            MasterIndex = master,
            ParentNamespaceId = parentNamespace,
            Statistics = statistics,
            Kind = kind,
            Tun = tun,
        };
    }

    /// <summary>struct rtnl_link_stats64: the first ten counters (newer kernels append more).</summary>
    private static LinkStatistics DecodeStatistics(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 80)
            throw new NetlinkProtocolException($"IFLA_STATS64 has {payload.Length} bytes, needs at least 80");
        Span<ulong> counters = stackalloc ulong[10];
        for (var index = 0; index < counters.Length; index++)
            counters[index] = BinaryPrimitives.ReadUInt64LittleEndian(payload[(index * 8)..]);
        return new LinkStatistics
        {
            ReceivedPackets = counters[0],
            TransmittedPackets = counters[1],
            ReceivedBytes = counters[2],
            TransmittedBytes = counters[3],
            ReceiveErrors = counters[4],
            TransmitErrors = counters[5],
            ReceiveDropped = counters[6],
            TransmitDropped = counters[7],
            Multicast = counters[8],
            Collisions = counters[9],
        };
    }

    /// <summary>IFLA_INFO_KIND, and for a tun/tap device the IFLA_TUN_* data the kernel puts after it.</summary>
    private static (string? Kind, TunInfo? Tun) DecodeInfo(AttributeReader info)
    {
        string? kind = null;
        TunInfo? tun = null;
        while (info.TryRead(out var attribute))
        {
            if (attribute.Type == Rtnl.InfoKind)
                kind = attribute.GetString();
            else if (attribute.Type == Rtnl.InfoData && kind == "tun")
                tun = TunInfo.Decode(attribute.Nested());
        }
        return (kind, tun);
    }
}
