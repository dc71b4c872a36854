using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json;
using Xunit;

namespace Netlink.Tests.Integration;

/// <summary>Neighbour and proxy entries against the real kernel, cross-checked with <c>ip -j neigh</c>.</summary>
[Trait("Needs", "root")]
public class NeighborTests : NamespaceTest
{
    private static string? Text(JsonElement entry, string property) => entry.TryGetProperty(property, out var value) ? value.ToString() : null;

    private static string Mac(PhysicalAddress? address) => address is null ? "" : string.Join(':', address.GetAddressBytes().Select(b => b.ToString("x2")));

    [Fact]
    public void EntriesOfBothFamiliesMatchIproute2()
    {
        var (v0, _) = CreateVethPair(up: true);
        Netlink.AddNeighbor(v0, new Neighbor(IPAddress.Parse("10.200.0.2")) { LinkLayerAddress = PhysicalAddress.Parse("02:00:00:00:00:02") });
        Netlink.AddNeighbor(v0, new Neighbor(IPAddress.Parse("10.200.0.3")) { LinkLayerAddress = PhysicalAddress.Parse("02:00:00:00:00:03"), State = NeighborState.Reachable });
        Netlink.AddNeighbor(v0, new Neighbor(IPAddress.Parse("fd00:200::2")) { LinkLayerAddress = PhysicalAddress.Parse("02:00:00:00:00:04"), State = NeighborState.NoArp });

        // The kernel adds and drops IPv6 multicast NOARP entries (ff02::) on its own meanwhile: compare the rest.
        var theirs = Namespace.IpJson("neigh", "show", "nud", "all").EnumerateArray()
            .Where(n => !IPAddress.Parse(Text(n, "dst")!).IsIPv6Multicast)
            .Select(n => $"{Text(n, "dst")} {Text(n, "dev")} {Text(n, "lladdr")} {n.GetProperty("state")[0]}").Order();
        var names = Netlink.ListLinks().ToDictionary(l => l.Index, l => l.Name);
        var all = Netlink.ListNeighbors();
        var ours = all.Where(n => !n.Address.IsIPv6Multicast)
            .Select(n => $"{n.Address} {names[n.LinkIndex]} {Mac(n.LinkLayerAddress)} {n.State.ToString().ToUpperInvariant()}").Order();
        Assert.Equal(theirs, ours);
        Assert.Contains("10.200.0.2 v0 02:00:00:00:00:02 PERMANENT", ours);
        Assert.Equal(["10.200.0.2", "10.200.0.3"], Netlink.ListNeighbors(v0, AddressFamily.InterNetwork).Select(n => n.Address.ToString()).Order());
    }

    [Fact]
    public void ReplaceConvergesAndAddRefusesADuplicate()
    {
        var (v0, _) = CreateVethPair(up: true);
        var first = new Neighbor(IPAddress.Parse("10.200.0.2")) { LinkLayerAddress = PhysicalAddress.Parse("02:00:00:00:00:02") };
        Netlink.AddNeighbor(v0, first);
        var error = Assert.Throws<NetlinkException>(() => Netlink.AddNeighbor(v0, first));
        Assert.Equal(("v0: add neighbour 10.200.0.2 lladdr 02:00:00:00:00:02 PERMANENT", "EEXIST"), (error.Operation, error.ErrnoName));
        Netlink.ReplaceNeighbor(v0, new Neighbor(IPAddress.Parse("10.200.0.2")) { LinkLayerAddress = PhysicalAddress.Parse("02:00:00:00:00:05") });
        Netlink.ReplaceNeighbor(v0, new Neighbor(IPAddress.Parse("10.200.0.2")) { LinkLayerAddress = PhysicalAddress.Parse("02:00:00:00:00:05") });
        Assert.Equal("02:00:00:00:00:05", Text(Namespace.IpJson("neigh", "show", "10.200.0.2").EnumerateArray().Single(), "lladdr"));
    }

