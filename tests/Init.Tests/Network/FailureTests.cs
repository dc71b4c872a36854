using Init.Tests.Harness;
using Xunit;

namespace Init.Tests.Network;

/// <summary>Every setup failure is one message: object, operation, errno symbol and text, kernel message, hint.</summary>
[Trait("Needs", "root")]
public class FailureTests
{
    [Fact]
    public void AMissingLinkNamesItWithEnodevAndTheLinksThereAre()
    {
        using var net = new TestNetwork();
        string message = net.Failure("""
            [[interface]]
            name = "eth1"
            """);
        Assert.Equal("eth1: no such link (ENODEV)\n  hint: the links here are lo, eth0; docker run --network none gives a container only lo. "
            + "Attach a network, or remove this [[interface]] from the spec", message);
    }

    [Fact]
    public void ALinkMatchedByAMacNobodyHasListsTheMacsThereAre()
    {
        // Listing only names sends the user to attach a network, when eth0 is there with another MAC.
        using var net = new TestNetwork();
        string mac = net.IpJson("link", "show", "eth0")[0].GetProperty("address").GetString()!;
        string message = net.Failure("""
            [[interface]]
            match = { mac = "02:00:00:00:99:99" }
            """);
        Assert.StartsWith($"link 02:00:00:00:99:99: no such link (ENODEV)\n  hint: the links here are lo (00:00:00:00:00:00), eth0 ({mac}); ", message);
    }

    [Fact]
    public void NoCarrierWithinWaitTimeoutNamesTheWait()
    {
        using var net = new TestNetwork();
        Proc.Must("ip", "-n", net.Ns.GatewayNs, "link", "set", net.Ns.HostVeth, "down");
        string message = net.Failure(NetworkSpecs.CarrierWait("300ms"));
        Assert.StartsWith("eth0: wait for carrier: ETIMEDOUT (not done within 300ms)\n  hint: eth0 is up but has no carrier", message);
    }

    [Fact]
    public void DadNotDoneWithinWaitTimeoutNamesTheAddress()
    {
        using var net = new TestNetwork();
        string message = net.Failure("""
            [[interface]]
            name = "eth0"
            wait_timeout = "100ms"
              [[interface.address]]
              address = "fd00:200:{X}::2/64"
              dad = true
            """);
        Assert.StartsWith($"eth0: wait for DAD on fd00:200:{net.N:x}::2/64: ETIMEDOUT (not done within 100ms)\n  hint: ", message);
    }

    [Fact]
    public void AKernelRefusalCarriesTheErrnoAndTheKernelsMessage()
    {
        using var net = new TestNetwork();
        net.Ns.Exec("sysctl", "-qw", "net.ipv6.conf.eth0.disable_ipv6=1");
        string message = net.Failure("""
            [[interface]]
            name = "eth0"
            addresses = ["10.200.{N}.2/24"]
              [[interface.route]]
              to = "default"
              via = "fe80::1"
            """);
        Assert.Matches(@"^eth0: add route default via fe80::1 proto static: EACCES \(Permission denied\)\n  kernel: IPv6 is disabled on nexthop device\n"
            + @"  hint: IPv6 is disabled on eth0 \(docker disables it unless the network has IPv6\): docker run --sysctl net\.ipv6\.conf\.all\.disable_ipv6=0", message);
    }

    [Fact]
    public void ADuplicateAddressFoundByDadIsNamedWithEaddrnotavail()
    {
        using var net = new TestNetwork();
        string message = net.Failure("""
            [[interface]]
            name = "eth0"
              [[interface.address]]
              address = "fd00:200:{X}::1/64"
              dad = true
            """); // the gateway already has fd00:200:N::1
        Assert.StartsWith($"eth0: wait for DAD on fd00:200:{net.N:x}::1/64 (up to 5s): EADDRNOTAVAIL (Cannot assign requested address)\n"
            + "  detail: duplicate address detection failed: another host uses it", message);
    }
}
