using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Netlink.Wire;

/// <summary>One message of a datagram: the header's fields and the payload after it.</summary>
internal readonly ref struct NetlinkMessage
{
    internal NetlinkMessage(ushort type, ushort flags, uint sequence, uint portId, ReadOnlySpan<byte> payload)
    {
        Type = type;
        Flags = flags;
        Sequence = sequence;
        PortId = portId;
        Payload = payload;
    }

    internal ushort Type { get; }
    internal ushort Flags { get; }
    internal uint Sequence { get; }
    internal uint PortId { get; }
    internal ReadOnlySpan<byte> Payload { get; }
}

/// <summary>Walks the messages of a datagram, checking every length against what is really there.</summary>
internal ref struct MessageReader
{
    private ReadOnlySpan<byte> _remaining;

    internal MessageReader(ReadOnlySpan<byte> datagram) => _remaining = datagram;

    internal bool TryRead(out NetlinkMessage message)
    {
        message = default;
        if (_remaining.IsEmpty)
            return false;
        if (_remaining.Length < NetlinkHeader.Size)
            throw new NetlinkProtocolException($"{_remaining.Length} trailing bytes are too short for a message header");
        var length = BinaryPrimitives.ReadUInt32LittleEndian(_remaining);
        if (length < NetlinkHeader.Size || length > _remaining.Length)
            throw new NetlinkProtocolException($"nlmsg_len {length} does not fit the {_remaining.Length} bytes left in the datagram");
        message = new NetlinkMessage(
            BinaryPrimitives.ReadUInt16LittleEndian(_remaining[4..]),
            BinaryPrimitives.ReadUInt16LittleEndian(_remaining[6..]),
            BinaryPrimitives.ReadUInt32LittleEndian(_remaining[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(_remaining[12..]),
            _remaining[NetlinkHeader.Size..(int)length]);
        _remaining = _remaining[Math.Min(NetlinkHeader.Align((int)length), _remaining.Length)..];
        return true;
    }
}

/// <summary>One attribute: its type with the NESTED/NET_BYTEORDER bits masked off, and its payload.</summary>
internal readonly ref struct NetlinkAttribute
{
    private const ushort NestedFlag = 1 << 15;
    private const ushort ByteOrderFlag = 1 << 14;

    internal NetlinkAttribute(ushort rawType, ReadOnlySpan<byte> payload)
    {
        Type = (ushort)(rawType & ~(NestedFlag | ByteOrderFlag));
        Payload = payload;
    }

    internal ushort Type { get; }
    internal ReadOnlySpan<byte> Payload { get; }

    internal byte GetU8() => Payload[..Need(1)][0];

    internal ushort GetU16() => BinaryPrimitives.ReadUInt16LittleEndian(Payload[..Need(2)]);

    internal uint GetU32() => BinaryPrimitives.ReadUInt32LittleEndian(Payload[..Need(4)]);

    internal int GetI32() => BinaryPrimitives.ReadInt32LittleEndian(Payload[..Need(4)]);

    /// <summary>A C string: the bytes up to the first NUL (or all of them).</summary>
    internal string GetString()
    {
        var end = Payload.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? Payload : Payload[..end]);
    }

    internal IPAddress GetAddress() => IPBytes.Read(Payload);

    internal AttributeReader Nested() => new(Payload);

    private int Need(int size) => Payload.Length >= size
        ? size
        : throw new NetlinkProtocolException($"attribute {Type} has {Payload.Length} bytes, needs {size}");
}

/// <summary>Walks a run of attributes, checking every length; trailing bytes shorter than a header are padding.</summary>
internal ref struct AttributeReader
{
    private ReadOnlySpan<byte> _remaining;

    internal AttributeReader(ReadOnlySpan<byte> attributes) => _remaining = attributes;

    internal bool TryRead(out NetlinkAttribute attribute)
    {
        attribute = default;
        if (_remaining.Length < 4)
            return false;
        var length = BinaryPrimitives.ReadUInt16LittleEndian(_remaining);
        if (length < 4 || length > _remaining.Length)
            throw new NetlinkProtocolException($"nla_len {length} does not fit the {_remaining.Length} bytes left");
        attribute = new NetlinkAttribute(BinaryPrimitives.ReadUInt16LittleEndian(_remaining[2..]), _remaining[4..length]);
        _remaining = _remaining[Math.Min(NetlinkHeader.Align(length), _remaining.Length)..];
        return true;
    }
}

/// <summary>Reads a family's fixed header, refusing payloads too short for it.</summary>
internal static class FixedHeader
{
    internal static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> payload, int size, string name) => payload.Length >= size
        ? payload[..size]
        : throw new NetlinkProtocolException($"a {payload.Length}-byte payload is too short for {name} ({size} bytes)");
}