    [Fact]
    public void ProxyEntriesAreListedApartAndDeletedAsListed()
    {
        var (v0, _) = CreateVethPair(up: true);
        Netlink.AddNeighbor(v0, new Neighbor(IPAddress.Parse("10.200.0.9")) { IsProxy = true });
        Netlink.AddNeighbor(v0, new Neighbor(IPAddress.Parse("fd00:200::9")) { IsProxy = true });

        var theirs = Namespace.IpJson("neigh", "show", "proxy").EnumerateArray().Select(n => $"{Text(n, "dst")} {Text(n, "dev")}").Order();
        var proxies = Netlink.ListNeighbors(proxies: true);
        Assert.Equal(theirs, proxies.Select(n => $"{n.Address} v0").Order());
        Assert.All(proxies, n => Assert.True(n.IsProxy));
        Assert.DoesNotContain(Netlink.ListNeighbors(), n => n.IsProxy);

        foreach (var proxy in proxies)
            Netlink.DeleteNeighbor(proxy.LinkIndex, proxy);
        Assert.Empty(Namespace.IpJson("neigh", "show", "proxy").EnumerateArray());
    }

    [Fact]
    public void EveryListedEntryDeletesExactlyItself()
    {
        var (v0, _) = CreateVethPair(up: true);
        Netlink.AddNeighbor(v0, new Neighbor(IPAddress.Parse("10.200.0.2")) { LinkLayerAddress = PhysicalAddress.Parse("02:00:00:00:00:02") });
        Netlink.AddNeighbor(v0, new Neighbor(IPAddress.Parse("fd00:200::2")) { LinkLayerAddress = PhysicalAddress.Parse("02:00:00:00:00:04") });
        Netlink.AddNeighbor("v1", new Neighbor(IPAddress.Parse("10.200.0.2")) { LinkLayerAddress = PhysicalAddress.Parse("02:00:00:00:00:07") });

        foreach (var neighbor in Netlink.ListNeighbors(v0).Where(n => n.State == NeighborState.Permanent))
            Netlink.DeleteNeighbor(neighbor.LinkIndex, neighbor);

        Assert.DoesNotContain(Namespace.IpJson("neigh", "show", "dev", "v0").EnumerateArray(), n => Text(n, "dst") is "10.200.0.2" or "fd00:200::2");
        Assert.Equal("02:00:00:00:00:07", Text(Namespace.IpJson("neigh", "show", "dev", "v1").EnumerateArray().Single(n => Text(n, "dst") == "10.200.0.2"), "lladdr"));
        var missing = Assert.Throws<NetlinkException>(() => Netlink.DeleteNeighbor(v0, new Neighbor(IPAddress.Parse("10.200.0.2"))));
        Assert.Equal(("v0: delete neighbour 10.200.0.2 PERMANENT", "ENOENT"), (missing.Operation, missing.ErrnoName));
    }

    [Fact]
    public void AddAndDeleteAreAnnounced()
    {
        var (v0, _) = CreateVethPair(up: true);
        using var events = Netlink.SubscribeEvents(EventGroups.Neighbors);
        var neighbor = new Neighbor(IPAddress.Parse("10.200.0.2")) { LinkLayerAddress = PhysicalAddress.Parse("02:00:00:00:00:02") };
        Netlink.AddNeighbor(v0, neighbor);
        Netlink.DeleteNeighbor(v0, neighbor);
        var seen = new List<NeighborEvent>();
        while (!seen.Any(e => e.Removed) && events.Read(TimeSpan.FromSeconds(2)) is { } change)
        {
            if (change is NeighborEvent { Neighbor.Address: var address } about && address.Equals(neighbor.Address))
                seen.Add(about); // the kernel also announces IPv6 multicast entries meanwhile
        }
        // Deleting first announces the entry as FAILED, then its removal.
        Assert.Equal([(false, "10.200.0.2 lladdr 02:00:00:00:00:02 PERMANENT"), (false, "10.200.0.2 FAILED"), (true, "10.200.0.2 FAILED")],
            seen.Select(e => (e.Removed, e.Neighbor.ToString())));
        Assert.All(seen, e => Assert.Equal(v0.Index, e.Neighbor.LinkIndex));
    }
}
