using System.Net;
using Init.Network;
using Xunit;

namespace Init.Tests.Network;

/// <summary>
/// /etc/hostname, /etc/hosts and /etc/resolv.conf written in-process, under a scratch root. The hostname used is the kernel's own, so the setup
/// has nothing to set (it never calls sethostname when they are equal; the host's hostname is never changed).
/// </summary>
[Trait("Needs", "root")]
public class EtcFilesApplyTests
{
    private static readonly string KernelHostname = File.ReadAllText("/proc/sys/kernel/hostname").Trim();

    private static string Spec => $$"""
        hostname = "{{KernelHostname}}"
        [dns]
        nameservers = ["10.200.0.53"]
        search = ["svc.internal"]
        [hosts]
        entries = [ { ip = "10.200.0.9", names = ["db.internal"] } ]
        [[interface]]
        name = "eth0"
        addresses = ["10.200.{N}.2/24"]
        """;

    [Fact]
    public void FilesAreCreatedWithEtcWhenMissing()
    {
        using var net = new TestNetwork();
        net.Apply(Spec);

        Assert.Equal(KernelHostname + "\n", File.ReadAllText(net.Root["etc/hostname"]));
        Assert.Equal(EtcFiles.Hosts(KernelHostname, IPAddress.Parse($"10.200.{net.N}.2"), [new(IPAddress.Parse("10.200.0.9"), ["db.internal"])]),
            File.ReadAllText(net.Root["etc/hosts"]));
        Assert.Equal("nameserver 10.200.0.53\nsearch svc.internal\n", File.ReadAllText(net.Root["etc/resolv.conf"]));
        Assert.Equal("644", Harness.Proc.Must("stat", "-c", "%a", net.Root["etc/hosts"]).Trim());
    }

    [Fact]
    public void ExistingFilesAreTruncatedAndRewrittenInPlace()
    {
        using var net = new TestNetwork();
        Directory.CreateDirectory(net.Root["etc"]);
        File.WriteAllText(net.Root["etc/resolv.conf"], new string('#', 4096)); // longer than what replaces it
        long inode = Inode(net.Root["etc/resolv.conf"]);

        net.Apply(Spec);

        Assert.Equal("nameserver 10.200.0.53\nsearch svc.internal\n", File.ReadAllText(net.Root["etc/resolv.conf"]));
        Assert.Equal(inode, Inode(net.Root["etc/resolv.conf"]));
    }

    [Fact]
    public void HostsWithoutASpecHostnameNamesTheKernels()
    {
        using var net = new TestNetwork();
        net.Apply("""
            [hosts]
            entries = []
            """);
        Assert.Contains($"127.0.1.1\t{KernelHostname}", File.ReadAllText(net.Root["etc/hosts"]));
        Assert.False(File.Exists(net.Root["etc/hostname"]));
    }

    private static long Inode(string path) => long.Parse(Harness.Proc.Must("stat", "-c", "%i", path).Trim());
}
