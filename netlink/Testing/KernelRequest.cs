using Netlink.Wire;

namespace Netlink.Testing;

/// <summary>The netlink message types a <see cref="FakeKernel"/> sees and answers with (linux/netlink.h, linux/rtnetlink.h).</summary>
public enum MessageType : ushort
{
    /// <summary>NLMSG_NOOP: to be ignored.</summary>
    Noop = 1,
    /// <summary>NLMSG_ERROR: an acknowledgement (error 0) or a failure.</summary>
    Error = 2,
    /// <summary>NLMSG_DONE: the end of a dump.</summary>
    Done = 3,
    /// <summary>RTM_NEWLINK: create or change a link; a link in an answer or event.</summary>
    NewLink = 16,
    /// <summary>RTM_DELLINK.</summary>
    DeleteLink = 17,
    /// <summary>RTM_GETLINK: one link, or all with <see cref="KernelRequest.IsDump"/>.</summary>
    GetLink = 18,
    /// <summary>RTM_NEWADDR.</summary>
    NewAddress = 20,
    /// <summary>RTM_DELADDR.</summary>
    DeleteAddress = 21,
    /// <summary>RTM_GETADDR.</summary>
    GetAddress = 22,
    /// <summary>RTM_NEWROUTE.</summary>
    NewRoute = 24,
    /// <summary>RTM_DELROUTE.</summary>
    DeleteRoute = 25,
    /// <summary>RTM_GETROUTE: a route lookup (<c>ip route get</c>), or all routes with <see cref="KernelRequest.IsDump"/>.</summary>
    GetRoute = 26,
    /// <summary>RTM_NEWNEIGH.</summary>
    NewNeighbor = 28,
    /// <summary>RTM_DELNEIGH.</summary>
    DeleteNeighbor = 29,
    /// <summary>RTM_GETNEIGH.</summary>
    GetNeighbor = 30,
    /// <summary>RTM_NEWRULE.</summary>
    NewRule = 32,
    /// <summary>RTM_DELRULE.</summary>
    DeleteRule = 33,
    /// <summary>RTM_GETRULE.</summary>
    GetRule = 34,
}

/// <summary>One request message a handle sent to a <see cref="FakeKernel"/>.</summary>
public sealed class KernelRequest
{
    internal KernelRequest(NetlinkMessage message, ReadOnlySpan<byte> bytes, int datagram)
    {
        Type = (MessageType)message.Type;
        Flags = message.Flags;
        Sequence = message.Sequence;
        Payload = message.Payload.ToArray();
        Message = bytes.ToArray();
        Datagram = datagram;
    }

    /// <summary>The message type (a value outside <see cref="MessageType"/>'s names is possible).</summary>
    public MessageType Type { get; }

    /// <summary>nlmsg_flags (NLM_F_REQUEST 0x1, NLM_F_ACK 0x4, NLM_F_DUMP 0x300, NLM_F_REPLACE 0x100, NLM_F_EXCL 0x200, NLM_F_CREATE 0x400).</summary>
    public ushort Flags { get; }

    /// <summary>The sequence number the answer must carry.</summary>
    public uint Sequence { get; }

    /// <summary>The message after its 16-byte header: the family header and the attributes.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The whole message, header included (what an extended ACK's attribute offset counts in).</summary>
    public ReadOnlyMemory<byte> Message { get; }

    /// <summary>Which send it came in, counting from 1 per kernel: the requests of one batch share the number.</summary>
    public int Datagram { get; }

    /// <summary>A dump request (NLM_F_DUMP): answer with <see cref="KernelReply.Dump"/>.</summary>
    public bool IsDump => (Flags & NetlinkHeader.Dump) == NetlinkHeader.Dump;

    /// <summary>The sender waits for an acknowledgement (NLM_F_ACK): answer with <see cref="KernelReply.Ack"/> or <see cref="KernelReply.Error"/>.</summary>
    public bool WantsAck => (Flags & NetlinkHeader.Ack) != 0;

    /// <inheritdoc/>
    public override string ToString() => $"{Type} flags 0x{Flags:x} seq {Sequence}, {Payload.Length} bytes";
}
