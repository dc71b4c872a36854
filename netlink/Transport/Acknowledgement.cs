using System.Buffers.Binary;
using Netlink.Wire;

namespace Netlink.Transport;

/// <summary>Decodes NLMSG_ERROR (an ACK when the error is 0) and NLMSG_DONE's status, with extended-ACK TLVs.</summary>
internal static class Acknowledgement
{
    /// <summary>Null for success, else the kernel's error. <paramref name="request"/> resolves the offending attribute.</summary>
    internal static NetlinkException? FromError(NetlinkMessage message, ReadOnlySpan<byte> request)
    {
        var payload = message.Payload;
        var error = ReadStatus(payload, "NLMSG_ERROR");
        if (error == 0)
            return null;
        var echoed = FixedHeader.Take(payload[4..], NetlinkHeader.Size, "the echoed request header");
        // CAPPED: only the request's header was echoed; else the whole request, as its own nlmsg_len says.
        var echoedLength = (message.Flags & NetlinkHeader.Capped) != 0
            ? NetlinkHeader.Size
            : (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(echoed), int.MaxValue);
        if (echoedLength < NetlinkHeader.Size || echoedLength > payload.Length - 4)
            throw new NetlinkProtocolException($"the echoed request claims {echoedLength} bytes, {payload.Length - 4} are there");
        return ToException(error, message.Flags, payload[Math.Min(4 + NetlinkHeader.Align(echoedLength), payload.Length)..], request);
    }

    /// <summary>A dump's NLMSG_DONE carries an int status that can be a negative errno (and extended-ACK TLVs).</summary>
    internal static NetlinkException? FromDone(NetlinkMessage message, ReadOnlySpan<byte> request)
    {
        if (message.Payload.Length < 4)
            return null; // old kernels send DONE without a status
        var error = ReadStatus(message.Payload, "NLMSG_DONE");
        return error == 0 ? null : ToException(error, message.Flags, message.Payload[4..], request);
    }

    private static int ReadStatus(ReadOnlySpan<byte> payload, string what)
    {
        var status = BinaryPrimitives.ReadInt32LittleEndian(FixedHeader.Take(payload, 4, what));
        // The kernel sends a negative errno; tolerate a positive one rather than print "Unknown error -17".
        return status == int.MinValue ? throw new NetlinkProtocolException($"{what} status {status}") : Math.Abs(status);
    }

    private static NetlinkException ToException(int errno, ushort flags, ReadOnlySpan<byte> tlvs, ReadOnlySpan<byte> request)
    {
        string? text = null;
        int? offset = null;
        if ((flags & NetlinkHeader.AckTlvs) != 0)
        {
            var attributes = new AttributeReader(tlvs);
            while (attributes.TryRead(out var attribute))
            {
                if (attribute.Type == NetlinkHeader.ErrorAttributeMessage)
                    text = attribute.GetString();
                else if (attribute.Type == NetlinkHeader.ErrorAttributeOffset)
                    offset = (int)Math.Min(attribute.GetU32(), int.MaxValue);
            }
        }
        return new NetlinkException(errno, kernelMessage: text, attributeOffset: offset, attributeType: AttributeTypeAt(request, offset));
    }

    private static int? AttributeTypeAt(ReadOnlySpan<byte> request, int? offset) =>
        offset is { } at && at >= NetlinkHeader.Size && at <= request.Length - 4 // at + 4 would overflow for a huge offset
            ? BinaryPrimitives.ReadUInt16LittleEndian(request[(at + 2)..]) & 0x3fff
            : null;
}
