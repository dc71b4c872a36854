using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Xunit;

namespace Netlink.Tests.Integration;

/// <summary>Address operations against the real kernel, cross-checked with <c>ip -j addr</c>.</summary>
[Trait("Needs", "root")]
public class AddressTests : NamespaceTest
{
    private JsonElement[] IpAddresses(string link) =>
        Namespace.IpJson("addr", "show", "dev", link)[0].GetProperty("addr_info").EnumerateArray().ToArray();

    private JsonElement IpAddress(string link, string local) =>
        IpAddresses(link).Single(a => a.GetProperty("local").GetString() == local);

    [Fact]
    public void IPv4AddressGetsBroadcastBelowSlash31Only()
    {
        var (v0, _) = CreateVethPair();
        Netlink.AddAddress(v0, InterfaceAddress.Parse("10.200.0.1/24"));
        Netlink.AddAddress(v0, InterfaceAddress.Parse("10.200.1.1/31"));
        Netlink.AddAddress(v0, InterfaceAddress.Parse("10.200.2.1/32"));
        Assert.Equal("10.200.0.255", IpAddress("v0", "10.200.0.1").GetProperty("broadcast").GetString());
        Assert.False(IpAddress("v0", "10.200.1.1").TryGetProperty("broadcast", out _));
        Assert.False(IpAddress("v0", "10.200.2.1").TryGetProperty("broadcast", out _));
        var ours = Netlink.ListAddresses(v0, AddressFamily.InterNetwork);
        Assert.Equal(["10.200.0.1/24", "10.200.1.1/31", "10.200.2.1/32"], ours.Select(a => a.ToString()).Order());
        Assert.All(ours, a => Assert.Equal((v0.Index, "v0", true), (a.LinkIndex, a.Label, a.IsPermanent)));
        Assert.Equal(IPAddress.Parse("10.200.0.255"), ours.Single(a => a.PrefixLength == 24).Broadcast);
    }

    [Fact]
    public void ListMatchesIproute2ForBothFamilies()
    {
        var (v0, _) = CreateVethPair(up: true);
        Netlink.AddAddress(v0, InterfaceAddress.Parse("10.200.0.1/24"));
        Netlink.AddAddress(v0, new InterfaceAddress(IPAddress.Parse("fd00:200::1"), 64) { Flags = AddressFlags.NoDad });
        var ours = Netlink.ListAddresses(v0).Select(a => $"{a.Address}/{a.PrefixLength}").Order();
        var theirs = IpAddresses("v0").Select(a => $"{a.GetProperty("local").GetString()}/{a.GetProperty("prefixlen").GetInt32()}").Order();
        Assert.Equal(theirs, ours);
        Assert.All(Netlink.ListAddresses(family: AddressFamily.InterNetworkV6), a => Assert.Equal(AddressFamily.InterNetworkV6, a.Family));
    }

    [Fact]
    public void PointToPointPeer()
    {
        var (v0, _) = CreateVethPair();
        Netlink.AddAddress(v0, new InterfaceAddress(IPAddress.Parse("10.200.3.1"), 32) { Peer = IPAddress.Parse("10.200.3.2") });
        Assert.Equal("10.200.3.2", IpAddress("v0", "10.200.3.1").GetProperty("address").GetString());
        Assert.Equal(IPAddress.Parse("10.200.3.2"), Netlink.ListAddresses(v0).Single().Peer);
    }

    [Fact]
    public void IPv4MappedIPv6AddressesTheKernelReportsStayIPv6AndCanBeDeletedAsListed()
    {
        // The kernel accepts ::ffff:a.b.c.d as an ordinary IPv6 address, with any prefix length.
        var (v0, _) = CreateVethPair();
        Namespace.Ip("addr", "add", "::ffff:10.200.0.1/64", "dev", "v0", "nodad");
        Namespace.Ip("addr", "add", "::ffff:10.200.0.2/120", "dev", "v0", "nodad");
        Netlink.AddAddress(v0, InterfaceAddress.Parse("10.200.0.2/24"));

        var listed = Netlink.ListAddresses(v0, AddressFamily.InterNetworkV6).Where(a => a.Scope == Scope.Universe).ToList();
        Assert.Equal(["::ffff:10.200.0.1/64", "::ffff:10.200.0.2/120"], listed.Select(a => a.ToString()).Order());
        foreach (var address in listed)
            Netlink.DeleteAddress(v0, address);
        Assert.Equal(["10.200.0.2"], IpAddresses("v0").Select(a => a.GetProperty("local").GetString()));
    }

    [Fact]
    public void ALoopbackAddressGetsHostScopeLikeIproute2()
    {
        // lo's 127.0.0.1/8 has host scope; the kernel refuses a second address in that prefix with another scope.
        Netlink.SetLinkUp("lo");
        Netlink.AddAddress("lo", InterfaceAddress.Parse("127.0.0.2/8"));
        Assert.Equal("host", IpAddress("lo", "127.0.0.2").GetProperty("scope").GetString());
        Assert.Equal(Scope.Host, Netlink.ListAddresses("lo").Single(a => a.Address.Equals(IPAddress.Parse("127.0.0.2"))).Scope);
    }

