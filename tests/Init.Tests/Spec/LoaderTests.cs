using System.Net;
using System.Net.NetworkInformation;
using Init.Logging;
using Init.Spec;
using Xunit;

namespace Init.Tests.Spec;

public class LoaderTests
{
    [Fact]
    public void TheContractExampleLoadsIntoTheModel()
    {
        InitSpec spec = SpecFile.Load(SpecFile.ContractExample);

        Assert.Equal((false, TimeSpan.FromSeconds(3), LogLevel.Info), (spec.Init.Group, spec.Init.Grace, spec.Init.Log));
        Assert.Equal([143], spec.Init.RemapExit);
        Assert.Equal(["/app/server", "--port", "8080"], spec.Workload.Command);
        Assert.Equal("8080", spec.Workload.Env["PORT"]);
        Assert.Equal("/app", spec.Workload.Workdir);
        Assert.Equal("app", spec.Workload.User);
        Assert.Equal(["NET_ADMIN"], spec.Workload.DropCapabilities);
        Assert.False(spec.Workload.NoNewPrivileges);

        NetworkSpec network = spec.Network!;
        Assert.Equal("api-1", network.Hostname);
        Assert.Equal([IPAddress.Parse("10.0.0.2"), IPAddress.Parse("2001:db8::53")], network.Dns!.Nameservers);
        Assert.Equal(["svc.internal"], network.Dns.Search);
        Assert.Equal(["ndots:2"], network.Dns.Options);
        HostEntry entry = Assert.Single(network.Hosts!.Entries);
        Assert.Equal(IPAddress.Parse("10.0.0.1"), entry.Address);
        Assert.Equal(["gw.internal"], entry.Names);
        Assert.Equal("169.254.169.254/32", Assert.Single(network.LoopbackAddresses).Address.ToString());

        InterfaceSpec eth0 = Assert.Single(network.Interfaces);
        Assert.Equal(new LinkMatch.ByName("eth0"), eth0.Match);
        Assert.Equal("wan0", eth0.Rename);
        Assert.Equal(PhysicalAddress.Parse("02-00-00-00-00-10"), eth0.Mac);
        Assert.Equal(1400, eth0.Mtu);
        Assert.True(eth0.Flush);
        Assert.Equal(LinkWait.None, eth0.Wait);
        Assert.Equal(TimeSpan.FromSeconds(5), eth0.WaitTimeout);
        Assert.Equal(["10.0.0.10/24", "2001:db8::10/64", "192.0.2.2/32"], eth0.Addresses.Select(a => a.Address.ToString()));
        Assert.Equal(IPAddress.Parse("10.0.0.255"), eth0.Addresses[0].Broadcast);
        Assert.Null(eth0.Addresses[1].Broadcast);
        Assert.Equal("192.0.2.1/32", eth0.Addresses[2].Peer.ToString());
        Assert.Null(eth0.Addresses[2].Broadcast);
        Assert.All(eth0.Addresses, a => Assert.False(a.Dad));

        Assert.Equal(3, eth0.Routes.Count);
        Assert.Equal(new RouteSpec(IPNetwork.Parse("0.0.0.0/0"), IPAddress.Parse("10.0.0.1"), 100, RouteSpec.MainTable, null, null, false), eth0.Routes[0]);
        Assert.Equal(new RouteSpec(IPNetwork.Parse("::/0"), IPAddress.Parse("fe80::1"), null, RouteSpec.MainTable, null, null, false), eth0.Routes[1]);
        Assert.Equal(new RouteSpec(IPNetwork.Parse("198.51.100.0/24"), IPAddress.Parse("192.0.2.1"), null, 100, IPAddress.Parse("192.0.2.2"), null, true), eth0.Routes[2]);
    }

