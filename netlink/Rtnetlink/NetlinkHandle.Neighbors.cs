using System.Net.Sockets;
using Netlink.Rtnetlink;
using Netlink.Transport;

namespace Netlink;

public sealed partial class NetlinkHandle
{
    /// <summary>Adds a neighbour or proxy entry on a link (NLM_F_EXCL: EEXIST if the link has an entry for that address).</summary>
    public void AddNeighbor(LinkRef link, Neighbor neighbor, CancellationToken cancellationToken = default) =>
        _channel.Execute(NeighborRequest(link, neighbor, Change.Add, cancellationToken), cancellationToken);

    /// <summary>Adds a neighbour or proxy entry, or overwrites the link's entry for that address: the idempotent form.</summary>
    public void ReplaceNeighbor(LinkRef link, Neighbor neighbor, CancellationToken cancellationToken = default) =>
        _channel.Execute(NeighborRequest(link, neighbor, Change.Replace, cancellationToken), cancellationToken);

    /// <summary>Deletes the link's entry (or, with <see cref="Neighbor.IsProxy"/>, proxy entry) for the neighbour's address (ENOENT when there is none).</summary>
    public void DeleteNeighbor(LinkRef link, Neighbor neighbor, CancellationToken cancellationToken = default) =>
        _channel.Execute(NeighborRequest(link, neighbor, Change.Delete, cancellationToken), cancellationToken);

    /// <summary>
    /// Lists the neighbour cache (all states, NOARP entries included), or with <paramref name="proxies"/> the
    /// proxy entries instead, optionally only of one link and/or one family.
    /// </summary>
    public IReadOnlyList<Neighbor> ListNeighbors(LinkRef? link = null, AddressFamily? family = null, bool proxies = false,
        CancellationToken cancellationToken = default)
    {
        var index = link is { } named ? IndexOf(named, cancellationToken) : 0;
        Func<string> describe = () => (link is null ? "" : $"{link}: ") + (proxies ? "list proxy neighbours" : "list neighbours");
        return Described(describe, () => Decode(DumpConsistently(() => NeighborMessages.Dump(family, proxies), Rtnl.NewNeighbor, describe, cancellationToken),
            NeighborMessages.Decode,
            neighbor => (index == 0 || neighbor.LinkIndex == index) && (family is null || neighbor.Family == family)));
    }

    private PendingRequest NeighborRequest(LinkRef link, Neighbor neighbor, Change change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(neighbor);
        var index = IndexOf(link, cancellationToken);
        var request = change == Change.Delete ? NeighborMessages.Delete(index, neighbor) : NeighborMessages.Add(index, neighbor, replace: change == Change.Replace);
        return new PendingRequest(request, () => $"{Label(link)}: {change.ToString().ToLowerInvariant()} neighbour {neighbor}",
            Kind: change.Kind());
    }
}
