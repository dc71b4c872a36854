using System.Text.Json;
using Init.Network;
using Init.Plan;
using Init.Spec;
using Init.Tests.Harness;
using Init.Tests.Spec;
using Netlink;

namespace Init.Tests.Network;

/// <summary>
/// A throwaway namespace (<see cref="Netns"/>: eth0 DOWN, gateway at 10.200.N.1) with a netlink handle inside it
/// and a scratch root for /etc, to run the network setup in-process. Never the host's namespace or /etc;
/// specs here never set a hostname other than the current one (that would change the host's).
/// </summary>
internal sealed class TestNetwork : IDisposable
{
    internal Netns Ns { get; } = Netns.Create();
    internal TempDir Root { get; } = new();
    private readonly NetlinkHandle _netlink;

    internal TestNetwork()
    {
        try
        {
            _netlink = NetlinkHandle.OpenInNamespace($"/run/netns/{Ns.Name}");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The third octet of the namespace's 10.200.N.0/24.</summary>
    internal int N => Ns.Gateway.GetAddressBytes()[2];

    /// <summary>Writes "N" in the TOML as the namespace's octet (decimal) and "X" in IPv6 as its hex.</summary>
    internal string Spec(string toml) => toml.Replace("{N}", N.ToString()).Replace("{X}", N.ToString("x"));

    internal void Apply(string toml) => PlanExecutor.Apply(SpecFile.Load(Spec(toml)), _netlink, Root.Path);

    internal string Failure(string toml) => Xunit.Assert.Throws<NetworkSetupException>(() => Apply(toml)).Message;

    /// <summary><c>ip -n NS ARGS</c>, which must succeed.</summary>
    internal string Ip(params string[] args) => Proc.Must("ip", ["-n", Ns.Name, .. args]);

    /// <summary><c>ip -n NS -j ARGS</c> as JSON.</summary>
    internal JsonElement[] IpJson(params string[] args)
    {
        string json = Ip(["-j", .. args]);
        return string.IsNullOrWhiteSpace(json) ? [] : [.. JsonDocument.Parse(json).RootElement.EnumerateArray()];
    }

    /// <summary>The link's addresses as "local/prefixlen", with " tentative" for tentative ones.</summary>
    internal string[] Addresses(string link = "eth0") =>
        [.. IpJson("addr", "show", "dev", link).SelectMany(l => l.GetProperty("addr_info").EnumerateArray())
            .Select(a => $"{a.GetProperty("local").GetString()}/{a.GetProperty("prefixlen").GetInt32()}"
                + (a.TryGetProperty("tentative", out _) ? " tentative" : ""))
            .Order()];

    /// <summary>
    /// Links, addresses, routes, rules and permanent neighbours as text, for before/after comparisons; without what changes by itself after a
    /// link comes up (carrier flags, the kernel's IPv6 link-local address and its routes).
    /// </summary>
    internal string State()
    {
        string links = string.Concat(IpJson("link", "show").Select(l =>
            $"{l.GetProperty("ifname")} mtu {l.GetProperty("mtu")} {l.GetProperty("address")} up={l.GetProperty("flags").EnumerateArray().Any(f => f.GetString() == "UP")}\n"));
        string settled = Ip("-o", "addr", "show") + Ip("route", "show", "table", "all") + Ip("-6", "route", "show", "table", "all")
            + Ip("rule", "show") + Ip("-6", "rule", "show") + Ip("neigh", "show", "nud", "permanent");
        return links + string.Join('\n', settled.Split('\n').Where(line => !line.Contains("fe80::") && !line.Contains("ff00::/8")));
    }

    public void Dispose()
    {
        _netlink?.Dispose();
        Root.Dispose();
        Ns.Dispose();
    }
}
