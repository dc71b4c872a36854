using System.Runtime.InteropServices;
using Netlink.Interop;

namespace Netlink.Transport;

/// <summary>
/// An AF_NETLINK/NETLINK_ROUTE socket: close-on-exec, extended ACKs, capped ACKs and strict checking on,
/// every receive bounded by a deadline, sized with MSG_PEEK|MSG_TRUNC, EINTR retried.
/// </summary>
internal sealed unsafe class NetlinkSocket : INetlinkTransport
{
    private const int MinimumReceiveBuffer = 32 * 1024;
    private const int EventReceiveBuffer = 1024 * 1024;
    private int fd;
    private byte[] receiveBuffer = new byte[MinimumReceiveBuffer];

    private NetlinkSocket(int fd, uint portId)
    {
        this.fd = fd;
        PortId = portId;
    }

    public uint PortId { get; }

    /// <summary>
    /// Opens a socket joined to <paramref name="groups"/> (none for a request socket). With a namespace path the
    /// socket is created by a short-lived thread that enters that namespace, so the caller's thread never moves;
    /// a socket keeps the namespace it was created in.
    /// </summary>
    internal static NetlinkSocket Open(string? namespacePath, IReadOnlyCollection<uint> groups)
    {
        if (namespacePath is null)
            return Open(groups);
        NetlinkSocket? opened = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var namespaceFd = NamespaceFile.Open(namespacePath);
                if (Libc.setns(namespaceFd.Fd, Libc.CLONE_NEWNET) < 0)
                    throw new NetlinkException(Marshal.GetLastPInvokeError()) { Operation = $"enter network namespace {namespacePath}" };
                opened = Open(groups);
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        return opened ?? throw failure!;
    }

    private static NetlinkSocket Open(IReadOnlyCollection<uint> groups)
    {
        var fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.NETLINK_ROUTE);
        if (fd < 0)
            throw Failure("open netlink socket");
        try
        {
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
            return new NetlinkSocket(fd, address.PortId);
        }
        catch
        {
            Libc.close(fd);
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
        ObjectDisposedException.ThrowIf(fd < 0, this);
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

    public bool TryReceive(long deadline, out ReadOnlyMemory<byte> datagram, out uint senderPortId)
    {
        ObjectDisposedException.ThrowIf(fd < 0, this);
        datagram = default;
        senderPortId = 0;
        while (WaitReadable(deadline))
        {
            var pending = ReceiveInto(null, 0, Libc.MSG_PEEK | Libc.MSG_TRUNC, out _, out _);
            if (pending < 0)
                continue; // EAGAIN/EINTR: poll again
            if (pending > receiveBuffer.Length)
                receiveBuffer = new byte[pending];
            fixed (byte* buffer = receiveBuffer)
            {
                var length = ReceiveInto(buffer, receiveBuffer.Length, 0, out senderPortId, out var flags);
                if (length < 0)
                    continue;
                if ((flags & Libc.MSG_TRUNC) != 0)
                    throw new NetlinkProtocolException($"a datagram did not fit the {receiveBuffer.Length}-byte buffer (MSG_TRUNC)");
                datagram = receiveBuffer.AsMemory(0, length);
                return true;
            }
        }
        return false;
    }

    /// <summary>recvmsg without blocking; returns -1 for EAGAIN/EINTR, throws on real errors (e.g. ENOBUFS).</summary>
    private int ReceiveInto(byte* buffer, int capacity, int flags, out uint senderPortId, out int resultFlags)
    {
        var sender = new Libc.SockaddrNl();
        var vector = new Libc.IoVec { Base = buffer, Length = (nuint)capacity };
        var message = new Libc.MsgHdr { Name = &sender, NameLength = (uint)sizeof(Libc.SockaddrNl), Iov = &vector, IovLength = 1 };
        var received = Libc.recvmsg(fd, &message, flags | Libc.MSG_DONTWAIT);
        senderPortId = sender.PortId;
        resultFlags = message.Flags;
        if (received >= 0)
            return (int)received;
        var errno = Marshal.GetLastPInvokeError();
        return errno is Errno.EINTR or Errno.EAGAIN ? -1 : throw new NetlinkException(errno, "receiving failed");
    }

    private bool WaitReadable(long deadline)
    {
        while (true)
        {
            var remaining = deadline - Environment.TickCount64;
            if (remaining <= 0)
                return false;
            var poll = new Libc.PollFd { Fd = fd, Events = Libc.POLLIN };
            var ready = Libc.poll(&poll, 1, (int)Math.Min(remaining, int.MaxValue));
            if (ready > 0)
                return true;
            var errno = ready < 0 ? Marshal.GetLastPInvokeError() : 0;
            if (ready < 0 && errno != Errno.EINTR)
                throw new NetlinkException(errno, "waiting for the reply failed");
        }
    }

    private static NetlinkException Failure(string operation) =>
        new(Marshal.GetLastPInvokeError()) { Operation = operation };

    public void Dispose()
    {
        var old = Interlocked.Exchange(ref fd, -1);
        if (old >= 0)
            Libc.close(old);
    }
}
