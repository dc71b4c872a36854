using System.Net;
using System.Net.Sockets;

namespace Netlink.Wire;

/// <summary>
/// IP addresses on the wire: raw network-order bytes. What callers pass is normalised (IPv4-mapped IPv6 to IPv4);
/// what the kernel reports is kept as is: it accepts ::ffff:a.b.c.d as an ordinary IPv6 address.
/// </summary>
internal static class IPBytes
{
    internal static IPAddress Normalize(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    internal static IPNetwork Normalize(IPNetwork network) =>
        network.BaseAddress.IsIPv4MappedToIPv6 && network.PrefixLength >= 96
            ? new IPNetwork(network.BaseAddress.MapToIPv4(), network.PrefixLength - 96)
            : network;

    /// <summary>The prefix <paramref name="address"/>/<paramref name="prefixLength"/> with the host bits cleared.</summary>
    internal static IPNetwork Prefix(IPAddress address, int prefixLength)
    {
        var bytes = address.GetAddressBytes();
        for (var bit = prefixLength; bit < bytes.Length * 8; bit++)
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        return new IPNetwork(new IPAddress(bytes), prefixLength);
    }

    /// <summary>The address as a message of <paramref name="family"/> carries it: IPv4-mapped becomes IPv4 in an IPv4 message only.</summary>
    internal static IPAddress InFamily(IPAddress address, byte family) => family == AddressFamilies.IPv4 ? Normalize(address) : address;

    internal static byte FamilyOf(IPAddress address) => address.AddressFamily switch
    {
        AddressFamily.InterNetwork => AddressFamilies.IPv4,
        AddressFamily.InterNetworkV6 => AddressFamilies.IPv6,
        var other => throw new ArgumentException($"{other} is not an IP address family"),
    };

    /// <summary>Writes the address into <paramref name="destination"/> (16 bytes) and returns its length.</summary>
    internal static int Write(IPAddress address, Span<byte> destination)
    {
        address.TryWriteBytes(destination, out var written);
        return written;
    }

    /// <summary>Reads a 4- or 16-byte address; any other length is malformed.</summary>
    internal static IPAddress Read(ReadOnlySpan<byte> bytes) => bytes.Length is 4 or 16
        ? new IPAddress(bytes)
        : throw new NetlinkProtocolException($"an address attribute has {bytes.Length} bytes, not 4 or 16");
}

/// <summary>The address family numbers netlink uses in its headers.</summary>
internal static class AddressFamilies
{
    internal const byte Unspecified = 0;
    internal const byte IPv4 = 2;
    internal const byte IPv6 = 10;
    internal const byte Packet = 17;

    internal static byte From(AddressFamily? family) => family switch
    {
        null or AddressFamily.Unspecified => Unspecified,
        AddressFamily.InterNetwork => IPv4,
        AddressFamily.InterNetworkV6 => IPv6,
        _ => throw new ArgumentException($"{family} is not an IP address family", nameof(family)),
    };
}
