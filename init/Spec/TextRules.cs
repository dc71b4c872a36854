using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Init.Spec;

/// <summary>
/// Syntax of the spec's strings. Each parser returns null on success or the reason the text is refused,
/// phrased to follow "key.path: ".
/// </summary>
internal static class TextRules
{
    /// <summary>
    /// A plain IPv4 dotted quad or IPv6 address. Refused: inet_aton shorthands ("10.1", "010.0.0.1") that
    /// mean something else than they seem, zones ("%eth0"), brackets, and IPv4-mapped IPv6 (write the IPv4).
    /// </summary>
    internal static string? Ip(string text, out IPAddress address)
    {
        address = IPAddress.None;
        bool plain = text.Length > 0 && AllChars(text, c => char.IsAsciiHexDigit(c) || c is ':' or '.');
        if (!plain || !IPAddress.TryParse(text, out IPAddress? parsed)
            || (parsed.AddressFamily == AddressFamily.InterNetwork && parsed.ToString() != text))
            return $"{SpecErrors.Quote(text)} is not an IP address";
        if (parsed.IsIPv4MappedToIPv6)
            return $"{SpecErrors.Quote(text)} is an IPv4-mapped IPv6 address; write {parsed.MapToIPv4()}";
        address = parsed;
        return null;
    }

    /// <summary>"address/prefix-length"; the prefix length is required and host bits are allowed.</summary>
    internal static string? Cidr(string text, out Cidr cidr)
    {
        cidr = default;
        string[] parts = text.Split('/');
        if (parts.Length != 2)
            return $"{SpecErrors.Quote(text)} is not address/prefix-length (e.g. \"10.0.0.10/24\")";
        if (Ip(parts[0], out IPAddress address) is { } error)
            return error;
        int max = Spec.Cidr.MaxPrefixLength(address.AddressFamily);
        int length = parts[1].Length is > 0 and <= 3 && AllDigits(parts[1])
            ? int.Parse(parts[1], CultureInfo.InvariantCulture)
            : -1;
        if (length < 0 || length > max)
            return $"{SpecErrors.Quote(text)}: the prefix length must be 0..{max}";
        cidr = new Cidr(address, length);
        return null;
    }

    /// <summary>
    /// An address a link can carry: not unspecified, multicast or broadcast, prefix length ≥ 1, and for IPv4
    /// below /31 not the network or broadcast address of its own prefix (that is a route, not an address).
    /// </summary>
    internal static string? InterfaceCidr(string text, out Cidr cidr)
    {
        if (Cidr(text, out cidr) is { } error)
            return error;
        IPAddress address = cidr.Address;
        if (IsUnspecified(address) || IsMulticast(address) || address.Equals(IPAddress.Broadcast))
            return $"{address} cannot be assigned to an interface";
        if (cidr.PrefixLength == 0)
            return $"{SpecErrors.Quote(text)}: /0 is not a prefix an address can be on";
        if (cidr.Family == AddressFamily.InterNetwork && cidr.PrefixLength < 31
            && (!cidr.HasHostBits || Spec.Cidr.Broadcast(cidr).Equals(address)))
            return $"{cidr} is the {(cidr.HasHostBits ? "broadcast" : "network")} address of {cidr.Network}; an interface address needs host bits";
        return null;
    }

