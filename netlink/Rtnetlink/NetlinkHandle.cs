using Netlink.Rtnetlink;
using Netlink.Transport;

namespace Netlink;

/// <summary>
/// A connection to the kernel's routing netlink (rtnetlink) in one network namespace: links, addresses,
/// routes, events. Every call has a deadline, and every failure is a <see cref="NetlinkException"/> naming the
/// operation and object. Every call that waits takes a <see cref="CancellationToken"/>: cancelled, it throws
/// <see cref="OperationCanceledException"/> at once (a change it sent may still have been applied). Safe to share
/// between threads (calls are serialised). Dispose to close the socket: calls blocked in other threads, waits
/// included, then throw <see cref="ObjectDisposedException"/> at once.
/// </summary>
public sealed partial class NetlinkHandle : IDisposable
{
    /// <summary>How long a call waits for the kernel unless told otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many times a list operation runs a dump the kernel keeps interrupting (the table changed meanwhile),
    /// waiting 1, 2, 4, 8 and 16 ms between attempts so that a burst of changes can pass.
    /// </summary>
    public const int DumpAttempts = 6;

    private readonly NetlinkChannel _channel;
    private readonly Func<IReadOnlyCollection<uint>, INetlinkTransport> _openEventTransport;

    /// <summary>Cancelled by Dispose: a wait listens on a socket of its own, which the channel does not own.</summary>
    private readonly CancellationTokenSource _disposal = new();

    /// <summary>
    /// The namespace, held open from OpenInNamespace on: event sockets and waits are created in it later, and its
    /// path may by then be deleted or name another namespace. Null for the caller's namespace.
    /// </summary>
    private FileDescriptor? _namespace;

    internal NetlinkHandle(INetlinkTransport transport, TimeSpan timeout, Func<IReadOnlyCollection<uint>, INetlinkTransport> openEventTransport)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _channel = new NetlinkChannel(transport, timeout);
        _openEventTransport = openEventTransport;
        Timeout = timeout;
    }

    /// <summary>How long each call waits for the kernel.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>
    /// When the kernel interrupted all <see cref="DumpAttempts"/> runs of a dump, return the last one's result
    /// (possibly missing or repeating objects that changed meanwhile, as <c>ip</c> does with a warning) instead of
    /// throwing <see cref="NetlinkDumpInterruptedException"/>. Off by default.
    /// </summary>
    public bool AllowInconsistentDumps { get; set; }

    /// <summary>The path this handle's network namespace was opened by (it holds the namespace, not the path), or null for the caller's.</summary>
    public string? NamespacePath { get; private init; }

    /// <summary>Opens a handle in the calling thread's network namespace.</summary>
    /// <param name="timeout">Deadline for each call (positive: there is no infinite wait); <see cref="DefaultTimeout"/> when null.</param>
    public static NetlinkHandle Open(TimeSpan? timeout = null) => OpenIn(null, timeout);

    /// <summary>
    /// Opens a handle that operates in the network namespace at <paramref name="namespacePath"/> (e.g.
    /// <c>/run/netns/blue</c> or <c>/proc/1234/ns/net</c>). The calling thread stays where it is: a short-lived
    /// thread enters the namespace only to create the socket, which keeps that namespace for its lifetime.
    /// </summary>
    /// <param name="namespacePath">A network namespace file.</param>
    /// <param name="timeout">Deadline for each call; <see cref="DefaultTimeout"/> when null.</param>
    public static NetlinkHandle OpenInNamespace(string namespacePath, TimeSpan? timeout = null) =>
        OpenIn(namespacePath ?? throw new ArgumentNullException(nameof(namespacePath)), timeout);

    private static NetlinkHandle OpenIn(string? namespacePath, TimeSpan? timeout)
    {
        var deadline = timeout ?? DefaultTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(deadline, TimeSpan.Zero, nameof(timeout)); // before a socket exists to leak
        var networkNamespace = namespacePath is null ? null : NamespaceFile.Open(namespacePath);
        try
        {
            return new(NetlinkSocket.Open(networkNamespace, namespacePath, []), deadline,
                groups => NetlinkSocket.Open(networkNamespace, namespacePath, groups))
            {
                NamespacePath = namespacePath,
                _namespace = networkNamespace,
            };
        }
        catch
        {
            networkNamespace?.Dispose();
            throw;
        }
    }

    /// <summary>Starts a batch of address and route changes to send in one datagram.</summary>
    public NetlinkBatch CreateBatch() => new(this, _channel);

    /// <summary>Closes the socket; wakes calls blocked in other threads, which throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        _disposal.Cancel();
        _channel.Dispose();
        _namespace?.Dispose();
    }

    /// <summary>Runs a query and decodes its answer; a malformed answer is reported as a failure of that operation.</summary>
    private static T Described<T>(Func<string> describe, Func<T> run)
    {
        try
        {
            return run();
        }
        catch (NetlinkException e)
        {
            e.Operation ??= describe();
            throw;
        }
    }

    /// <summary>Decodes one message's payload; null for one the library does not model.</summary>
    private delegate T? PayloadDecoder<T>(ReadOnlySpan<byte> payload) where T : class;

    /// <summary>The payloads of a dump, decoded, that <paramref name="keep"/> accepts.</summary>
    private static List<T> Decode<T>(List<byte[]> payloads, PayloadDecoder<T> decode, Func<T, bool> keep)
        where T : class
    {
        var decoded = new List<T>(payloads.Count);
        foreach (var payload in payloads)
            if (decode(payload) is { } item && keep(item))
                decoded.Add(item);
        return decoded;
    }

    /// <summary>
    /// Re-runs a dump the kernel interrupted, backing off 1, 2, 4… ms between attempts; the last attempt's result
    /// is accepted as it is when <see cref="AllowInconsistentDumps"/> says so.
    /// </summary>
    private List<byte[]> DumpConsistently(Func<byte[]> build, ushort answerType, Func<string> describe, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var last = attempt == DumpAttempts;
                return _channel.Dump(new PendingRequest(build(), describe), answerType, acceptInterrupted: last && AllowInconsistentDumps, cancellationToken);
            }
            catch (NetlinkDumpInterruptedException) when (attempt < DumpAttempts)
            {
                if (cancellationToken.WaitHandle.WaitOne(1 << (attempt - 1)))
                    cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }
}
