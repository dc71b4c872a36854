using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Init.Spec;

/// <summary>Reads the top-level network keys: <c>hostname</c>, <c>[dns]</c>, <c>[hosts]</c>, <c>[loopback]</c>.</summary>
internal static class NetworkSection
{
    /// <summary>HOST_NAME_MAX: sethostname(2) refuses longer names.</summary>
    private const int HostnameMax = 64;

    private const int DomainNameMax = 253;

    /// <summary>glibc and musl read only the first three nameservers (MAXNS).</summary>
    private const int NameserversMax = 3;

    /// <summary>resolv.conf options with a numeric argument and the largest value glibc honours.</summary>
    private static readonly Dictionary<string, int> NumericOptions = new()
    {
        ["ndots"] = 15,
        ["timeout"] = 30,
        ["attempts"] = 5,
    };

    private static readonly string[] FlagOptions =
    [
        "rotate", "no-check-names", "inet6", "edns0", "single-request", "single-request-reopen", "no-tld-query",
        "use-vc", "no-reload", "trust-ad", "no-aaaa", "debug",
    ];

    internal static NetworkSpec Read(TableReader root)
    {
        string? hostname = root.Checked(root.String("hostname"), name => TextRules.DomainName(name, HostnameMax, false));
        DnsSpec? dns = Dns(root);
        HostsSpec? hosts = Hosts(root);
        List<AddressSpec> loopback = Loopback(root);
        List<InterfaceSpec> interfaces = InterfaceSection.Read(root);
        return new(hostname, dns, hosts, loopback, interfaces)
        {
            Routes = LinklessRouteSection.Read(root, interfaces),
            Rules = RuleSection.Read(root),
        };
    }

    private static DnsSpec? Dns(TableReader root)
    {
        if (root.Table("dns") is not { } dns)
            return null;
        var nameservers = new List<IPAddress>();
        var firstSeen = new Dictionary<string, string>();
        foreach (Located<string> text in dns.Strings("nameservers") ?? [])
            if (Nameserver(dns, text) is { } address)
            {
                dns.Errors.RejectDuplicate(firstSeen, address.ToString(), text.At, text.Path);
                nameservers.Add(address);
            }
        if (!dns.Has("nameservers"))
            dns.Error("nameservers", "missing: [dns] replaces /etc/resolv.conf, which needs at least one nameserver");
        else if (dns.Node("nameservers") is Toml.TomlArrayNode { Items.Count: 0 or > NameserversMax } array)
            dns.Errors.Add(array.At, dns.PathOf("nameservers"), $"give 1 to {NameserversMax} nameservers (the resolver ignores the rest)");
        List<Located<string>> search = dns.Valid(dns.Strings("search"), name => TextRules.DomainName(name, DomainNameMax, true));
        dns.Errors.RejectDuplicates(search, name => name.TrimEnd('.').ToUpperInvariant());
        List<Located<string>> options = dns.Valid(dns.Strings("options"), ResolverOption);
        dns.Errors.RejectDuplicates(options, option => option.Split(':')[0]);
        dns.RejectUnknownKeys();
        return new DnsSpec(nameservers, Values(search), Values(options));
    }

    private static IPAddress? Nameserver(TableReader dns, Located<string> text)
    {
        string? error = TextRules.Ip(text.Value, out IPAddress address);
        if (error is null && (TextRules.IsUnspecified(address) || TextRules.IsMulticast(address)))
            error = $"{address} cannot be a nameserver";
        if (error is null && address.IsIPv6LinkLocal)
            error = $"{address} is link-local: resolv.conf would need a zone; use a routable address";
        if (error is null)
            return address;
        dns.Errors.Add(text.At, text.Path, error);
        return null;
    }

    /// <summary>"ndots:2", "rotate"…: the options glibc knows, numbers within what it honours.</summary>
    private static string? ResolverOption(string text)
    {
        string[] parts = text.Split(':', 2);
        string name = parts[0];
        if (NumericOptions.TryGetValue(name, out int max))
            return parts.Length == 2 && parts[1].Length is > 0 and <= 2 && TextRules.AllDigits(parts[1])
                && int.Parse(parts[1], CultureInfo.InvariantCulture) <= max
                ? null
                : $"{SpecErrors.Quote(text)}: {name} takes a number 0..{max} (\"{name}:{Math.Min(2, max)}\")";
        if (FlagOptions.Contains(name))
            return parts.Length == 1 ? null : $"{SpecErrors.Quote(text)}: {name} takes no value";
        return $"{SpecErrors.Quote(text)} is not a resolver option" + DidYouMean.Hint(name, [.. NumericOptions.Keys, .. FlagOptions]);
    }

    private static HostsSpec? Hosts(TableReader root)
    {
        if (root.Table("hosts") is not { } hosts)
            return null;
        var entries = new List<HostEntry>();
        // One line per address: a second entry for the same address is a split the author did not mean.
        var firstSeen = new Dictionary<string, string>();
        foreach (TableReader entry in hosts.Tables("entries") ?? [])
        {
            IPAddress? address = null;
            if (entry.String("ip") is { } ip)
            {
                if (TextRules.Ip(ip.Value, out IPAddress parsed) is { } error)
                    entry.Errors.Add(ip.At, ip.Path, error);
                else
                    address = parsed;
            }
            else if (!entry.Has("ip"))
                entry.Error("ip", "missing (the address the names resolve to)");
            List<Located<string>> names = entry.Valid(entry.Strings("names"), name => TextRules.DomainName(name, DomainNameMax, false));
            if (entry.Node("names") is Toml.TomlArrayNode { Items.Count: 0 } || !entry.Has("names"))
                entry.Error("names", "give at least one name");
            entry.RejectUnknownKeys();
            if (address is not null)
            {
                hosts.Errors.RejectDuplicate(firstSeen, address.ToString(), entry.At, entry.Path);
                entries.Add(new HostEntry(address, Values(names)));
            }
        }
        hosts.RejectUnknownKeys();
        return new HostsSpec(entries);
    }

    /// <summary>Extra addresses on lo; like interface addresses but never with a broadcast or DAD.</summary>
    private static List<AddressSpec> Loopback(TableReader root)
    {
        if (root.Table("loopback") is not { } loopback)
            return [];
        List<Located<Cidr>> addresses = [];
        foreach (Located<string> text in loopback.Strings("addresses") ?? [])
            if (loopback.InterfaceCidr(text) is { } cidr)
                addresses.Add(cidr);
        loopback.Errors.RejectDuplicates(addresses, cidr => cidr.Address.ToString());
        loopback.RejectUnknownKeys();
        return addresses.ConvertAll(cidr => new AddressSpec(cidr.Value, null, null, false));
    }

    internal static List<T> Values<T>(List<Located<T>> items)
    {
        List<T> values = new(items.Count);
        foreach (Located<T> item in items)
            values.Add(item.Value);
        return values;
    }
}
