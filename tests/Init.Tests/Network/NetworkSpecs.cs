namespace Init.Tests.Network;

/// <summary>
/// The spec for a fresh eth0 whose gateway is 10.200.N.1: IPv4 and IPv6 addresses, an MTU, a default
/// route via the gateway, optionally an IPv6 default via the link-local fe80::1 (where the gateway side has it),
/// and an extra route with onlink, metric and table.
/// </summary>
internal static class NetworkSpecs
{
    internal static string FreshEth0(int n, bool linkLocalDefault = true) => $"""
        [[interface]]
        name = "eth0"
        mtu = 1400
        addresses = ["10.200.{n}.2/24", "fd00:200:{n:x}::2/64"]
          [[interface.route]]
          to = "default"
          via = "10.200.{n}.1"
        {(linkLocalDefault ? "  [[interface.route]]\n  to = \"default\"\n  via = \"fe80::1\"\n" : "")}  [[interface.route]]
          to = "10.200.77.0/24"
          via = "10.200.78.1"
          onlink = true
          metric = 50
          table = 100
        """;

    /// <summary>eth0 comes up and the init waits for its carrier, up to <paramref name="timeout"/> (a spec duration).</summary>
    internal static string CarrierWait(string timeout) =>
        $"[[interface]]\nname = \"eth0\"\nwait = \"carrier\"\nwait_timeout = \"{timeout}\"\n";
}
