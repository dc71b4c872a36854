using System.Net;
using Init.Network;
using Init.Spec;
using Xunit;

namespace Init.Tests.Spec;

public class EtcFilesTests
{
    [Fact]
    public void HostsHasLocalhostTheHostnameAndTheEntries()
    {
        string hosts = EtcFiles.Hosts("api-1.svc.internal", IPAddress.Parse("10.0.0.10"),
        [
            new HostEntry(IPAddress.Parse("10.0.0.1"), ["gw.internal", "gw"]),
            new HostEntry(IPAddress.Parse("2001:db8::1"), ["v6.internal"]),
        ]);

        Assert.Equal("""
            127.0.0.1	localhost
            ::1	localhost ip6-localhost ip6-loopback
            fe00::	ip6-localnet
            ff00::	ip6-mcastprefix
            ff02::1	ip6-allnodes
            ff02::2	ip6-allrouters
            10.0.0.10	api-1.svc.internal api-1
            10.0.0.1	gw.internal gw
            2001:db8::1	v6.internal

            """.ReplaceLineEndings("\n"), hosts);
    }

    [Fact]
    public void HostsAlwaysHasTheLocalhostAndHostnameLines()
    {
        string hosts = EtcFiles.Hosts("box", IPAddress.Parse("127.0.1.1"), []);

        Assert.StartsWith("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n", hosts);
        Assert.EndsWith("\n127.0.1.1\tbox\n", hosts);
    }

    [Fact]
    public void ResolvConfListsNameserversThenSearchThenOptions()
    {
        var dns = new DnsSpec([IPAddress.Parse("10.0.0.2"), IPAddress.Parse("2001:db8::53")], ["svc.internal", "internal"], ["ndots:2", "edns0"]);

        Assert.Equal("nameserver 10.0.0.2\nnameserver 2001:db8::53\nsearch svc.internal internal\noptions ndots:2 edns0\n",
            EtcFiles.ResolvConf(dns));
        Assert.Equal("nameserver 1.1.1.1\n", EtcFiles.ResolvConf(new DnsSpec([IPAddress.Parse("1.1.1.1")], [], [])));
    }
}