    [Fact]
    public void NoDadAndNoPrefixRouteViaIfaFlags()
    {
        var (v0, _) = CreateVethPair(up: true);
        Netlink.AddAddress(v0, new InterfaceAddress(IPAddress.Parse("fd00:200::1"), 64) { Flags = AddressFlags.NoDad | AddressFlags.NoPrefixRoute });
        var ip = IpAddress("v0", "fd00:200::1");
        Assert.True(ip.GetProperty("nodad").GetBoolean());
        Assert.True(ip.GetProperty("noprefixroute").GetBoolean());
        var ours = Netlink.ListAddresses(v0, AddressFamily.InterNetworkV6).Single(a => a.Scope == Scope.Universe);
        Assert.True(ours.Flags.HasFlag(AddressFlags.NoDad | AddressFlags.NoPrefixRoute));
        Assert.False(ours.IsTentative);
        Assert.DoesNotContain(Netlink.ListRoutes(AddressFamily.InterNetworkV6), r => r.Destination == IPNetwork.Parse("fd00:200::/64"));
    }

    [Fact]
    public void DadRunsThenTheAddressBecomesReady()
    {
        var (v0, _) = CreateVethPair(up: true);
        Netlink.WaitForCarrier(v0, TimeSpan.FromSeconds(5));
        Netlink.AddAddress(v0, InterfaceAddress.Parse("fd00:200::1/64"));
        Assert.True(Netlink.ListAddresses(v0).Single(a => a.Address.Equals(IPAddress.Parse("fd00:200::1"))).IsTentative);
        var ready = Netlink.WaitForAddressReady(v0, IPAddress.Parse("fd00:200::1"), TimeSpan.FromSeconds(10));
        Assert.False(ready.IsTentative);
        Assert.False(IpAddress("v0", "fd00:200::1").TryGetProperty("tentative", out _));
    }

    [Fact]
    public void DuplicateAddressDetectionFailureIsReported()
    {
        using var neighbour = new TestNamespace();
        Netlink.CreateVeth("v0", "v1", neighbour.Path);
        neighbour.Handle.AddAddress("v1", new InterfaceAddress(IPAddress.Parse("fd00:200::7"), 64) { Flags = AddressFlags.NoDad });
        neighbour.Handle.SetLinkUp("v1");
        Netlink.SetLinkUp("v0");
        Netlink.WaitForCarrier("v0", TimeSpan.FromSeconds(5));
        Netlink.AddAddress("v0", InterfaceAddress.Parse("fd00:200::7/64"));
        var error = Assert.Throws<NetlinkException>(() => Netlink.WaitForAddressReady("v0", IPAddress.Parse("fd00:200::7"), TimeSpan.FromSeconds(10)));
        Assert.Equal((Errno.EADDRNOTAVAIL, "v0: wait for address fd00:200::7"), (error.Errno, error.Operation));
        Assert.Contains("duplicate address detection failed", error.Message);
        Assert.True(Netlink.ListAddresses("v0").Single(a => a.Address.Equals(IPAddress.Parse("fd00:200::7"))).IsDadFailed);
        Assert.True(IpAddress("v0", "fd00:200::7").GetProperty("dadfailed").GetBoolean());
    }

    [Fact]
    public void WaitingForAnAddressThatIsNotThereFails()
    {
        var (v0, _) = CreateVethPair();
        var error = Assert.Throws<NetlinkException>(() => Netlink.WaitForAddressReady(v0, IPAddress.Parse("fd00:200::9"), TimeSpan.FromSeconds(1)));
        Assert.Equal((Errno.EADDRNOTAVAIL, "v0: wait for address fd00:200::9"), (error.Errno, error.Operation));
    }

    [Fact]
    public void ReplaceIsIdempotentAndUpdatesLifetimes()
    {
        var (v0, _) = CreateVethPair();
        var address = new InterfaceAddress(IPAddress.Parse("10.200.2.1"), 24) { ValidLifetime = TimeSpan.FromSeconds(100), PreferredLifetime = TimeSpan.FromSeconds(50) };
        Netlink.ReplaceAddress(v0, address);
        Netlink.ReplaceAddress(v0, address);
        var ip = IpAddress("v0", "10.200.2.1");
        Assert.InRange(ip.GetProperty("valid_life_time").GetInt64(), 95, 100);
        Assert.InRange(ip.GetProperty("preferred_life_time").GetInt64(), 45, 50);
        var ours = Netlink.ListAddresses(v0).Single();
        Assert.InRange(ours.ValidLifetime!.Value.TotalSeconds, 95, 100);
        Assert.False(ours.IsPermanent);
    }

