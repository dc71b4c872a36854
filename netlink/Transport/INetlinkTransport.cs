namespace Netlink.Transport;

/// <summary>
/// The seam between the protocol logic and the kernel: datagrams in and out. <see cref="NetlinkSocket"/> is the
/// real one; tests substitute an in-memory kernel to produce what the real one will not on demand.
/// </summary>
internal interface INetlinkTransport : IDisposable
{
    /// <summary>Our port id as the kernel assigned it (nl_pid from getsockname).</summary>
    uint PortId { get; }

    void Send(ReadOnlySpan<byte> datagram);

    /// <summary>
    /// Waits until <paramref name="deadline"/> (<see cref="Environment.TickCount64"/> milliseconds) for one datagram.
    /// Returns false on timeout. Errors the socket reports (e.g. ENOBUFS) are thrown as <see cref="NetlinkException"/>;
    /// a cancelled token as <see cref="OperationCanceledException"/>, a Dispose from another thread as
    /// <see cref="ObjectDisposedException"/>, both at once. With <paramref name="acknowledgementsOnly"/> the caller
    /// waits for ACKs, which are small: a datagram too big for the buffer may be dropped instead of sized first.
    /// </summary>
    bool TryReceive(long deadline, CancellationToken cancellation, bool acknowledgementsOnly, out ReadOnlyMemory<byte> datagram, out uint senderPortId);
}
