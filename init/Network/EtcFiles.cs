using System.Net;
using System.Text;
using Init.Spec;

namespace Init.Network;

/// <summary>The content of the files init writes; pure, so --check and tests see exactly what the apply writes.</summary>
internal static class EtcFiles
{
    internal static string Hostname(string hostname) => hostname + "\n";

    /// <summary>
    /// Localhost lines for 127.0.0.1 and ::1 (with the IPv6 names docker writes), the hostname line, then the
    /// spec's entries in order. An FQDN hostname also gets its first label as an alias.
    /// </summary>
    internal static string Hosts(string hostname, IPAddress hostnameAddress, IReadOnlyList<HostEntry> entries)
    {
        var text = new StringBuilder();
        Line(text, "127.0.0.1", "localhost");
        Line(text, "::1", "localhost ip6-localhost ip6-loopback");
        Line(text, "fe00::", "ip6-localnet");
        Line(text, "ff00::", "ip6-mcastprefix");
        Line(text, "ff02::1", "ip6-allnodes");
        Line(text, "ff02::2", "ip6-allrouters");
        string shortName = hostname.Split('.')[0];
        Line(text, hostnameAddress.ToString(), shortName == hostname ? hostname : $"{hostname} {shortName}");
        foreach (HostEntry entry in entries)
            Line(text, entry.Address.ToString(), string.Join(' ', entry.Names));
        return text.ToString();
    }

    internal static string ResolvConf(DnsSpec dns)
    {
        var text = new StringBuilder();
        foreach (IPAddress nameserver in dns.Nameservers)
            text.Append("nameserver ").Append(nameserver).Append('\n');
        if (dns.Search.Count > 0)
            text.Append("search ").AppendJoin(' ', dns.Search).Append('\n');
        if (dns.Options.Count > 0)
            text.Append("options ").AppendJoin(' ', dns.Options).Append('\n');
        return text.ToString();
    }

    private static void Line(StringBuilder text, string address, string names) =>
        text.Append(address).Append('\t').Append(names).Append('\n');
}
