using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Netlink.Wire;

/// <summary>
/// Builds one netlink message in a caller-provided buffer: header, fixed family header, attributes and nested
/// attributes, each padded to 4 bytes. Integers are little-endian (netlink speaks host byte order, and the hosts
/// this library targets, x86-64 and arm64, are little-endian); addresses are raw network-order bytes.
/// Sequence number and port id are left 0: the transport stamps the sequence when it sends.
/// </summary>
internal ref struct NetlinkWriter
{
    private readonly Span<byte> _buffer;
    private int _position;

    internal NetlinkWriter(Span<byte> buffer) => _buffer = buffer;

    internal readonly int Length => _position;

    internal void BeginMessage(ushort type, ushort flags)
    {
        if (_position != 0)
            throw new InvalidOperationException("a writer builds exactly one message");
        var header = Reserve(NetlinkHeader.Size);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], type);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], flags);
    }

    /// <summary>Sets nlmsg_len (including the final padding, like iproute2) and returns a copy of the message.</summary>
    internal readonly byte[] ToMessage()
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer, (uint)_position);
        return _buffer[.._position].ToArray();
    }

    internal void WriteU8(byte value) => Reserve(1)[0] = value;

    internal void WriteU16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Reserve(2), value);

    internal void WriteU32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);

    internal void WriteI32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Reserve(4), value);

    internal void AddAttribute(ushort type, scoped ReadOnlySpan<byte> payload)
    {
        var attribute = Reserve(NetlinkHeader.Align(4 + payload.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(attribute, (ushort)(4 + payload.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(attribute[2..], type);
        payload.CopyTo(attribute[4..]);
    }

    internal void AddU8(ushort type, byte value) => AddAttribute(type, [value]);

    internal void AddU32(ushort type, uint value)
    {
        Span<byte> payload = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, value);
        AddAttribute(type, payload);
    }

    /// <summary>A C string attribute (NUL-terminated), as the kernel expects for names and labels.</summary>
    internal void AddString(ushort type, string value) => AddText(type, value, nulTerminated: true);

    /// <summary>A string without terminator, as iproute2 sends link kinds.</summary>
    internal void AddUnterminatedString(ushort type, string value) => AddText(type, value, nulTerminated: false);

    private void AddText(ushort type, string value, bool nulTerminated)
    {
        Span<byte> payload = stackalloc byte[Encoding.UTF8.GetByteCount(value) + 1];
        var length = Encoding.UTF8.GetBytes(value, payload);
        AddAttribute(type, nulTerminated ? payload[..(length + 1)] : payload[..length]);
    }

    /// <summary>An address attribute, its bytes as given (see <see cref="IPBytes.InFamily"/>).</summary>
    internal void AddAddress(ushort type, IPAddress address)
    {
        Span<byte> payload = stackalloc byte[16];
        AddAttribute(type, payload[..IPBytes.Write(address, payload)]);
    }

    /// <summary>Starts a nested attribute; returns its offset for <see cref="EndNested"/>.</summary>
    internal int BeginNested(ushort type)
    {
        var start = _position;
        BinaryPrimitives.WriteUInt16LittleEndian(Reserve(4)[2..], type);
        return start;
    }

    /// <summary>A nested attribute's length covers its (aligned) children.</summary>
    internal readonly void EndNested(int start) =>
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer[start..], (ushort)(_position - start));

    private Span<byte> Reserve(int length)
    {
        if (_position + length > _buffer.Length)
            throw new ArgumentException($"the request needs more than the {_buffer.Length}-byte buffer");
        var span = _buffer.Slice(_position, length);
        span.Clear();
        _position += length;
        return span;
    }
}
