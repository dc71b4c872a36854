using System.Buffers.Binary;
using Netlink.Transport;
using Netlink.Wire;

namespace Netlink.Tests.Transport;

/// <summary>
/// An in-memory kernel behind the transport seam, for what the real kernel will not do on demand: errors in
/// DONE, interrupted dumps, malformed or misaddressed replies, lost events, silence. Each request datagram is
/// answered by <see cref="Respond"/>; an empty queue is silence until the deadline.
/// </summary>
internal sealed class FakeKernel : INetlinkTransport
{
    internal const uint Port = 0x4242;

    private readonly Queue<Reply> _outgoing = new();

    /// <summary>Answers one request message with what the transport receives next (a byte[] is a datagram from the kernel).</summary>
    internal Func<Request, IEnumerable<Reply>> Respond { get; set; } = _ => [];

    internal List<byte[]> SentDatagrams { get; } = [];

    internal List<Request> Requests { get; } = [];

    internal bool Disposed { get; private set; }

    public uint PortId => Port;

    public void Send(ReadOnlySpan<byte> datagram)
    {
        SentDatagrams.Add(datagram.ToArray());
        var reader = new MessageReader(datagram);
        while (reader.TryRead(out var message))
        {
            var request = new Request(message.Type, message.Flags, message.Sequence, message.Payload.ToArray());
            Requests.Add(request);
            foreach (var answer in Respond(request))
                _outgoing.Enqueue(answer);
        }
    }

    /// <summary>Queues something to receive without a request (an event, a stale reply).</summary>
    internal void Push(Reply answer) => _outgoing.Enqueue(answer);

    public bool TryReceive(long deadline, CancellationToken cancellation, out ReadOnlyMemory<byte> datagram, out uint senderPortId)
    {
        datagram = default;
        senderPortId = 0;
        cancellation.ThrowIfCancellationRequested();
        if (_outgoing.Count == 0)
        {
            cancellation.WaitHandle.WaitOne((int)Math.Min(Math.Max(0, deadline - Environment.TickCount64), int.MaxValue));
            cancellation.ThrowIfCancellationRequested();
            return false;
        }
        switch (_outgoing.Dequeue())
        {
            case Reply.Failure failure:
                throw failure.Exception;
            case Reply.Datagram received:
                (datagram, senderPortId) = (received.Bytes, received.Sender);
                return true;
            default:
                throw new InvalidOperationException("unknown reply");
        }
    }

    public void Dispose() => Disposed = true;

    internal sealed record Request(ushort Type, ushort Flags, uint Sequence, byte[] Payload);

    /// <summary>What a receive gets: a datagram (from the kernel, port 0, unless <c>Sender</c> says otherwise) or a failure.</summary>
    internal abstract record Reply
    {
        internal sealed record Datagram(byte[] Bytes, uint Sender = 0) : Reply;

        internal sealed record Failure(Exception Exception) : Reply;

        public static implicit operator Reply(byte[] bytes) => new Datagram(bytes);
    }
}

/// <summary>Builds what a kernel sends.</summary>
internal static class KernelReplies
{
    internal static byte[] Message(ushort type, ushort flags, uint sequence, ReadOnlySpan<byte> payload, uint port = FakeKernel.Port)
    {
        var message = new byte[NetlinkHeader.Align(16 + payload.Length)];
        BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)(16 + payload.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(6), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(8), sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(12), port);
        payload.CopyTo(message.AsSpan(16));
        return message;
    }

    /// <summary>A capped ACK (error 0 or -errno), optionally with extended-ACK message and offset.</summary>
    internal static byte[] Ack(uint sequence, int errno = 0, string? text = null, uint? offset = null, uint port = FakeKernel.Port)
    {
        var payload = new List<byte>();
        payload.AddRange(BitConverter.GetBytes(-errno));
        payload.AddRange(new byte[16]); // echoed request header (capped)
        if (text is not null)
            payload.AddRange(Attribute(NetlinkHeader.ErrorAttributeMessage, [.. System.Text.Encoding.UTF8.GetBytes(text), 0]));
        if (offset is { } at)
            payload.AddRange(Attribute(NetlinkHeader.ErrorAttributeOffset, BitConverter.GetBytes(at)));
        var flags = (ushort)(NetlinkHeader.Capped | (text is null && offset is null ? 0 : NetlinkHeader.AckTlvs));
        return Message(NetlinkHeader.Error, flags, sequence, payload.ToArray(), port);
    }

    internal static byte[] Done(uint sequence, int errno = 0, string? text = null) =>
        Message(NetlinkHeader.Done, (ushort)(NetlinkHeader.Multi | (text is null ? 0 : NetlinkHeader.AckTlvs)), sequence,
            [.. BitConverter.GetBytes(-errno), .. text is null ? [] : Attribute(NetlinkHeader.ErrorAttributeMessage, [.. System.Text.Encoding.UTF8.GetBytes(text), 0])]);

    /// <summary>Every message of a captured datagram, re-addressed to <paramref name="sequence"/> and our port, with extra flags.</summary>
    internal static byte[] Readdressed(string capturedHex, uint sequence, ushort addFlags = 0)
    {
        var bytes = Convert.FromHexString(capturedHex);
        for (var offset = 0; offset + 16 <= bytes.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset));
            var flags = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 6));
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(offset + 6), (ushort)(flags | addFlags));
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(offset + 8), sequence);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(offset + 12), FakeKernel.Port);
            offset += NetlinkHeader.Align(length);
        }
        return bytes;
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
