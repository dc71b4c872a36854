using System.Net;
using Netlink.Transport;

namespace Netlink;

public sealed partial class NetlinkHandle
{
    /// <summary>Subscribes to notifications in this handle's namespace.</summary>
    public NetlinkEvents SubscribeEvents(EventGroups groups) => new(openEventTransport(NetlinkEvents.GroupNumbers(groups)));

    /// <summary>Waits until a link has carrier (IFF_LOWER_UP); throws <see cref="NetlinkTimeoutException"/> at the deadline.</summary>
    public Link WaitForCarrier(LinkRef link, TimeSpan timeout) =>
        WaitFor(EventGroups.Links, timeout, () => $"{link}: wait for carrier", () =>
        {
            var current = GetLink(link);
            return current.HasCarrier ? current : null;
        });

    /// <summary>
    /// Waits until an address on a link has finished duplicate address detection (no longer tentative), so it
    /// can be a route's source. Throws EADDRNOTAVAIL when DAD fails or the address is not on the link, and
    /// <see cref="NetlinkTimeoutException"/> at the deadline. Addresses added with NoDad are ready at once.
    /// </summary>
    public InterfaceAddress WaitForAddressReady(LinkRef link, IPAddress address, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(address);
        var wanted = Wire.IPBytes.Normalize(address);
        return WaitFor(EventGroups.Addresses, timeout, () => $"{link}: wait for address {address} to finish DAD", () =>
        {
            var current = ListAddresses(link).FirstOrDefault(a => a.Address.Equals(wanted))
                ?? throw new NetlinkException(Errno.EADDRNOTAVAIL, "the address is not on the link") { Operation = $"{link}: wait for address {address}" };
            if (current.IsDadFailed)
                throw new NetlinkException(Errno.EADDRNOTAVAIL, "duplicate address detection failed: another host uses it") { Operation = $"{link}: wait for address {address}" };
            return current.IsTentative ? null : current;
        });
    }

    /// <summary>
    /// Subscribes first, then checks the current state, then re-checks after every notification (or loss of
    /// them), so no change between check and wait can be missed.
    /// </summary>
    private T WaitFor<T>(EventGroups groups, TimeSpan timeout, Func<string> describe, Func<T?> check) where T : class =>
        Described(describe, () =>
        {
            using var events = SubscribeEvents(groups);
            var deadline = Deadline.After(timeout);
            while (true)
            {
                if (check() is { } done)
                    return done;
                var remaining = deadline - Environment.TickCount64;
                if (remaining <= 0 || (events.Read(TimeSpan.FromMilliseconds(Math.Min(remaining, int.MaxValue))) is null && Environment.TickCount64 >= deadline))
                    throw new NetlinkTimeoutException(timeout);
            }
        });
}
