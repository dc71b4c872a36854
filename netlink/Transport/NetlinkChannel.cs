using System.Buffers.Binary;
using System.Runtime.ExceptionServices;
using Netlink.Wire;

namespace Netlink.Transport;

/// <summary>
/// A request, how to describe it in an error ("eth0: add address 10.200.0.1/24"), optionally a hint that names
/// the objects involved when it fails, and its kind (what the general hints of <see cref="ErrorHints"/> key on).
/// </summary>
internal sealed record PendingRequest(
    byte[] Message, Func<string> Describe, Func<NetlinkException, string?>? Hint = null, RequestKind Kind = RequestKind.Other);

/// <summary>What a request does, as far as the general error hints tell requests apart.</summary>
internal enum RequestKind
{
    Other,
    Add,
    CreateLink,
    RenameLink,
    SetMacAddress,
    EnterNamespace,
    CreateTun,
}

/// <summary>
/// Request/response over a transport: stamps sequence numbers, accepts only replies from the kernel to our port
/// id and sequence, collects ACKs, and reads dumps across datagrams until NLMSG_DONE. Every wait has a deadline
/// and a token: a cancelled call throws <see cref="OperationCanceledException"/>, and the reply it leaves behind is
/// skipped by the next call as one with a stale sequence number.
/// Serialised by a lock so one handle can be shared between threads.
/// </summary>
internal sealed class NetlinkChannel(INetlinkTransport transport, TimeSpan timeout) : IDisposable
{
    private readonly Lock _gate = new();
    private uint _lastSequence = (uint)Environment.TickCount;

    private delegate bool MessageHandler(NetlinkMessage message);

    /// <summary>Sends one request with NLM_F_ACK set and waits for its ACK; throws the kernel's error.</summary>
    internal void Execute(PendingRequest request, CancellationToken cancellation)
    {
        if (ExecuteBatch([request], cancellation)[0] is { } error)
            ExceptionDispatchInfo.Throw(error); // keeps the stack of a receive failure that was caught and described
    }

    /// <summary>
    /// Sends all requests in one datagram and waits for every ACK. Returns, per request, null or its error;
    /// the kernel processes each request independently, so a failure does not stop the ones after it.
    /// </summary>
    internal NetlinkException?[] ExecuteBatch(IReadOnlyList<PendingRequest> requests, CancellationToken cancellation)
    {
        lock (_gate)
        {
            cancellation.ThrowIfCancellationRequested(); // a stopped caller starts no change
            var results = new NetlinkException?[requests.Count];
            var pending = new Dictionary<uint, int>();
            var length = 0;
            for (var i = 0; i < requests.Count; i++)
                length += NetlinkHeader.Align(requests[i].Message.Length);
            var datagram = new byte[length];
            var offset = 0;
            for (var i = 0; i < requests.Count; i++)
            {
                var sequence = Stamp(requests[i].Message);
                pending[sequence] = i;
                requests[i].Message.CopyTo(datagram, offset);
                offset += NetlinkHeader.Align(requests[i].Message.Length);
            }
            try
            {
                transport.Send(datagram);
                ReceiveUntil(cancellation, acknowledgementsOnly: true, message =>
                {
                    if (message.Type != NetlinkHeader.Error || !pending.TryGetValue(message.Sequence, out var index))
                        return false;
                    // Decode before settling: a malformed acknowledgement leaves the request pending, so the catch
                    // below reports it as a protocol error instead of a success.
                    results[index] = Describe(Acknowledgement.FromError(message, requests[index].Message), requests[index]);
                    pending.Remove(message.Sequence);
                    return pending.Count == 0;
                });
            }
            catch (NetlinkException e)
            {
                var first = true;
                foreach (var index in pending.Values)
                {
                    results[index] = Describe(first ? e : Copy(e), requests[index]);
                    first = false;
                }
            }
            return results;
        }
    }

    /// <summary>
    /// A GET without NLM_F_ACK: exactly one answer, the object (of <paramref name="answerType"/>) or an NLMSG_ERROR.
    /// Returns a copy of the object's payload.
    /// </summary>
    internal byte[] Query(PendingRequest request, ushort answerType, CancellationToken cancellation)
    {
        lock (_gate)
        {
            cancellation.ThrowIfCancellationRequested();
            var sequence = Stamp(request.Message);
            byte[]? answer = null;
            try
            {
                transport.Send(request.Message);
                ReceiveUntil(cancellation, acknowledgementsOnly: false, message =>
                {
                    if (message.Sequence != sequence)
                        return false;
                    if (message.Type == NetlinkHeader.Error)
                        throw Acknowledgement.FromError(message, request.Message)
                            ?? new NetlinkProtocolException("an ACK arrived where the requested object was expected");
                    if (message.Type != answerType)
                        throw new NetlinkProtocolException($"message type {message.Type} arrived where {answerType} was expected");
                    answer = message.Payload.ToArray();
                    return true;
                });
            }
            catch (NetlinkException e)
            {
                Describe(e, request);
                throw;
            }
            return answer!;
        }
    }

