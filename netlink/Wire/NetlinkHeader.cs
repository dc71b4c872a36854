namespace Netlink.Wire;

/// <summary>nlmsghdr layout, message types and flags (linux/netlink.h).</summary>
internal static class NetlinkHeader
{
    internal const int Size = 16;
    internal const int SequenceOffset = 8;
    internal const int PortIdOffset = 12;

    // Message types every netlink family shares.
    internal const ushort Noop = 1;
    internal const ushort Error = 2;
    internal const ushort Done = 3;

    // nlmsg_flags: Request, Ack, Dump and the NEW modifiers on requests; Multi and DumpInterrupted on replies.
    internal const ushort Request = 0x1;
    internal const ushort Multi = 0x2;
    internal const ushort Ack = 0x4;
    internal const ushort DumpInterrupted = 0x10;
    internal const ushort Dump = 0x300;
    internal const ushort Replace = 0x100;
    internal const ushort Exclusive = 0x200;
    internal const ushort Create = 0x400;

    internal const ushort CreateExclusive = Request | Ack | Create | Exclusive;
    internal const ushort CreateOrReplace = Request | Ack | Create | Replace;

    // Flags on NLMSG_ERROR acknowledgements.
    internal const ushort Capped = 0x100;
    internal const ushort AckTlvs = 0x200;

    // Extended-ACK attributes (enum nlmsgerr_attrs).
    internal const ushort ErrorAttributeMessage = 1;
    internal const ushort ErrorAttributeOffset = 2;

    internal static int Align(int length) => (length + 3) & ~3;
}