    [Fact]
    public void AddingTwiceIsEexistNamingTheAddress()
    {
        var (v0, _) = CreateVethPair();
        Netlink.AddAddress(v0, InterfaceAddress.Parse("10.200.0.1/24"));
        var error = Assert.Throws<NetlinkException>(() => Netlink.AddAddress("v0", InterfaceAddress.Parse("10.200.0.1/24")));
        Assert.Equal((Errno.EEXIST, "v0: add address 10.200.0.1/24"), (error.Errno, error.Operation));
        Assert.StartsWith("v0: add address 10.200.0.1/24: EEXIST (File exists)", error.Message);
    }

    [Fact]
    public void DeleteRemovesAndMissingIsEaddrnotavail()
    {
        var (v0, _) = CreateVethPair();
        Netlink.AddAddress(v0, InterfaceAddress.Parse("10.200.0.1/24"));
        Netlink.DeleteAddress(v0, InterfaceAddress.Parse("10.200.0.1/24"));
        Assert.Empty(IpAddresses("v0"));
        Assert.Empty(Netlink.ListAddresses(v0));
        var error = Assert.Throws<NetlinkException>(() => Netlink.DeleteAddress(v0, InterfaceAddress.Parse("10.200.0.1/24")));
        Assert.Equal((Errno.EADDRNOTAVAIL, "v0: delete address 10.200.0.1/24"), (error.Errno, error.Operation));
    }

    [Fact]
    public void OverflowingTheEventSocketReportsEventsLost()
    {
        var (v0, _) = CreateVethPair();
        using var events = Netlink.SubscribeEvents(EventGroups.IPv4Addresses);
        var batch = Netlink.CreateBatch();
        for (var i = 0; i < 5000; i++)
            batch.AddAddress(v0, new InterfaceAddress(new IPAddress([10, 200, (byte)(i / 250), (byte)(i % 250 + 1)]), 32));
        Assert.Empty(batch.Execute()); // far more notifications than the socket buffer holds, none read yet
        var seen = new List<NetlinkEvent>();
        while (events.Read(TimeSpan.FromMilliseconds(500)) is { } change)
            seen.Add(change);
        Assert.Contains(seen, e => e is EventsLost);
        Assert.InRange(seen.OfType<AddressEvent>().Count(), 1, 4999);
        Assert.Equal(5000, Netlink.ListAddresses(v0).Count); // re-synchronising by listing sees everything
    }

    [Fact]
    public void AddressEventsArrive()
    {
        var (v0, _) = CreateVethPair();
        using var events = Netlink.SubscribeEvents(EventGroups.Addresses | EventGroups.Links);
        Netlink.AddAddress(v0, InterfaceAddress.Parse("10.200.0.1/24"));
        Netlink.SetLinkUp(v0);
        var seen = new List<NetlinkEvent>();
        while (events.Read(TimeSpan.FromSeconds(2)) is { } change)
        {
            seen.Add(change);
            if (change is LinkEvent { Link.IsUp: true })
                break;
        }
        Assert.Contains(seen, e => e is AddressEvent { Removed: false } a && a.Address.ToString() == "10.200.0.1/24" && a.Address.LinkIndex == v0.Index);
        Assert.Contains(seen, e => e is LinkEvent { Link.Name: "v0", Link.IsUp: true });
    }

    /// <summary>
    /// Lists thousands of addresses while another handle adds and deletes one as fast as it can, for a couple of
    /// seconds: with inconsistent dumps allowed every list returns, and once the churn stops the list is exact.
    /// </summary>
    [Fact]
    public async Task ListingUnderChurnReturnsWhenInconsistentDumpsAreAllowed()
    {
        var (v0, _) = CreateVethPair();
        var batch = Netlink.CreateBatch();
        for (var i = 0; i < 3000; i++)
            batch.AddAddress(v0, new InterfaceAddress(new IPAddress([10, 200, (byte)(i / 250), (byte)(i % 250 + 1)]), 32));
        Assert.Empty(batch.Execute());

        using var churning = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        using var churner = NetlinkHandle.OpenInNamespace(Namespace.Path);
        var moving = InterfaceAddress.Parse("10.200.250.1/32");
        var churn = Task.Factory.StartNew(() =>
        {
            while (!churning.IsCancellationRequested)
            {
                churner.AddAddress(v0, moving);
                churner.DeleteAddress(v0, moving);
            }
        }, TaskCreationOptions.LongRunning);

        Netlink.AllowInconsistentDumps = true;
        while (!churn.IsCompleted)
            Assert.InRange(Netlink.ListAddresses(v0, AddressFamily.InterNetwork).Count, 1, 3001);
        await churn;
        Assert.Equal(3000, Netlink.ListAddresses(v0, AddressFamily.InterNetwork).Count);
        Assert.Equal(3000, IpAddresses("v0").Count(a => a.GetProperty("family").GetString() == "inet"));
    }
}
