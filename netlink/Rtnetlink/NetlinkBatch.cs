using Netlink.Rtnetlink;
using Netlink.Transport;

namespace Netlink;

/// <summary>
/// Address and route changes collected and sent to the kernel in one datagram, for bulk work such as converging
/// many addresses and routes. The kernel applies each independently; <see cref="Execute"/> reports every failure.
/// Link names are resolved when a change is added.
/// </summary>
public sealed class NetlinkBatch
{
    private const int RequestsPerDatagram = 256;
    private readonly NetlinkHandle _handle;
    private readonly NetlinkChannel _channel;
    private readonly List<PendingRequest> _requests = [];

    internal NetlinkBatch(NetlinkHandle handle, NetlinkChannel channel)
    {
        _handle = handle;
        _channel = channel;
    }

    /// <summary>How many changes are queued.</summary>
    public int Count => _requests.Count;

    /// <summary>Queues <see cref="NetlinkHandle.AddAddress"/>.</summary>
    /// <param name="link">Resolved now when named (a query to the kernel).</param>
    /// <param name="address">The address.</param>
    /// <param name="cancellationToken">Cancels resolving the link's name.</param>
    public NetlinkBatch AddAddress(LinkRef link, InterfaceAddress address, CancellationToken cancellationToken = default) =>
        Queue(_handle.AddressRequest(link, address, Change.Add, cancellationToken));

    /// <summary>Queues <see cref="NetlinkHandle.ReplaceAddress"/>.</summary>
    /// <param name="link">Resolved now when named (a query to the kernel).</param>
    /// <param name="address">The address.</param>
    /// <param name="cancellationToken">Cancels resolving the link's name.</param>
    public NetlinkBatch ReplaceAddress(LinkRef link, InterfaceAddress address, CancellationToken cancellationToken = default) =>
        Queue(_handle.AddressRequest(link, address, Change.Replace, cancellationToken));

    /// <summary>Queues <see cref="NetlinkHandle.DeleteAddress"/>.</summary>
    /// <param name="link">Resolved now when named (a query to the kernel).</param>
    /// <param name="address">The address.</param>
    /// <param name="cancellationToken">Cancels resolving the link's name.</param>
    public NetlinkBatch DeleteAddress(LinkRef link, InterfaceAddress address, CancellationToken cancellationToken = default) =>
        Queue(_handle.AddressRequest(link, address, Change.Delete, cancellationToken));

    /// <summary>Queues <see cref="NetlinkHandle.AddRoute"/>.</summary>
    public NetlinkBatch AddRoute(Route route) => Queue(_handle.RouteRequest(route, Change.Add));

    /// <summary>Queues <see cref="NetlinkHandle.ReplaceRoute"/>.</summary>
    public NetlinkBatch ReplaceRoute(Route route) => Queue(_handle.RouteRequest(route, Change.Replace));

    /// <summary>Queues <see cref="NetlinkHandle.DeleteRoute"/>.</summary>
    public NetlinkBatch DeleteRoute(Route route) => Queue(_handle.RouteRequest(route, Change.Delete));

    /// <summary>
    /// Sends everything queued in one datagram and waits for every acknowledgement. Returns the failures, in
    /// queue order, each naming its operation; empty when all succeeded. The batch is empty afterwards. A cancelled
    /// token throws <see cref="OperationCanceledException"/>: chunks already sent may have been applied.
    /// </summary>
    public IReadOnlyList<NetlinkException> Execute(CancellationToken cancellationToken = default)
    {
        if (_requests.Count == 0)
            return [];
        // Each request earns an ACK in our receive buffer; chunks keep a huge batch from overflowing it (ENOBUFS).
        var failures = new List<NetlinkException>();
        for (var start = 0; start < _requests.Count; start += RequestsPerDatagram)
            foreach (var failure in _channel.ExecuteBatch(_requests.GetRange(start, Math.Min(RequestsPerDatagram, _requests.Count - start)), cancellationToken))
                if (failure is not null)
                    failures.Add(failure);
        _requests.Clear();
        return failures;
    }

    private NetlinkBatch Queue(PendingRequest request)
    {
        _requests.Add(request);
        return this;
    }
}
