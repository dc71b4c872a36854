using System.Net;
using System.Net.NetworkInformation;

namespace Init.Spec;

/// <summary>A permanent ARP (IPv4) or NDP (IPv6) entry on an interface: the link never resolves this address.</summary>
internal sealed record NeighborSpec(IPAddress Address, PhysicalAddress Mac);

/// <summary>Reads <c>[[interface.neighbor]]</c>: <c>address</c> and <c>mac</c>, both required, one entry per address.</summary>
internal static class NeighborSection
{
    internal static List<NeighborSpec> Read(TableReader link)
    {
        var neighbors = new List<NeighborSpec>();
        // The kernel keys an entry by link and address: a second one would silently replace the first.
        var firstSeen = new Dictionary<string, string>();
        foreach (TableReader entry in link.Tables("neighbor") ?? [])
            if (Neighbor(entry) is { } neighbor)
            {
                link.Errors.RejectDuplicate(firstSeen, neighbor.Address.ToString(), entry.At, entry.Path);
                neighbors.Add(neighbor);
            }
        return neighbors;
    }

    private static NeighborSpec? Neighbor(TableReader entry)
    {
        IPAddress? address = null;
        if (entry.String("address") is { } text)
        {
            string? error = TextRules.Ip(text.Value, out IPAddress parsed);
            if (error is null && (TextRules.IsUnspecified(parsed) || TextRules.IsMulticast(parsed) || parsed.Equals(IPAddress.Broadcast) || IPAddress.IsLoopback(parsed)))
                error = $"{parsed} cannot be a neighbour (the kernel maps it without resolution)";
            if (error is null)
                address = parsed;
            else
                entry.Errors.Add(text.At, text.Path, error);
        }
        else if (!entry.Has("address"))
            entry.Error("address", "missing: the neighbour's IP address (e.g. the gateway)");
        PhysicalAddress? mac = null;
        if (entry.String("mac") is { } macText)
        {
            if (TextRules.Mac(macText.Value, out PhysicalAddress parsed) is { } error)
                entry.Errors.Add(macText.At, macText.Path, error);
            else
                mac = parsed;
        }
        else if (!entry.Has("mac"))
            entry.Error("mac", "missing: the neighbour's link-layer address (\"02:42:ac:11:00:01\")");
        entry.RejectUnknownKeys();
        return address is not null && mac is not null
            ? new NeighborSpec(address, mac)
            : null;
    }
}
