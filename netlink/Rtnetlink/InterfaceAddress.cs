using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Netlink;

/// <summary>
/// An IP address on a link: what to add (set <see cref="Address"/>, <see cref="PrefixLength"/> and any options)
/// and what the kernel reports (RTM_NEWADDR, with <see cref="LinkIndex"/> and state flags filled in).
/// Immutable: the library never changes an instance you pass in.
/// </summary>
public sealed class InterfaceAddress
{
    /// <summary>
    /// An address with its prefix length, e.g. 10.200.0.2 and 24. An IPv4-mapped IPv6 address
    /// (<c>::ffff:10.200.0.2/120</c>) is stored as the IPv4 address it maps (<c>10.200.0.2/24</c>).
    /// </summary>
    public InterfaceAddress(IPAddress address, int prefixLength) : this(address, prefixLength, asReported: false) { }

    /// <summary>With <paramref name="asReported"/>, an IPv4-mapped address is the IPv6 address the kernel has, not mapped.</summary>
    internal InterfaceAddress(IPAddress address, int prefixLength, bool asReported)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6 && !asReported)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(prefixLength, 96);
            (address, prefixLength) = (address.MapToIPv4(), prefixLength - 96);
        }
        var maximum = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, maximum);
        Address = address;
        PrefixLength = prefixLength;
    }

    /// <summary>Parses CIDR notation such as <c>10.200.0.2/24</c> or <c>fd00:200::2/64</c>.</summary>
    public static InterfaceAddress Parse(string cidr)
    {
        ArgumentNullException.ThrowIfNull(cidr);
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(cidr.AsSpan(0, slash), out var address)
            || !int.TryParse(cidr.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix))
            throw new FormatException($"'{cidr}' is not an address with a prefix length, e.g. 10.200.0.2/24");
        return new InterfaceAddress(address, prefix);
    }

    /// <summary>The local address.</summary>
    public IPAddress Address { get; }

    /// <summary>The prefix length, e.g. 24.</summary>
    public int PrefixLength { get; }

    /// <summary>The address family.</summary>
    public AddressFamily Family => Address.AddressFamily;

    /// <summary>The prefix the address belongs to, e.g. 10.200.0.0/24.</summary>
    public IPNetwork Network => Wire.IPBytes.Prefix(Address, PrefixLength);

    /// <summary>The remote end of a point-to-point address, or null.</summary>
    public IPAddress? Peer { get; init; }

    /// <summary>
    /// The IPv4 broadcast address. When adding and left null, the library sends the prefix's broadcast address
    /// for prefixes shorter than /31 without a peer (RFC 3021: none for /31 and /32).
    /// </summary>
    public IPAddress? Broadcast { get; init; }

    /// <summary>The IPv4 label (e.g. <c>eth0:1</c>), or null.</summary>
    public string? Label { get; init; }

    /// <summary>Flags to request (<see cref="AddressFlags.NoDad"/>, <see cref="AddressFlags.NoPrefixRoute"/>) or reported state.</summary>
    public AddressFlags Flags { get; init; }

    /// <summary>
    /// The scope; <see cref="Scope.Universe"/> unless set. An IPv4 127/8 address is sent with <see cref="Scope.Host"/>
    /// instead of universe, as iproute2 does: lo's 127.0.0.1/8 has host scope, and the kernel refuses another address
    /// of that prefix with a different one (EINVAL "ipv4: Invalid scope value").
    /// </summary>
    public Scope Scope { get; init; }

    /// <summary>Valid lifetime; null means forever.</summary>
    public TimeSpan? ValidLifetime { get; init; }

    /// <summary>Preferred lifetime; null means forever.</summary>
    public TimeSpan? PreferredLifetime { get; init; }

    /// <summary>The link the address is on (filled in by the kernel's reports; ignored when adding).</summary>
    public int LinkIndex { get; init; }

    /// <summary>IPv6 duplicate address detection has not finished: the address cannot be used as a source yet.</summary>
    public bool IsTentative => Flags.HasFlag(AddressFlags.Tentative);

    /// <summary>IPv6 duplicate address detection found another host using the address.</summary>
    public bool IsDadFailed => Flags.HasFlag(AddressFlags.DadFailed);

    /// <summary>Configured (not autoconfigured or temporary).</summary>
    public bool IsPermanent => Flags.HasFlag(AddressFlags.Permanent);

    /// <summary>CIDR notation, e.g. <c>10.200.0.2/24</c>.</summary>
    public override string ToString() => $"{Address}/{PrefixLength}" + (Peer is null ? "" : $" peer {Peer}");
}

/// <summary>Address flags (IFA_F_* in linux/if_addr.h); sent in IFA_FLAGS when they do not fit the header byte.</summary>
[Flags]
public enum AddressFlags : uint
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary>A secondary address of its prefix.</summary>
    Secondary = 0x1,
    /// <summary>Skip IPv6 duplicate address detection (usable at once).</summary>
    NoDad = 0x2,
    /// <summary>Optimistic DAD.</summary>
    Optimistic = 0x4,
    /// <summary>Duplicate address detection failed.</summary>
    DadFailed = 0x8,
    /// <summary>Mobile IPv6 home address.</summary>
    HomeAddress = 0x10,
    /// <summary>Preferred lifetime expired.</summary>
    Deprecated = 0x20,
    /// <summary>Duplicate address detection is still running.</summary>
    Tentative = 0x40,
    /// <summary>Configured permanently (not autoconfigured).</summary>
    Permanent = 0x80,
    /// <summary>Manage temporary (privacy) addresses from this one.</summary>
    ManageTemporaryAddress = 0x100,
    /// <summary>Do not add the prefix route for this address.</summary>
    NoPrefixRoute = 0x200,
    /// <summary>Join the multicast group automatically.</summary>
    MulticastAutoJoin = 0x400,
    /// <summary>Stable-privacy generated address.</summary>
    StablePrivacy = 0x800,
}

/// <summary>Address and route scope (RT_SCOPE_*).</summary>
public enum Scope : byte
{
    /// <summary>Global.</summary>
    Universe = 0,
    /// <summary>Site-local.</summary>
    Site = 200,
    /// <summary>On the link only.</summary>
    Link = 253,
    /// <summary>This host only.</summary>
    Host = 254,
    /// <summary>Nowhere (also the wildcard when deleting routes).</summary>
    Nowhere = 255,
}
