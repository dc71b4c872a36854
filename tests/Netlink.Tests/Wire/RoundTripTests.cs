using System.Net;
using System.Net.Sockets;
using Netlink.Rtnetlink;
using Xunit;

namespace Netlink.Tests.Wire;

/// <summary>Random routes and addresses survive encode → decode (the kernel echoes these fields back the same way).</summary>
public class RoundTripTests
{
    private const int Cases = 5_000;

    private static IPAddress RandomAddress(Random random, AddressFamily family)
    {
        var bytes = new byte[family == AddressFamily.InterNetwork ? 4 : 16];
        random.NextBytes(bytes);
        return new IPAddress(bytes);
    }

    [Fact]
    public void Routes()
    {
        var random = new Random(20261127);
        for (var i = 0; i < Cases; i++)
        {
            var family = random.Next(2) == 0 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
            var prefix = random.Next(family == AddressFamily.InterNetwork ? 33 : 129);
            var route = new Route(Netlink.Wire.IPBytes.Prefix(RandomAddress(random, family), prefix))
            {
                Gateway = random.Next(2) == 0 ? RandomAddress(random, family) : null,
                PreferredSource = random.Next(3) == 0 ? RandomAddress(random, family) : null,
                OutputLinkIndex = random.Next(2) == 0 ? random.Next(1, 100_000) : null,
                Metric = random.Next(2) == 0 ? (uint)random.Next() : null,
                Table = random.Next(2) == 0 ? RouteTables.Main : (uint)random.Next(1, int.MaxValue),
                Protocol = (RouteProtocol)random.Next(256),
                Type = (RouteType)random.Next(1, 11),
                OnLink = random.Next(2) == 0,
            };
            var decoded = RouteMessages.Decode(RouteMessages.Add(route, replace: false).AsSpan(16))!;
            Assert.Equal(route.ToString(), decoded.ToString());
            Assert.Equal((route.Destination, route.OutputLinkIndex, route.Protocol, route.Type, route.EffectiveScope, route.Table),
                (decoded.Destination, decoded.OutputLinkIndex, decoded.Protocol, decoded.Type, decoded.EffectiveScope, decoded.Table));
        }
    }

    [Fact]
    public void Addresses()
    {
        var random = new Random(20261127);
        for (var i = 0; i < Cases; i++)
        {
            var family = random.Next(2) == 0 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
            var address = new InterfaceAddress(RandomAddress(random, family), random.Next(family == AddressFamily.InterNetwork ? 33 : 129))
            {
                Peer = random.Next(4) == 0 ? RandomAddress(random, family) : null,
                Flags = random.Next(2) == 0 ? AddressFlags.NoDad : AddressFlags.NoDad | AddressFlags.NoPrefixRoute,
                Label = family == AddressFamily.InterNetwork && random.Next(2) == 0 ? "v0:" + random.Next(100) : null,
                ValidLifetime = random.Next(2) == 0 ? TimeSpan.FromSeconds(random.Next(1, 100_000)) : null,
                Scope = (Scope)random.Next(256),
            };
            var linkIndex = random.Next(1, 100_000);
            var decoded = AddressMessages.Decode(AddressMessages.Add(linkIndex, address, replace: true).AsSpan(16))!;
            Assert.Equal((address.Address, address.PrefixLength, linkIndex, address.Flags, address.Label, address.ValidLifetime, address.Scope),
                (decoded.Address, decoded.PrefixLength, decoded.LinkIndex, decoded.Flags, decoded.Label, decoded.ValidLifetime, decoded.Scope));
            Assert.Equal(address.Peer is null || address.Peer.Equals(address.Address) ? null : address.Peer, decoded.Peer);
        }
    }
}
