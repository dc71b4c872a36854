using System.Net.NetworkInformation;
using System.Text.Json;
using Xunit;

namespace Netlink.Tests.Integration;

/// <summary>Link operations against the real kernel, cross-checked with <c>ip -j link</c>.</summary>
[Trait("Needs", "root")]
public class LinkTests : NamespaceTest
{
    private JsonElement IpLink(string name) => Namespace.IpJson("-d", "link", "show", "dev", name)[0];

    private static string[] Flags(JsonElement link) => link.GetProperty("flags").EnumerateArray().Select(f => f.GetString()!).ToArray();

    [Fact]
    public void CreatedVethMatchesIproute2()
    {
        var (v0, v1) = CreateVethPair();
        foreach (var link in new[] { v0, v1 })
        {
            var ip = IpLink(link.Name);
            Assert.Equal(ip.GetProperty("ifindex").GetInt32(), link.Index);
            Assert.Equal(ip.GetProperty("mtu").GetUInt32(), link.Mtu);
            Assert.Equal(PhysicalAddress.Parse(ip.GetProperty("address").GetString()!), link.MacAddress);
            Assert.Equal(ip.GetProperty("linkinfo").GetProperty("info_kind").GetString(), link.Kind);
            Assert.Equal(ip.GetProperty("min_mtu").GetUInt32(), link.MinMtu);
            Assert.Equal(ip.GetProperty("max_mtu").GetUInt32(), link.MaxMtu);
            Assert.Equal(Enum.Parse<OperationalState>(ip.GetProperty("operstate").GetString()!.Replace("LOWERLAYERDOWN", "LowerLayerDown"), ignoreCase: true), link.OperationalState);
        }
        Assert.Equal(v1.Index, v0.ParentIndex);
        Assert.Equal("v0", Netlink.GetLink(v0.Index).Name);
    }

    [Fact]
    public void ListMatchesIproute2()
    {
        CreateVethPair();
        var ours = Netlink.ListLinks().Select(l => (l.Index, l.Name, l.Mtu)).OrderBy(l => l.Index);
        var theirs = Namespace.IpJson("link", "show").EnumerateArray()
            .Select(l => (l.GetProperty("ifindex").GetInt32(), l.GetProperty("ifname").GetString()!, l.GetProperty("mtu").GetUInt32())).OrderBy(l => l.Item1);
        Assert.Equal(theirs, ours);
    }

    [Fact]
    public void UpDownAndCarrier()
    {
        var (v0, _) = CreateVethPair();
        Netlink.SetLinkUp(v0);
        Assert.True(Netlink.GetLink("v0").IsUp);
        Assert.False(Netlink.GetLink("v0").HasCarrier); // peer still down
        Assert.Contains("UP", Flags(IpLink("v0")));
        Netlink.SetLinkUp("v1");
        var carrier = Netlink.WaitForCarrier("v0", TimeSpan.FromSeconds(5));
        Assert.True(carrier.HasCarrier);
        Assert.True(carrier.IsOperational);
        Assert.Contains("LOWER_UP", Flags(IpLink("v0")));
        Netlink.SetLinkDown(v0);
        Assert.False(Netlink.GetLink("v0").IsUp);
        Assert.DoesNotContain("UP", Flags(IpLink("v0")));
    }

    [Fact]
    public void WaitForCarrierTimesOutWithATypedError()
    {
        CreateVethPair();
        Netlink.SetLinkUp("v0");
        var error = Assert.Throws<NetlinkTimeoutException>(() => Netlink.WaitForCarrier("v0", TimeSpan.FromMilliseconds(300)));
        Assert.Equal("v0: wait for carrier", error.Operation);
    }

    [Fact]
    public void MtuNameAndMacChangeWhileDown()
    {
        var (v0, _) = CreateVethPair();
        var mac = PhysicalAddress.Parse("02:00:0a:c8:00:01");
        Netlink.SetMtu(v0, 1400);
        Netlink.SetMacAddress(v0, mac);
        Netlink.RenameLink(v0, "eth0");
        var ip = IpLink("eth0");
        Assert.Equal((v0.Index, 1400u), (ip.GetProperty("ifindex").GetInt32(), ip.GetProperty("mtu").GetUInt32()));
        Assert.Equal("02:00:0a:c8:00:01", ip.GetProperty("address").GetString());
        Assert.Equal(v0.Index, Netlink.FindLinkByMacAddress(mac)?.Index);
        Assert.Null(Netlink.FindLink("v0"));
    }

    [Fact]
    public void MtuAboveTheDriversMaximumIsRefused()
    {
        var (v0, _) = CreateVethPair();
        var error = Assert.Throws<NetlinkException>(() => Netlink.SetMtu(v0, 70000));
        Assert.Equal((Errno.EINVAL, "v0: set mtu 70000"), (error.Errno, error.Operation));
        Assert.NotNull(error.KernelMessage);
    }