    /// <summary>
    /// Reads a whole dump: copies of the payloads of its messages of <paramref name="answerType"/> (the objects
    /// dumped; a message of another type is skipped, as the decoders would skip it). Throws
    /// <see cref="NetlinkDumpInterruptedException"/> (after draining it) when any part carried NLM_F_DUMP_INTR unless
    /// <paramref name="acceptInterrupted"/>, and the kernel's error when NLMSG_DONE or NLMSG_ERROR reports one.
    /// </summary>
    /// <remarks>Payloads, not typed message records: a list of those would cost a static base per type at every start.</remarks>
    internal List<byte[]> Dump(PendingRequest request, ushort answerType, bool acceptInterrupted, CancellationToken cancellation)
    {
        lock (_gate)
        {
            cancellation.ThrowIfCancellationRequested();
            var sequence = Stamp(request.Message);
            var payloads = new List<byte[]>();
            var interrupted = false;
            try
            {
                transport.Send(request.Message);
                ReceiveUntil(cancellation, acknowledgementsOnly: false, message =>
                {
                    if (message.Sequence != sequence)
                        return false;
                    interrupted |= (message.Flags & NetlinkHeader.DumpInterrupted) != 0;
                    switch (message.Type)
                    {
                        case NetlinkHeader.Done:
                            if (Acknowledgement.FromDone(message, request.Message) is { } doneError)
                                throw doneError;
                            return true;
                        case NetlinkHeader.Error:
                            throw Acknowledgement.FromError(message, request.Message)
                                ?? new NetlinkProtocolException("an ACK arrived in the middle of a dump");
                        case NetlinkHeader.Noop:
                            return false;
                        default:
                            if (message.Type == answerType)
                                payloads.Add(message.Payload.ToArray());
                            return false;
                    }
                });
                if (interrupted && !acceptInterrupted)
                    throw new NetlinkDumpInterruptedException();
            }
            catch (NetlinkException e)
            {
                Describe(e, request);
                throw;
            }
            return payloads;
        }
    }

    /// <summary>
    /// Feeds the messages of each datagram from the kernel (sender port 0) addressed to our port id to the handler
    /// until it reports completion. The deadline restarts whenever one of ours arrives, so a long dump that keeps
    /// making progress is not cut off while silence is.
    /// </summary>
    private void ReceiveUntil(CancellationToken cancellation, bool acknowledgementsOnly, MessageHandler handler)
    {
        var deadline = Deadline.After(timeout);
        while (true)
        {
            if (!transport.TryReceive(deadline, cancellation, acknowledgementsOnly, out var datagram, out var sender))
                throw new NetlinkTimeoutException(timeout);
            if (sender != 0)
                continue; // not the kernel: another process can send to our port id
            var reader = new MessageReader(datagram.Span);
            while (reader.TryRead(out var message))
            {
                if (message.PortId != transport.PortId)
                    continue;
                deadline = Deadline.After(timeout);
                if (handler(message))
                    return;
            }
        }
    }

    /// <summary>Each unanswered request of a batch gets its own error object, so each names its own operation.</summary>
    private NetlinkException Copy(NetlinkException error) => error switch
    {
        NetlinkTimeoutException => new NetlinkTimeoutException(timeout),
        NetlinkProtocolException => new NetlinkProtocolException(error.Detail ?? ""),
        _ => new NetlinkException(error.Errno, error.Detail, error.KernelMessage),
    };

    private uint Stamp(byte[] message)
    {
        var sequence = ++_lastSequence;
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(NetlinkHeader.SequenceOffset), sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(NetlinkHeader.PortIdOffset), 0);
        return sequence;
    }

    private static NetlinkException? Describe(NetlinkException? error, PendingRequest request)
    {
        if (error is not null)
        {
            if (error.Operation is null)
                (error.Operation, error.Kind) = (request.Describe(), request.Kind);
            error.SpecificHint ??= request.Hint?.Invoke(error);
        }
        return error;
    }

    public void Dispose() => transport.Dispose();
}
