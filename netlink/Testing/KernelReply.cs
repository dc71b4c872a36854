using System.Buffers.Binary;
using System.Text;
using Netlink.Rtnetlink;
using Netlink.Wire;

namespace Netlink.Testing;

/// <summary>
/// What one receive on a <see cref="FakeKernel"/>'s socket gets: a datagram from the kernel (one or more messages),
/// or an error the socket reports (<see cref="ReceiveError"/>). Answers to a request carry its sequence number and
/// the handle's port (<see cref="FakeKernel.PortId"/>); the object builders (<see cref="Link"/>, <see cref="Route"/>…)
/// make unaddressed messages, which is what a notification is, and <see cref="AnswerTo"/> or <see cref="Dump"/>
/// address them to a request.
/// </summary>
public sealed class KernelReply
{
    private readonly byte[] _datagram;

    private KernelReply(byte[] datagram, uint senderPortId, int errno)
    {
        _datagram = datagram;
        SenderPortId = senderPortId;
        Errno = errno;
    }

    /// <summary>The datagram's bytes (empty for a <see cref="ReceiveError"/>).</summary>
    public ReadOnlyMemory<byte> Bytes => _datagram;

    /// <summary>Who sent it: 0 is the kernel; anything else is another process, which a handle ignores.</summary>
    public uint SenderPortId { get; }

    /// <summary>The errno a receive fails with instead of a datagram, or 0.</summary>
    public int Errno { get; }

    /// <summary>Raw bytes as one datagram, e.g. a capture from a real kernel (see <see cref="Rewritten"/>).</summary>
    /// <param name="bytes">One or more netlink messages.</param>
    /// <param name="senderPortId">0 for the kernel.</param>
    public static KernelReply Datagram(ReadOnlySpan<byte> bytes, uint senderPortId = 0) => new(bytes.ToArray(), senderPortId, 0);