    internal static bool IsUnspecified(IPAddress address) =>
        address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    internal static bool IsMulticast(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork ? address.GetAddressBytes()[0] >= 224 : address.IsIPv6Multicast;

    internal static string FamilyName(AddressFamily family) => family == AddressFamily.InterNetwork ? "IPv4" : "IPv6";

    /// <summary>
    /// A kernel link name (dev_valid_name): 1–15 bytes, not "." or "..", no '/', ':' or whitespace.
    /// '%' is refused too: the kernel reads it as a template ("eth%d") and picks a name itself. "all" and
    /// "default" are the kernel's own entries under /proc/sys/net/*/conf/: it answers EINVAL (6.18, checked
    /// with ip link set … name in a namespace), so they would pass here and fail at apply.
    /// </summary>
    internal static string? LinkName(string text)
    {
        int bytes = System.Text.Encoding.UTF8.GetByteCount(text);
        if (bytes is 0 or > 15)
            return $"{SpecErrors.Quote(text)} is not a link name: it must be 1 to 15 bytes";
        if (text is "." or "..")
            return $"{SpecErrors.Quote(text)} is not a link name";
        if (text is "all" or "default")
            return $"{SpecErrors.Quote(text)} is not a link name: the kernel reserves it (/proc/sys/net/ipv4/conf/{text})";
        foreach (char c in text)
            if (c is '/' or ':' or '%' || char.IsWhiteSpace(c) || char.IsControl(c))
                return $"{SpecErrors.Quote(text)} is not a link name: it contains {Describe(c)}";
        return null;
    }

    /// <summary>Six colon-separated hex octets ("02:42:ac:11:00:02"), unicast.</summary>
    internal static string? Mac(string text, out PhysicalAddress mac)
    {
        mac = PhysicalAddress.None;
        string[] octets = text.Split(':');
        byte[] bytes = new byte[6];
        for (int i = 0; i < octets.Length; i++)
            // AllowHexSpecifier alone: hex digits only, no sign, prefix or white space
            if (octets.Length != 6 || octets[i].Length != 2
                || !byte.TryParse(octets[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
                return $"{SpecErrors.Quote(text)} is not a MAC address (six hex octets: \"02:42:ac:11:00:02\")";
        if ((bytes[0] & 1) != 0)
            return $"{text} is a multicast MAC address; a link needs a unicast one (lowest bit of the first octet 0)";
        if (!bytes.AsSpan().ContainsAnyExcept((byte)0))
            return $"{text} is not a usable MAC address";
        mac = new PhysicalAddress(bytes);
        return null;
    }

    internal static string FormatMac(PhysicalAddress mac) =>
        BitConverter.ToString(mac.GetAddressBytes()).Replace('-', ':').ToLowerInvariant();

    /// <summary>
    /// A host or domain name per RFC 1123: dot-separated labels of letters, digits and '-', 1–63 each, not
    /// starting or ending with '-'; at most <paramref name="maxLength"/> characters. One trailing dot is allowed
    /// when <paramref name="allowTrailingDot"/> (search domains).
    /// </summary>
    internal static string? DomainName(string text, int maxLength, bool allowTrailingDot)
    {
        string name = allowTrailingDot && text.EndsWith('.') ? text[..^1] : text;
        if (name.Length == 0 || text.Length > maxLength)
            return $"{SpecErrors.Quote(text)} is not a valid name: it must be 1 to {maxLength} characters";
        foreach (string label in name.Split('.'))
        {
            if (label.Length is 0 or > 63)
                return $"{SpecErrors.Quote(text)} is not a valid name: each dot-separated label must be 1 to 63 characters";
            if (label.StartsWith('-') || label.EndsWith('-'))
                return $"{SpecErrors.Quote(text)} is not a valid name: a label cannot start or end with '-'";
            foreach (char c in label)
                if (!char.IsAsciiLetterOrDigit(c) && c != '-')
                    return $"{SpecErrors.Quote(text)} is not a valid name: it contains {Describe(c)} (letters, digits, '-' and '.' only)";
        }
        return null;
    }

    /// <summary>"user" or "user:group", each a name or a number; resolved later from the image's files.</summary>
    internal static string? User(string text)
    {
        string[] parts = text.Split(':');
        if (parts.Length > 2)
            return $"{SpecErrors.Quote(text)} is not a user: expected name, uid, uid:gid or name:group";
        foreach (string part in parts)
            if (!IsId(part) && !IsAccountName(part))
                return $"{SpecErrors.Quote(text)} is not a user: {SpecErrors.Quote(part)} is neither a number 0..4294967294 nor a name (letters, digits, '_', '-', '.', not starting with a digit or '-')";
        return null;
    }

    /// <summary>What execve can carry: not empty, no '=' and no NUL.</summary>
    internal static string? EnvironmentName(string text) =>
        text.Length == 0 || text.Contains('=') || text.Contains('\0')
            ? $"{SpecErrors.Quote(text)} is not an environment variable name (not empty, no '=')"
            : null;

    /// <summary>Whether every character passes <paramref name="allowed"/> (true for ""), without LINQ's All: keeps System.Linq out of the binary.</summary>
    internal static bool AllChars(string text, Func<char, bool> allowed)
    {
        foreach (char c in text)
            if (!allowed(c))
                return false;
        return true;
    }

    /// <summary>
    /// Whether <paramref name="text"/> is ASCII digits only (true for ""). Span searches, not a delegate: a
    /// method-group delegate costs its class a cache allocated at every start.
    /// </summary>
    internal static bool AllDigits(string text) => !text.AsSpan().ContainsAnyExceptInRange('0', '9');

    /// <summary>Whether <paramref name="text"/> is ASCII hexadecimal digits only (true for "").</summary>
    internal static bool AllHexDigits(string text)
    {
        foreach (char c in text)
            if (!char.IsAsciiHexDigit(c))
                return false;
        return true;
    }

    internal static string? NoNul(string text) => text.Contains('\0') ? "contains a NUL character" : null;

    private static bool IsId(string text) =>
        text.Length is > 0 and <= 10 && AllDigits(text)
        && ulong.Parse(text, CultureInfo.InvariantCulture) < uint.MaxValue; // (uid_t)-1 means "unchanged"

    // The portable subset useradd accepts (plus a trailing '$' for machine accounts).
    private static bool IsAccountName(string text)
    {
        string name = text.EndsWith('$') ? text[..^1] : text;
        return name.Length is > 0 and <= 32 && (char.IsAsciiLetter(name[0]) || name[0] == '_')
            && AllChars(name, c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');
    }

    private static string Describe(char c) =>
        char.IsWhiteSpace(c) || char.IsControl(c) ? $"U+{(int)c:X4}" : $"'{c}'";
}
