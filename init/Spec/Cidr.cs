using System.Net;
using System.Net.Sockets;

namespace Init.Spec;

/// <summary>
/// An address with its prefix length, host bits kept ("10.0.0.10/24"): what an interface carries.
/// <see cref="IPNetwork"/> cannot hold this, it insists on zero host bits.
/// </summary>
internal readonly record struct Cidr(IPAddress Address, int PrefixLength)
{
    internal AddressFamily Family => Address.AddressFamily;

    /// <summary>The prefix this address is on ("10.0.0.0/24" for "10.0.0.10/24").</summary>
    internal IPNetwork Network => new(Mask(Address, PrefixLength), PrefixLength);

    internal bool HasHostBits => !Mask(Address, PrefixLength).Equals(Address);

    internal bool Contains(IPAddress address) => Network.Contains(address);

    public override string ToString() => $"{Address}/{PrefixLength}";

    internal static int MaxPrefixLength(AddressFamily family) => family == AddressFamily.InterNetwork ? 32 : 128;

    /// <summary><paramref name="address"/> with every bit after the first <paramref name="prefixLength"/> cleared.</summary>
    internal static IPAddress Mask(IPAddress address, int prefixLength) => WithHostBits(address, prefixLength, 0);

    /// <summary>IPv4 directed broadcast: the address with every host bit set.</summary>
    internal static IPAddress Broadcast(Cidr cidr) => WithHostBits(cidr.Address, cidr.PrefixLength, 0xff);

    private static IPAddress WithHostBits(IPAddress address, int prefixLength, byte fill)
    {
        byte[] bytes = address.GetAddressBytes();
        for (int bit = prefixLength; bit < bytes.Length * 8; bit++)
        {
            byte mask = (byte)(0x80 >> (bit % 8));
            bytes[bit / 8] = (byte)((bytes[bit / 8] & ~mask) | (fill & mask));
        }
        return new IPAddress(bytes);
    }
}
