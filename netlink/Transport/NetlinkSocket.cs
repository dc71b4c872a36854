using System.Runtime.InteropServices;
using Netlink.Interop;

namespace Netlink.Transport;

/// <summary>
/// An AF_NETLINK/NETLINK_ROUTE socket: close-on-exec, extended ACKs, capped ACKs and strict checking on,
/// every receive bounded by a deadline and a <see cref="CancellationToken"/>, sized with MSG_PEEK|MSG_TRUNC (except
/// ACKs, which always fit), EINTR retried. A receive that finds nothing queued polls the socket and a
/// <see cref="Wakeup"/> beside it, so cancelling its token or disposing the socket from another thread ends it at once.
/// </summary>
internal sealed unsafe class NetlinkSocket : INetlinkTransport
{
    private const int MinimumReceiveBuffer = 32 * 1024;
    private const int EventReceiveBuffer = 1024 * 1024;
    private readonly FileDescriptor _socket;
    private readonly Wakeup _wakeup;
    private int _disposed;
    // Uninitialized: only the bytes a receive wrote are ever read, and zeroing 32 KB cost more than a request.
    private byte[] _receiveBuffer = GC.AllocateUninitializedArray<byte>(MinimumReceiveBuffer);

    private NetlinkSocket(FileDescriptor socket, Wakeup wakeup, uint portId)
    {
        _socket = socket;
        _wakeup = wakeup;
        PortId = portId;
    }

    public uint PortId { get; }

    /// <summary>
    /// Opens a socket joined to <paramref name="groups"/> (none for a request socket). With a namespace descriptor
    /// the socket is created by a short-lived thread that enters that namespace, so the caller's thread never
    /// moves; a socket keeps the namespace it was created in. The descriptor, not a path, names the namespace: a
    /// path can be deleted or re-created for another namespace meanwhile.
    /// </summary>
    internal static NetlinkSocket Open(FileDescriptor? networkNamespace, string? namespaceLabel, IReadOnlyCollection<uint> groups) =>
        NamespaceFile.RunIn(networkNamespace, namespaceLabel, () => Open(groups));

    private static NetlinkSocket Open(IReadOnlyCollection<uint> groups)
    {
        var socket = FileDescriptor.Own(Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.NETLINK_ROUTE), "open netlink socket");
        try
        {
            var fd = socket.Number; // not yet shared: no other thread can dispose it
            EnableIfSupported(fd, Libc.NETLINK_EXT_ACK);
            EnableIfSupported(fd, Libc.NETLINK_CAP_ACK);
            EnableIfSupported(fd, Libc.NETLINK_GET_STRICT_CHK);
            var address = new Libc.SockaddrNl { Family = Libc.AF_NETLINK };
            if (Libc.bind(fd, &address, (uint)sizeof(Libc.SockaddrNl)) < 0)
                throw Failure("bind netlink socket");
            if (groups.Count > 0)
                JoinGroups(fd, groups);
            var length = (uint)sizeof(Libc.SockaddrNl);
            if (Libc.getsockname(fd, &address, &length) < 0)
                throw Failure("read netlink port id");
            return new NetlinkSocket(socket, new Wakeup(), address.PortId);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static void EnableIfSupported(int fd, int option)
    {
        var one = 1;
        if (Libc.setsockopt(fd, Libc.SOL_NETLINK, option, &one, sizeof(int)) < 0 && Marshal.GetLastPInvokeError() != Errno.ENOPROTOOPT)
            throw Failure($"enable netlink socket option {option}");
    }

    /// <summary>ADD_MEMBERSHIP works for every group number, unlike the 32-bit bind mask; a bigger buffer makes loss rarer.</summary>
    private static void JoinGroups(int fd, IReadOnlyCollection<uint> groups)
    {
        foreach (var group in groups)
        {
            var value = group;
            if (Libc.setsockopt(fd, Libc.SOL_NETLINK, Libc.NETLINK_ADD_MEMBERSHIP, &value, sizeof(uint)) < 0)
                throw Failure($"join netlink group {group}");
        }
        var size = EventReceiveBuffer;
        Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, &size, sizeof(int)); // best effort: loss is reported anyway
    }

    public void Send(ReadOnlySpan<byte> datagram)
    {
        var added = false;
        try
        {
            AddRef(_socket, ref added);
            SendTo(_socket.Number, datagram);
        }
        finally
        {
            if (added)
                _socket.DangerousRelease();
        }
    }

    private static void SendTo(int fd, ReadOnlySpan<byte> datagram)
    {
        var kernel = new Libc.SockaddrNl { Family = Libc.AF_NETLINK };
        fixed (byte* bytes = datagram)
        {
            while (true)
            {
                var sent = Libc.sendto(fd, bytes, (nuint)datagram.Length, 0, &kernel, (uint)sizeof(Libc.SockaddrNl));
                if (sent == datagram.Length)
                    return;
                if (sent >= 0)
                    throw new NetlinkProtocolException($"the kernel accepted {sent} of {datagram.Length} bytes");
                var errno = Marshal.GetLastPInvokeError();
                if (errno != Errno.EINTR)
                    throw new NetlinkException(errno, "sending the request failed");
            }
        }
    }

