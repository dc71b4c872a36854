using System.Net;

namespace Init.Tests.Harness;

/// <summary>
/// A throwaway network namespace whose eth0 (DOWN, no address) is one end of a veth pair; the other end
/// lives in a second throwaway namespace and plays the gateway (10.200.N.1/24, fd00:200:N::1/64, fe80::1).
/// Nothing is created in the host's own namespace. Dispose removes both namespaces.
/// </summary>
public sealed class Netns : IDisposable
{
    private static int s_counter;

    /// <summary>The namespace the init runs in: /run/netns/<see cref="Name"/>.</summary>
    public string Name { get; }
    /// <summary>The namespace holding the gateway end of the veth.</summary>
    public string GatewayNs { get; }
    /// <summary>The gateway end's link name (inside <see cref="GatewayNs"/>).</summary>
    public string HostVeth => "gw0";
    public IPAddress Gateway { get; }
    public IPAddress Gateway6 { get; }
    /// <summary>The IPv4 /24 shared by eth0 and the gateway.</summary>
    public IPNetwork Prefix { get; }

    private Netns(bool withEth0)
    {
        int n = Interlocked.Increment(ref s_counter) % 250 + 1;
        Name = $"it{Environment.ProcessId}-{n}";
        GatewayNs = Name + "g";
        Gateway = IPAddress.Parse($"10.200.{n}.1");
        Gateway6 = IPAddress.Parse($"fd00:200:{n:x}::1");
        Prefix = IPNetwork.Parse($"10.200.{n}.0/24");
        try
        {
            Proc.Must("ip", "netns", "add", Name);
            Proc.Must("ip", "netns", "add", GatewayNs);
            Proc.Must("ip", "-n", GatewayNs, "link", "set", "lo", "up");
            if (withEth0) AddEth0();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public static Netns Create(bool withEth0 = true) => new(withEth0);

    /// <summary>Runs a command inside <see cref="Name"/> (ip netns exec).</summary>
    public ProcResult Exec(string file, params string[] args) => Proc.Run("ip", ["netns", "exec", Name, file, .. args]);

    /// <summary>Runs out/init as PID 1 inside this namespace.</summary>
    public ProcResult RunInit(IEnumerable<string> initArgs, Pid1Options? options = null)
        => Pid1.Run(initArgs, WithNetns(options));

    public Pid1Process StartInit(IEnumerable<string> initArgs, Pid1Options? options = null)
        => Pid1.Start(initArgs, WithNetns(options));

    public void Dispose()
    {
        // The veth dies with either namespace; the gateway side goes first so the name is free at once.
        Proc.Run("ip", ["netns", "del", GatewayNs]);
        Proc.Run("ip", ["netns", "del", Name]);
    }

    /// <summary>
    /// Makes eth0 arrive late, as a CNI plugin or docker network connect does: the pair is made in the gateway's
    /// namespace, then its eth0 end is moved into <see cref="Name"/> (optionally with <paramref name="mac"/>).
    /// </summary>
    public void MoveEth0In(string? mac = null)
    {
        Proc.Must("ip", "-n", GatewayNs, "link", "add", HostVeth, "type", "veth", "peer", "name", "eth0");
        if (mac is not null) Proc.Must("ip", "-n", GatewayNs, "link", "set", "eth0", "address", mac);
        ConfigureGateway();
        Proc.Must("ip", "-n", GatewayNs, "link", "set", "eth0", "netns", Name);
    }

    private void AddEth0()
    {
        Proc.Must("ip", "-n", GatewayNs, "link", "add", HostVeth, "type", "veth", "peer", "name", "eth0", "netns", Name);
        ConfigureGateway();
    }

    private void ConfigureGateway()
    {
        Proc.Must("ip", "-n", GatewayNs, "addr", "add", Gateway + "/24", "dev", HostVeth);
        Proc.Must("ip", "-n", GatewayNs, "addr", "add", Gateway6 + "/64", "dev", HostVeth, "nodad");
        Proc.Must("ip", "-n", GatewayNs, "addr", "add", "fe80::1/64", "dev", HostVeth, "nodad");
        Proc.Must("ip", "-n", GatewayNs, "link", "set", HostVeth, "up");
    }

    private Pid1Options WithNetns(Pid1Options? options) => new()
    {
        Netns = Name,
        NetAdmin = options?.NetAdmin ?? true,
        Stdin = options?.Stdin,
        Timeout = options?.Timeout ?? TimeSpan.FromSeconds(30),
        Env = options?.Env,
        WorkingDirectory = options?.WorkingDirectory,
    };
}