    [Fact]
    public void AMissingDefaultFileMeansNoChangesButAMissingNamedFileIsAnError()
    {
        string path = Path.Combine(Path.GetTempPath(), $"init-no-such-{Guid.NewGuid()}.toml");

        Assert.Same(InitSpec.Empty, SpecLoader.Load(path, explicitlyNamed: false));
        Assert.Null(InitSpec.Empty.Network);
        var failure = Assert.Throws<SpecException>(() => SpecLoader.Load(path, explicitlyNamed: true));
        Assert.Equal($"{path}:1:1: (file): cannot read: No such file or directory", Assert.Single(failure.Errors).ToString());
    }

    [Fact]
    public void InitRewriteTakesNamesNumbersAndZeroAndPauseABoolean()
    {
        InitSpec spec = SpecFile.Load("[init]\nrewrite = { TERM = \"QUIT\", 10 = 0, SIGHUP = \"12\", WINCH = \"0\" }\npause = true\n");
        Assert.Equal(new Dictionary<int, int> { [15] = 3, [10] = 0, [1] = 12, [28] = 0 }, spec.Init.Rewrite);
        Assert.True(spec.Init.Pause);
    }

    [Fact]
    public void AnEmptyFileBringsUpLoAndKeepsTheDefaults()
    {
        InitSpec spec = SpecFile.Load("");

        Assert.Equal(InitTableSettings.Unset, spec.Init);
        Assert.Same(WorkloadSpec.Default, spec.Workload);
        NetworkSpec network = spec.Network!;
        Assert.Equal((null, null, null), (network.Hostname, network.Dns, network.Hosts));
        Assert.Empty(network.LoopbackAddresses);
        Assert.Empty(network.Interfaces);
    }

    [Fact]
    public void InlineAndDottedFormsMeanTheSameAsHeaders()
    {
        InitSpec headers = SpecFile.Load("""
            [dns]
            nameservers = ["10.0.0.2"]
            [[interface]]
            name = "eth0"
            addresses = ["10.0.0.10/24"]
            [[interface.route]]
            to = "default"
            via = "10.0.0.1"
            """);
        InitSpec inline = SpecFile.Load("""
            dns.nameservers = ["10.0.0.2"]
            interface = [{ name = "eth0", addresses = ["10.0.0.10/24"], route = [{ to = "default", via = "10.0.0.1" }] }]
            """);

        Assert.Equal(headers.Network!.Dns!.Nameservers, inline.Network!.Dns!.Nameservers);
        Assert.Equal(headers.Network.Interfaces[0].Routes, inline.Network.Interfaces[0].Routes);
        Assert.Equal(headers.Network.Interfaces[0].Addresses, inline.Network.Interfaces[0].Addresses);
    }

    [Fact]
    public void ErrorsInInlineTablesPointIntoTheLine()
    {
        string[] errors = SpecFile.Errors("""
            interface = [{ name = "eth0", route = [{ to = "default", via = "10.0.0.1" }] }]
            """);

        Assert.Equal(["1:64: interface[0].route[0].via: gateway 10.0.0.1 is not inside any prefix on eth0 (it has no IPv4 address); set onlink = true if it is on the link"], errors);
    }

    [Fact]
    public void ADirectoryOrAHugeFileIsAnErrorEvenAtTheDefaultPath()
    {
        DirectoryInfo directory = Directory.CreateTempSubdirectory("init-spec-dir-");
        try
        {
            var failure = Assert.Throws<SpecException>(() => SpecLoader.Load(directory.FullName, explicitlyNamed: false));
            Assert.Equal($"{directory.FullName}:1:1: (file): not a regular file: a directory", Assert.Single(failure.Errors).ToString());
        }
        finally
        {
            directory.Delete();
        }
        using var huge = new SpecFile(new string('#', 2 << 20));
        var tooLarge = Assert.Throws<SpecException>(() => SpecLoader.Load(huge.Path, explicitlyNamed: false));
        Assert.Equal($"{huge.Path}:1:1: (file): larger than 1024 KiB: not a spec", Assert.Single(tooLarge.Errors).ToString());
    }
}