    public bool TryReceive(long deadline, CancellationToken cancellation, bool acknowledgementsOnly, out ReadOnlyMemory<byte> datagram, out uint senderPortId)
    {
        datagram = default;
        senderPortId = 0;
        bool socketAdded = false, wakeupAdded = false;
        try
        {
            AddRef(_socket, ref socketAdded);
            AddRef(_wakeup.Descriptor, ref wakeupAdded);
            // Registered only for a token that can fire: the common uncancellable call allocates nothing.
            using var registration = cancellation.CanBeCanceled
                ? cancellation.UnsafeRegister(static state => ((Wakeup)state!).Signal(), _wakeup)
                : default;
            // The kernel answers a request inside sendto, and a batch's ACKs queue up: the next datagram is usually
            // there already, so poll only when none is (a syscall less per datagram).
            while (true)
            {
                ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
                cancellation.ThrowIfCancellationRequested();
                // An ACK always fits the buffer; anything else is sized first: a link with many VFs outgrows any fixed buffer.
                var pending = acknowledgementsOnly ? _receiveBuffer.Length : ReceiveInto(null, 0, Libc.MSG_PEEK | Libc.MSG_TRUNC, out _, out _);
                if (pending < 0)
                {
                    if (!WaitReadable(deadline, cancellation))
                        return false;
                    continue; // readable now (or EINTR): look again
                }
                if (pending > _receiveBuffer.Length)
                    _receiveBuffer = GC.AllocateUninitializedArray<byte>(pending);
                fixed (byte* buffer = _receiveBuffer)
                {
                    var length = ReceiveInto(buffer, _receiveBuffer.Length, 0, out senderPortId, out var flags);
                    if (length < 0)
                    {
                        if (!WaitReadable(deadline, cancellation))
                            return false;
                        continue;
                    }
                    if ((flags & Libc.MSG_TRUNC) != 0)
                    {
                        if (acknowledgementsOnly)
                            continue; // bigger than any acknowledgement: a late answer to an earlier query, dropped
                        throw new NetlinkProtocolException($"a datagram did not fit the {_receiveBuffer.Length}-byte buffer (MSG_TRUNC)");
                    }
                    datagram = _receiveBuffer.AsMemory(0, length);
                    return true;
                }
            }
        }
        finally
        {
            if (wakeupAdded)
                _wakeup.Descriptor.DangerousRelease();
            if (socketAdded)
                _socket.DangerousRelease();
        }
    }

    /// <summary>recvmsg without blocking; returns -1 for EAGAIN/EINTR, throws on real errors (e.g. ENOBUFS).</summary>
    private int ReceiveInto(byte* buffer, int capacity, int flags, out uint senderPortId, out int resultFlags)
    {
        var sender = new Libc.SockaddrNl();
        var vector = new Libc.IoVec { Base = buffer, Length = (nuint)capacity };
        var message = new Libc.MsgHdr { Name = &sender, NameLength = (uint)sizeof(Libc.SockaddrNl), Iov = &vector, IovLength = 1 };
        var received = Libc.recvmsg(_socket.Number, &message, flags | Libc.MSG_DONTWAIT);
        senderPortId = sender.PortId;
        resultFlags = message.Flags;
        if (received >= 0)
            return (int)received;
        var errno = Marshal.GetLastPInvokeError();
        return errno is Errno.EINTR or Errno.EAGAIN ? -1 : throw new NetlinkException(errno, "receiving failed");
    }

    /// <summary>
    /// Polls the socket and the wake-up until one is ready or the deadline passes (false). Disposal throws
    /// <see cref="ObjectDisposedException"/>, cancellation <see cref="OperationCanceledException"/>; both are
    /// checked before every poll, and a wake-up left by an earlier call is drained and the wait goes on.
    /// </summary>
    private bool WaitReadable(long deadline, CancellationToken cancellation)
    {
        var fds = stackalloc Libc.PollFd[2];
        while (true)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            cancellation.ThrowIfCancellationRequested();
            var remaining = deadline - Environment.TickCount64;
            if (remaining <= 0)
                return false;
            fds[0] = new Libc.PollFd { Fd = _socket.Number, Events = Libc.POLLIN };
            fds[1] = new Libc.PollFd { Fd = _wakeup.Descriptor.Number, Events = Libc.POLLIN };
            var ready = Libc.poll(fds, 2, (int)Math.Min(remaining, int.MaxValue));
            if (ready < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno != Errno.EINTR)
                    throw new NetlinkException(errno, "waiting for the reply failed");
            }
            else if (fds[1].Revents != 0)
                _wakeup.Drain(); // the checks above say why it woke (Dispose and Cancel set their state before signalling)
            else if (fds[0].Revents != 0)
                return true; // POLLERR too: recvmsg then reports the socket's error (ENOBUFS)
        }
    }

    /// <summary>A reference for the duration of a call; <see cref="ObjectDisposedException"/> naming this socket once disposed.</summary>
    private void AddRef(FileDescriptor descriptor, ref bool added)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        try
        {
            descriptor.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            throw new ObjectDisposedException(GetType().FullName); // disposed between the check and here
        }
    }

    private static NetlinkException Failure(string operation) =>
        new(Marshal.GetLastPInvokeError()) { Operation = operation };

    /// <summary>
    /// Wakes a receive blocked in another thread (it throws <see cref="ObjectDisposedException"/>) and closes the
    /// socket; the descriptors are closed once the last call using them has returned.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _wakeup.Signal();
        _socket.Dispose();
        _wakeup.Dispose();
    }
}
