using System.Net;
using Netlink.Transport;

namespace Netlink;

public sealed partial class NetlinkHandle
{
    /// <summary>Subscribes to notifications in this handle's namespace; at least one group.</summary>
    public NetlinkEvents SubscribeEvents(EventGroups groups)
    {
        var numbers = NetlinkEvents.GroupNumbers(groups);
        if (numbers.Length == 0)
            throw new ArgumentException($"no event group in {groups}: a subscription would never receive anything", nameof(groups));
        ObjectDisposedException.ThrowIf(_disposal.IsCancellationRequested, this); // the socket is new: nothing else would notice
        return new(_openEventTransport(numbers));
    }

    /// <summary>
    /// Waits until a link has carrier (IFF_LOWER_UP); throws <see cref="NetlinkTimeoutException"/> at the deadline,
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    /// <param name="link">The link.</param>
    /// <param name="timeout">How long to wait; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for no limit.</param>
    /// <param name="cancellationToken">Ends the wait at once.</param>
    public Link WaitForCarrier(LinkRef link, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitFor(EventGroups.Links, timeout, () => $"{link}: wait for carrier", cancelled =>
        {
            var current = GetLink(link, cancelled);
            return current.HasCarrier ? current : null;
        }, cancellationToken);

    /// <summary>
    /// Waits until an address on a link has finished duplicate address detection (no longer tentative), so it
    /// can be a route's source. Throws EADDRNOTAVAIL when DAD fails or the address is not on the link,
    /// <see cref="NetlinkTimeoutException"/> at the deadline and <see cref="OperationCanceledException"/> when
    /// <paramref name="cancellationToken"/> is cancelled. Addresses added with NoDad are ready at once.
    /// </summary>
    /// <param name="link">The link.</param>
    /// <param name="address">The address, as added.</param>
    /// <param name="timeout">How long to wait; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for no limit.</param>
    /// <param name="cancellationToken">Ends the wait at once.</param>
    public InterfaceAddress WaitForAddressReady(LinkRef link, IPAddress address, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        var wanted = Wire.IPBytes.Normalize(address);
        return WaitFor(EventGroups.Addresses, timeout, () => $"{link}: wait for address {address} to finish DAD", cancelled =>
        {
            var current = ListAddresses(link, cancellationToken: cancelled).FirstOrDefault(a => a.Address.Equals(wanted))
                ?? throw new NetlinkException(Errno.EADDRNOTAVAIL, "the address is not on the link") { Operation = $"{link}: wait for address {address}" };
            if (current.IsDadFailed)
                throw new NetlinkException(Errno.EADDRNOTAVAIL, "duplicate address detection failed: another host uses it") { Operation = $"{link}: wait for address {address}" };
            return current.IsTentative ? null : current;
        }, cancellationToken);
    }

    /// <summary>
    /// Subscribes first, then checks the current state, then re-checks after every notification (or loss of
    /// them), so no change between check and wait can be missed. The wait's own socket is not the channel's, so
    /// the handle's Dispose reaches it through a token linked with the caller's.
    /// </summary>
    private T WaitFor<T>(EventGroups groups, TimeSpan timeout, Func<string> describe, Func<CancellationToken, T?> check, CancellationToken cancellationToken)
        where T : class =>
        Described(describe, () =>
        {
            using var cancelled = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposal.Token);
            try
            {
                using var events = SubscribeEvents(groups);
                var deadline = Deadline.After(timeout);
                while (true)
                {
                    if (check(cancelled.Token) is { } done)
                        return done;
                    var remaining = deadline - Environment.TickCount64;
                    if (remaining <= 0 || (events.Read(Remaining(deadline), cancelled.Token) is null && Environment.TickCount64 >= deadline))
                        throw new NetlinkTimeoutException(timeout);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ObjectDisposedException(nameof(NetlinkHandle)); // only Dispose cancels the other token
            }
        });

    private static TimeSpan Remaining(long deadline) => deadline == long.MaxValue
        ? System.Threading.Timeout.InfiniteTimeSpan
        : TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64));
}
