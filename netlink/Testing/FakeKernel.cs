using Netlink.Transport;
using Netlink.Wire;

namespace Netlink.Testing;

/// <summary>
/// An in-memory kernel for unit tests of code that uses <see cref="NetlinkHandle"/>: no root, no namespace, no
/// socket. <see cref="Open"/> gives a real handle (the same typed API, errors and deadlines) whose requests go to
/// <see cref="Respond"/>, a function from each request message to the replies the handle receives next; an empty
/// answer is silence until the handle's deadline. <see cref="Notify"/> sends events to the subscriptions open at
/// that moment, as the kernel does. Thread-safe: a test may notify or dispose while a call waits.
/// </summary>
/// <example>
/// <code>
/// var kernel = new FakeKernel(request => request.Type == MessageType.GetRoute
///     ? KernelReply.Dump(request, [KernelReply.Route(new Route(Route.DefaultIPv4) { OutputLinkIndex = 2 })])
///     : [KernelReply.Error(request, Errno.EPERM, "not in this test")]);
/// using var handle = kernel.Open();
/// var routes = handle.ListRoutes();
/// </code>
/// </example>
public sealed class FakeKernel
{
    /// <summary>The port id every handle of a fake kernel has: answers are addressed to it (see <see cref="KernelReply.AnswerTo"/>).</summary>
    public const uint PortId = 0x4242;

    private readonly Lock _gate = new();
    private readonly List<KernelRequest> _requests = [];
    private readonly List<FakeSocket> _subscriptions = [];
    private int _datagrams;
    private int _openHandles;

    /// <summary>A kernel that answers with <paramref name="respond"/>, or is silent.</summary>
    public FakeKernel(Func<KernelRequest, IEnumerable<KernelReply>>? respond = null) => Respond = respond ?? (_ => []);

    /// <summary>
    /// Answers one request message; may be replaced between calls. Called on the thread that sends, inside the
    /// handle's call: it may <see cref="Notify"/>, but must not call the handle itself.
    /// </summary>
    public Func<KernelRequest, IEnumerable<KernelReply>> Respond { get; set; }

    /// <summary>Every request message received so far, in order.</summary>
    public IReadOnlyList<KernelRequest> Requests
    {
        get
        {
            lock (_gate)
                return [.. _requests];
        }
    }

    /// <summary>How many event subscriptions (<see cref="NetlinkHandle.SubscribeEvents"/>, waits) are open now.</summary>
    public int Subscriptions
    {
        get
        {
            lock (_gate)
                return _subscriptions.Count;
        }
    }

    /// <summary>How many handles <see cref="Open"/> gave are not disposed yet.</summary>
    public int OpenHandles
    {
        get
        {
            lock (_gate)
                return _openHandles;
        }
    }

    /// <summary>A handle connected to this kernel.</summary>
    /// <param name="timeout">Deadline for each call; <see cref="NetlinkHandle.DefaultTimeout"/> when null.</param>
    public NetlinkHandle Open(TimeSpan? timeout = null)
    {
        var handle = new NetlinkHandle(new FakeSocket(this, isSubscription: false), timeout ?? NetlinkHandle.DefaultTimeout, _ => Subscribe());
        lock (_gate)
            _openHandles++;
        return handle;
    }

    /// <summary>Sends a notification (e.g. <c>KernelReply.Link(link)</c>) to every subscription open now.</summary>
    public void Notify(KernelReply notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        lock (_gate)
        {
            foreach (var subscription in _subscriptions)
                subscription.Deliver([notification]);
        }
    }

    private FakeSocket Subscribe()
    {
        var socket = new FakeSocket(this, isSubscription: true);
        lock (_gate)
            _subscriptions.Add(socket);
        return socket;
    }

    /// <summary>Records each message of a datagram and answers it.</summary>
    private void Receive(FakeSocket socket, ReadOnlySpan<byte> datagram)
    {
        var messages = new List<KernelRequest>();
        lock (_gate)
        {
            var number = ++_datagrams;
            var reader = new MessageReader(datagram);
            var offset = 0;
            while (reader.TryRead(out var message))
            {
                var length = NetlinkHeader.Align(NetlinkHeader.Size + message.Payload.Length);
                messages.Add(new KernelRequest(message, datagram.Slice(offset, Math.Min(length, datagram.Length - offset)), number));
                offset += length;
            }
            _requests.AddRange(messages);
        }
        foreach (var request in messages)
            socket.Deliver(Respond(request));
    }

    private void Closed(FakeSocket socket)
    {
        lock (_gate)
        {
            if (!_subscriptions.Remove(socket))
                _openHandles--;
        }
    }

    /// <summary>One socket of a handle: a queue of replies, and a receive that waits for one, a deadline, a token or Dispose.</summary>
    private sealed class FakeSocket(FakeKernel kernel, bool isSubscription) : INetlinkTransport
    {
        private readonly Queue<KernelReply> _incoming = new();
        private bool _disposed;

        public uint PortId => FakeKernel.PortId;

        public void Send(ReadOnlySpan<byte> datagram)
        {
            lock (_incoming)
                ObjectDisposedException.ThrowIf(_disposed, this);
            if (isSubscription)
                throw new InvalidOperationException("an event subscription sends nothing");
            kernel.Receive(this, datagram);
        }

        internal void Deliver(IEnumerable<KernelReply> replies)
        {
            lock (_incoming)
            {
                foreach (var reply in replies)
                    _incoming.Enqueue(reply ?? throw new InvalidOperationException("a fake kernel's answer holds a null reply"));
                Monitor.PulseAll(_incoming);
            }
        }

        public bool TryReceive(long deadline, CancellationToken cancellation, bool acknowledgementsOnly, out ReadOnlyMemory<byte> datagram, out uint senderPortId)
        {
            using var registration = cancellation.UnsafeRegister(static state => Wake((Queue<KernelReply>)state!), _incoming);
            lock (_incoming)
            {
                while (true)
                {
                    ObjectDisposedException.ThrowIf(_disposed, this);
                    cancellation.ThrowIfCancellationRequested();
                    if (_incoming.TryDequeue(out var reply))
                    {
                        if (reply.Errno != 0)
                            throw new NetlinkException(reply.Errno, "receiving failed");
                        (datagram, senderPortId) = (reply.Bytes, reply.SenderPortId);
                        return true;
                    }
                    var remaining = deadline - Environment.TickCount64;
                    if (remaining <= 0)
                    {
                        (datagram, senderPortId) = (default, 0);
                        return false;
                    }
                    Monitor.Wait(_incoming, (int)Math.Min(remaining, int.MaxValue));
                }
            }
        }

        private static void Wake(Queue<KernelReply> incoming)
        {
            lock (incoming)
                Monitor.PulseAll(incoming);
        }

        public void Dispose()
        {
            lock (_incoming)
            {
                if (_disposed)
                    return;
                _disposed = true;
                Monitor.PulseAll(_incoming);
            }
            kernel.Closed(this);
        }
    }
}