    [Fact]
    public void DeleteRemovesBothEnds()
    {
        CreateVethPair();
        Netlink.DeleteLink("v0");
        Assert.Null(Netlink.FindLink("v0"));
        Assert.Null(Netlink.FindLink("v1"));
        Assert.Throws<InvalidOperationException>(() => Namespace.Ip("link", "show", "dev", "v0"));
        var error = Assert.Throws<NetlinkException>(() => Netlink.DeleteLink("v0"));
        Assert.Equal((Errno.ENODEV, "v0: get link"), (error.Errno, error.Operation));
    }

    [Fact]
    public void CreatingAnExistingLinkIsEexist()
    {
        CreateVethPair();
        var error = Assert.Throws<NetlinkException>(() => Netlink.CreateVeth("v0", "v9"));
        Assert.Equal((Errno.EEXIST, "v0: create veth with peer v9"), (error.Errno, error.Operation));
        Assert.Contains("hint: a link with that name already exists", error.Message);
    }

    [Fact]
    public void DummyWithoutTheDriverReportsEopnotsuppClearly()
    {
        var error = Assert.Throws<NetlinkException>(() => Netlink.CreateDummy("d0"));
        Assert.Equal((Errno.EOPNOTSUPP, "d0: create dummy", "Unknown device type"), (error.Errno, error.Operation, error.KernelMessage));
        Assert.StartsWith("d0: create dummy: EOPNOTSUPP (Operation not supported)\n  kernel: Unknown device type", error.Message);
    }

    [Fact]
    public void VethPeerCanBeCreatedInAnotherNamespace()
    {
        using var other = new TestNamespace();
        Netlink.CreateVeth("h0", "eth0", other.Path);
        Assert.Equal("veth", Netlink.GetLink("h0").Kind);
        Assert.Null(Netlink.FindLink("eth0"));
        Assert.Equal("eth0", other.IpJson("link", "show", "dev", "eth0")[0].GetProperty("ifname").GetString());
        Assert.Equal("veth", other.Handle.GetLink("eth0").Kind);
    }

    [Fact]
    public void NamespaceHandleLeavesTheCallingThreadAndTheHostAlone()
    {
        var before = File.ResolveLinkTarget("/proc/thread-self/ns/net", false)?.FullName;
        using (var handle = NetlinkHandle.OpenInNamespace(Namespace.Path))
            handle.CreateVeth("nlt-probe0", "nlt-probe1");
        Assert.Equal(before, File.ResolveLinkTarget("/proc/thread-self/ns/net", false)?.FullName);
        Assert.NotNull(Netlink.FindLink("nlt-probe0"));
        Assert.Throws<InvalidOperationException>(() => TestNamespace.Run("ip", "link", "show", "dev", "nlt-probe0")); // not in the host
    }

    [Fact]
    public void LoopbackUpGetsItsAddressesFromTheKernel()
    {
        Netlink.SetLinkUp("lo");
        var lo = Netlink.GetLink("lo");
        Assert.True(lo.IsOperational);
        Assert.Contains(Netlink.ListAddresses("lo"), a => a.ToString() == "127.0.0.1/8");
        var error = Assert.Throws<NetlinkException>(() => Netlink.AddAddress("lo", InterfaceAddress.Parse("127.0.0.1/8")));
        Assert.Equal(Errno.EEXIST, error.Errno);
    }

    [Fact]
    public void StatisticsCountTrafficAndAPeerElsewhereNamesItsNamespace()
    {
        using var other = new TestNamespace();
        Netlink.CreateVeth("v0", "v1", other.Path);
        Netlink.AddAddress("v0", InterfaceAddress.Parse("10.200.0.1/24"));
        Netlink.SetLinkUp("v0");
        other.Handle.AddAddress("v1", InterfaceAddress.Parse("10.200.0.2/24"));
        other.Handle.SetLinkUp("v1");
        Netlink.WaitForCarrier("v0", TimeSpan.FromSeconds(5));
        Namespace.Exec("bash", "-c", "for i in 1 2 3; do echo datagram > /dev/udp/10.200.0.2/9; done");

        var ours = Netlink.GetLink("v0");
        var ip = Namespace.IpJson("-s", "link", "show", "dev", "v0")[0]; // read after ours: counters only grow
        var sent = ip.GetProperty("stats64").GetProperty("tx");
        Assert.InRange(ours.Statistics!.TransmittedPackets, 3UL, sent.GetProperty("packets").GetUInt64());
        Assert.InRange(ours.Statistics.TransmittedBytes, 3UL * 42, sent.GetProperty("bytes").GetUInt64());
        Assert.NotNull(Netlink.ListLinks().Single(l => l.Name == "v0").Statistics);

        Assert.Equal(ip.GetProperty("link_netnsid").GetInt32(), ours.ParentNamespaceId);
        Assert.Equal(other.Handle.GetLink("v1").Index, ours.ParentIndex);
        Assert.Null(other.Handle.GetLink("lo").ParentNamespaceId);
    }

