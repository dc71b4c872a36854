using System.Net.Sockets;
using Netlink.Rtnetlink;
using Netlink.Transport;

namespace Netlink;

public sealed partial class NetlinkHandle
{
    /// <summary>
    /// Adds an address to a link (NLM_F_EXCL: EEXIST if it is already there). IPv4 gets its broadcast address
    /// automatically below /31 unless <see cref="InterfaceAddress.Broadcast"/> is set.
    /// </summary>
    public void AddAddress(LinkRef link, InterfaceAddress address, CancellationToken cancellationToken = default) =>
        _channel.Execute(AddressRequest(link, address, Change.Add, cancellationToken), cancellationToken);

    /// <summary>Adds an address, or updates it (flags, lifetimes, broadcast) if the link already has it: the idempotent form.</summary>
    public void ReplaceAddress(LinkRef link, InterfaceAddress address, CancellationToken cancellationToken = default) =>
        _channel.Execute(AddressRequest(link, address, Change.Replace, cancellationToken), cancellationToken);

    /// <summary>Removes an address from a link (EADDRNOTAVAIL when it is not there).</summary>
    public void DeleteAddress(LinkRef link, InterfaceAddress address, CancellationToken cancellationToken = default) =>
        _channel.Execute(AddressRequest(link, address, Change.Delete, cancellationToken), cancellationToken);

    /// <summary>Lists addresses, optionally only those of one link and/or one family.</summary>
    public IReadOnlyList<InterfaceAddress> ListAddresses(LinkRef? link = null, AddressFamily? family = null, CancellationToken cancellationToken = default)
    {
        var index = link is { } named ? IndexOf(named, cancellationToken) : 0;
        Func<string> describe = () => link is null ? "list addresses" : $"{link}: list addresses";
        // The kernel filters already when strict checking is on; older kernels ignore the filter.
        return Described(describe, () => Decode(DumpConsistently(() => AddressMessages.Dump(family, index), Rtnl.NewAddress, describe, cancellationToken),
            AddressMessages.Decode,
            address => (index == 0 || address.LinkIndex == index) && (family is null || address.Family == family)));
    }

    internal PendingRequest AddressRequest(LinkRef link, InterfaceAddress address, Change change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        var index = IndexOf(link, cancellationToken);
        var request = change == Change.Delete ? AddressMessages.Delete(index, address) : AddressMessages.Add(index, address, replace: change == Change.Replace);
        return new PendingRequest(request, () => $"{Label(link)}: {change.ToString().ToLowerInvariant()} address {address}",
            Kind: change.Kind());
    }
}