    /// <summary>A receive that fails with <paramref name="errno"/>, e.g. <see cref="Netlink.Errno.ENOBUFS"/>: notifications were lost.</summary>
    public static KernelReply ReceiveError(int errno)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(errno, 0);
        return new([], 0, errno);
    }

    /// <summary>One message of any type, unaddressed (sequence and port 0).</summary>
    public static KernelReply Message(MessageType type, ushort flags, ReadOnlySpan<byte> payload)
    {
        var message = new byte[NetlinkHeader.Align(NetlinkHeader.Size + payload.Length)];
        BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)(NetlinkHeader.Size + payload.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), (ushort)type);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(6), flags);
        payload.CopyTo(message.AsSpan(NetlinkHeader.Size));
        return Datagram(message);
    }

    /// <summary>The acknowledgement of a request that succeeded (NLMSG_ERROR with error 0, capped).</summary>
    public static KernelReply Ack(KernelRequest request) => Error(request, 0);

    /// <summary>
    /// The request failed with <paramref name="errno"/> (NLMSG_ERROR, the request's header echoed, capped), with the
    /// extended ACK's message and the offset of the offending attribute in <see cref="KernelRequest.Message"/> when given.
    /// </summary>
    public static KernelReply Error(KernelRequest request, int errno, string? message = null, uint? attributeOffset = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegative(errno);
        var extended = ExtendedAck(message, attributeOffset);
        var payload = new byte[4 + NetlinkHeader.Size + extended.Length];
        BinaryPrimitives.WriteInt32LittleEndian(payload, -errno);
        request.Message.Span[..NetlinkHeader.Size].CopyTo(payload.AsSpan(4));
        extended.CopyTo(payload, 4 + NetlinkHeader.Size);
        var flags = (ushort)(NetlinkHeader.Capped | (extended.Length > 0 ? NetlinkHeader.AckTlvs : 0));
        return Message(MessageType.Error, flags, payload).AnswerTo(request);
    }

    /// <summary>The end of a dump (NLMSG_DONE), with an errno and extended-ACK message when the dump failed.</summary>
    public static KernelReply Done(KernelRequest request, int errno = 0, string? message = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegative(errno);
        var extended = ExtendedAck(message, null);
        var payload = new byte[4 + extended.Length];
        BinaryPrimitives.WriteInt32LittleEndian(payload, -errno);
        extended.CopyTo(payload, 4);
        var flags = (ushort)(NetlinkHeader.Multi | (extended.Length > 0 ? NetlinkHeader.AckTlvs : 0));
        return Message(MessageType.Done, flags, payload).AnswerTo(request);
    }

    /// <summary>
    /// A whole dump: each part as a datagram of its own marked NLM_F_MULTI, then <see cref="Done"/>; with
    /// <paramref name="interrupted"/> every message carries NLM_F_DUMP_INTR (the table changed meanwhile).
    /// </summary>
    public static IEnumerable<KernelReply> Dump(KernelRequest request, IEnumerable<KernelReply> parts, bool interrupted = false)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var flags = (ushort)(NetlinkHeader.Multi | (interrupted ? NetlinkHeader.DumpInterrupted : 0));
        var replies = new List<KernelReply>();
        foreach (var part in parts)
            replies.Add(part.Rewritten(request.Sequence, FakeKernel.PortId, flags));
        replies.Add(Done(request).Rewritten(addFlags: flags));
        return replies;
    }

    /// <summary>A link as the kernel reports it (RTM_NEWLINK, or RTM_DELLINK when <paramref name="removed"/>).</summary>
    public static KernelReply Link(Link link, bool removed = false)
    {
        ArgumentNullException.ThrowIfNull(link);
        var writer = new NetlinkWriter(stackalloc byte[Rtnl.RequestCapacity]);
        writer.BeginMessage(removed ? Rtnl.DelLink : Rtnl.NewLink, 0);
        writer.WriteU8(0); // ifi_family
        writer.WriteU8(0);
        writer.WriteU16(link.HardwareType);
        writer.WriteI32(link.Index);
        writer.WriteU32((uint)link.Flags);
        writer.WriteU32(0); // ifi_change
        writer.AddString(Rtnl.LinkName, link.Name);
        writer.AddU32(Rtnl.LinkMtu, link.Mtu);
        writer.AddU8(Rtnl.LinkOperState, (byte)link.OperationalState);
        if (link.MacAddress is { } mac)
            writer.AddAttribute(Rtnl.LinkAddress, mac.GetAddressBytes());
        if (link.ParentIndex is { } parent)
            writer.AddU32(Rtnl.LinkParent, (uint)parent);
        if (link.MasterIndex is { } master)
            writer.AddU32(Rtnl.LinkMaster, (uint)master);
        if (link.Kind is { } kind)
        {
            var info = writer.BeginNested(Rtnl.LinkInfo);
            writer.AddString(Rtnl.InfoKind, kind);
            writer.EndNested(info);
        }
        return Datagram(writer.ToMessage());
    }

    /// <summary>An address on the link <see cref="InterfaceAddress.LinkIndex"/> names (RTM_NEWADDR, or RTM_DELADDR).</summary>
    public static KernelReply Address(InterfaceAddress address, bool removed = false)
    {
        ArgumentNullException.ThrowIfNull(address);
        return Retyped(AddressMessages.Add(address.LinkIndex, address, replace: false), removed ? Rtnl.DelAddress : Rtnl.NewAddress);
    }

    /// <summary>A route (RTM_NEWROUTE, or RTM_DELROUTE).</summary>
    public static KernelReply Route(Route route, bool removed = false)
    {
        ArgumentNullException.ThrowIfNull(route);
        return Retyped(RouteMessages.Add(route, replace: false), removed ? Rtnl.DelRoute : Rtnl.NewRoute);
    }

    /// <summary>A neighbour entry on the link <see cref="Neighbor.LinkIndex"/> names (RTM_NEWNEIGH, or RTM_DELNEIGH).</summary>
    public static KernelReply Neighbor(Neighbor neighbor, bool removed = false)
    {
        ArgumentNullException.ThrowIfNull(neighbor);
        return Retyped(NeighborMessages.Add(neighbor.LinkIndex, neighbor, replace: false), removed ? Rtnl.DelNeighbor : Rtnl.NewNeighbor);
    }

    /// <summary>A policy rule (RTM_NEWRULE, or RTM_DELRULE).</summary>
    public static KernelReply Rule(Rule rule, bool removed = false)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return Retyped(RuleMessages.Add(rule), removed ? Rtnl.DelRule : Rtnl.NewRule);
    }

    /// <summary>This reply addressed to <paramref name="request"/>: its sequence number and the handle's port.</summary>
    public KernelReply AnswerTo(KernelRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Rewritten(request.Sequence, FakeKernel.PortId);
    }

    /// <summary>
    /// A copy with every message's header changed: sequence number and port when given, <paramref name="addFlags"/>
    /// or-ed into the flags. For what a well-behaved kernel never sends: stale sequences, another port.
    /// </summary>
    public KernelReply Rewritten(uint? sequence = null, uint? portId = null, ushort addFlags = 0)
    {
        var bytes = (byte[])_datagram.Clone();
        for (var offset = 0; offset + NetlinkHeader.Size <= bytes.Length;)
        {
            var message = bytes.AsSpan(offset);
            BinaryPrimitives.WriteUInt16LittleEndian(message[6..], (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(message[6..]) | addFlags));
            if (sequence is { } number)
                BinaryPrimitives.WriteUInt32LittleEndian(message[NetlinkHeader.SequenceOffset..], number);
            if (portId is { } port)
                BinaryPrimitives.WriteUInt32LittleEndian(message[NetlinkHeader.PortIdOffset..], port);
            var length = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(message), int.MaxValue);
            if (length < NetlinkHeader.Size)
                break; // malformed on purpose: leave the rest as it is
            offset += NetlinkHeader.Align(length);
        }
        return new(bytes, SenderPortId, Errno);
    }

    /// <summary>A request encoder's message as the kernel reports the object: another type, no request flags.</summary>
    private static KernelReply Retyped(byte[] message, ushort type)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(6), 0);
        return Datagram(message);
    }

    private static byte[] ExtendedAck(string? message, uint? attributeOffset)
    {
        var attributes = new List<byte>();
        if (message is not null)
            attributes.AddRange(Attribute(NetlinkHeader.ErrorAttributeMessage, [.. Encoding.UTF8.GetBytes(message), 0]));
        if (attributeOffset is { } offset)
            attributes.AddRange(Attribute(NetlinkHeader.ErrorAttributeOffset, BitConverter.GetBytes(offset)));
        return [.. attributes];
    }

    private static byte[] Attribute(ushort type, byte[] payload)
    {
        var attribute = new byte[NetlinkHeader.Align(4 + payload.Length)];
        BinaryPrimitives.WriteUInt16LittleEndian(attribute, (ushort)(4 + payload.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(attribute.AsSpan(2), type);
        payload.CopyTo(attribute, 4);
        return attribute;
    }
}