    [Fact]
    public void BridgeWithAPortThenWithout()
    {
        var (v0, _) = CreateVethPair();
        Netlink.CreateBridge("br0");
        var bridge = Netlink.GetLink("br0");
        Assert.Equal("bridge", bridge.Kind);
        Netlink.SetMaster(v0, bridge);
        Assert.Equal("br0", IpLink("v0").GetProperty("master").GetString());
        Assert.Equal(bridge.Index, Netlink.GetLink("v0").MasterIndex);
        Netlink.SetMaster("v0", null);
        Assert.False(IpLink("v0").TryGetProperty("master", out _));
        Assert.Null(Netlink.GetLink("v0").MasterIndex);
    }

    [Fact]
    public void MacvlanOnAVeth()
    {
        CreateVethPair();
        Netlink.CreateMacvlan("mv0", "v0");
        var ip = IpLink("mv0");
        Assert.Equal(("v0", "macvlan", "bridge"), (ip.GetProperty("link").GetString(), ip.GetProperty("linkinfo").GetProperty("info_kind").GetString(),
            ip.GetProperty("linkinfo").GetProperty("info_data").GetProperty("mode").GetString()));
        var macvlan = Netlink.GetLink("mv0");
        Assert.Equal(("macvlan", Netlink.GetLink("v0").Index), (macvlan.Kind, macvlan.ParentIndex));
    }

    [Fact]
    public void VxlanOfBothFamilies()
    {
        var (v0, _) = CreateVethPair();
        Netlink.CreateVxlan("vx0", 42, System.Net.IPAddress.Parse("10.200.0.1"), System.Net.IPAddress.Parse("10.200.0.2"), v0);
        Netlink.CreateVxlan("vx6", 44, System.Net.IPAddress.Parse("fd00:200::1"), System.Net.IPAddress.Parse("fd00:200::2"), v0, port: 4790);
        var data = IpLink("vx0").GetProperty("linkinfo").GetProperty("info_data");
        Assert.Equal(("42", "10.200.0.2", "10.200.0.1", "v0", "4789"),
            (data.GetProperty("id").ToString(), data.GetProperty("remote").GetString(), data.GetProperty("local").GetString(), data.GetProperty("link").GetString(), data.GetProperty("port").ToString()));
        var data6 = IpLink("vx6").GetProperty("linkinfo").GetProperty("info_data");
        Assert.Equal(("44", "fd00:200::2", "fd00:200::1", "4790"),
            (data6.GetProperty("id").ToString(), data6.GetProperty("remote6").GetString(), data6.GetProperty("local6").GetString(), data6.GetProperty("port").ToString()));
        Assert.Equal("vxlan", Netlink.GetLink("vx6").Kind);
        Assert.Throws<ArgumentOutOfRangeException>(() => Netlink.CreateVxlan("vx1", 1 << 24));
    }

    [Fact]
    public void MoveALinkByNamespaceFileAndBackByProcess()
    {
        using var other = new TestNamespace();
        CreateVethPair();
        using (var file = File.OpenHandle(other.Path))
            Netlink.MoveLinkToNamespace("v1", file);
        Assert.Null(Netlink.FindLink("v1"));
        Assert.Equal("v1", other.IpJson("link", "show", "v1")[0].GetProperty("ifname").GetString());
        Assert.NotNull(Netlink.GetLink("v0").ParentNamespaceId);

        using var resident = System.Diagnostics.Process.Start("ip", ["netns", "exec", Namespace.Name, "sleep", "30"]);
        try
        {
            WaitUntilInNamespace(resident.Id, Namespace.Path);
            other.Handle.MoveLinkToNamespaceOfProcess("v1", resident.Id);
        }
        finally
        {
            resident.Kill();
            resident.WaitForExit();
        }
        Assert.Null(other.Handle.FindLink("v1"));
        Assert.Equal(Netlink.GetLink("v1").Index, Netlink.GetLink("v0").ParentIndex);
        Assert.Null(Netlink.GetLink("v0").ParentNamespaceId);
    }

    /// <summary>`ip netns exec` enters the namespace before it execs: wait until the process is there.</summary>
    private static void WaitUntilInNamespace(int processId, string namespacePath)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (Inode($"/proc/{processId}/ns/net") == Inode(namespacePath))
                return;
            Thread.Sleep(10);
        }
        throw new TimeoutException($"process {processId} did not enter {namespacePath}");
    }

    private static string Inode(string path) => TestNamespace.Run("stat", "-L", "-c", "%d:%i", path);
}
