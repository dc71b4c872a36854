using System.Text.Json;
using Netlink.Tests.Integration;
using Netlink.Transport;
using Netlink.Wire;
using Xunit;

namespace Netlink.Tests.Transport;

/// <summary>The real socket's properties, observed from /proc and the kernel.</summary>
[Trait("Needs", "root")]
public class SocketTests
{
    /// <summary>The socket inode for a port id, from /proc/net/netlink (columns: sk Eth Pid ... Inode).</summary>
    private static string InodeOf(uint portId) => File.ReadLines("/proc/net/netlink").Skip(1)
        .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .Single(columns => columns[1] == "0" && columns[2] == portId.ToString(System.Globalization.CultureInfo.InvariantCulture))[^1];

    [Fact]
    public void SocketIsCloseOnExecAndPortIdComesFromTheKernel()
    {
        using var first = NetlinkSocket.Open(null, null, []);
        using var second = NetlinkSocket.Open(null, null, []);
        Assert.NotEqual(first.PortId, second.PortId); // not simply getpid()
        var inode = InodeOf(first.PortId);
        var fd = Directory.GetFiles("/proc/self/fd").Single(path => LinkTarget(path) == $"socket:[{inode}]");
        var flags = File.ReadLines($"/proc/self/fdinfo/{System.IO.Path.GetFileName(fd)}").Single(line => line.StartsWith("flags:", StringComparison.Ordinal));
        var octal = Convert.ToInt32(flags["flags:".Length..].Trim(), 8);
        Assert.NotEqual(0, octal & 0x80000); // O_CLOEXEC
    }

    /// <summary>Where an fd points, or null when another test closed it while we were looking.</summary>
    private static string? LinkTarget(string path)
    {
        try
        {
            return File.ResolveLinkTarget(path, false)?.Name;
        }
        catch (IOException)
        {
            return null;
        }
    }

    [Fact]
    public void MissingNamespaceIsReportedWithItsPath()
    {
        var error = Assert.Throws<NetlinkException>(() => NetlinkHandle.OpenInNamespace("/run/netns/nlt-does-not-exist"));
        Assert.Equal("open network namespace /run/netns/nlt-does-not-exist: ENOENT (No such file or directory)", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => NetlinkHandle.Open(TimeSpan.Zero));
    }

    [Fact]
    public async Task AReceiveWithoutDeadlineEndsWhenItsTokenIsCancelledAndTheSocketGoesOn()
    {
        using var socket = NetlinkSocket.Open(null, null, []);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var receive = Task.Factory.StartNew(() => socket.TryReceive(long.MaxValue, cancellation.Token, acknowledgementsOnly: false, out _, out _), TaskCreationOptions.LongRunning);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => receive.WaitAsync(TimeSpan.FromSeconds(5))); // else: TimeoutException
        Assert.False(socket.TryReceive(Environment.TickCount64 + 50, CancellationToken.None, acknowledgementsOnly: false, out _, out _)); // a stale wake-up is no datagram
    }

    [Fact]
    public void HandlesNeverDisposedGiveTheirDescriptorsBackToACollection()
    {
        var before = OpenDescriptors();
        Assert.True(OpenAndDrop(200) >= before + 200, "each handle holds a socket at least");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.InRange(OpenDescriptors(), 0, before + 50); // slack for tests running meanwhile
    }

    private static int OpenDescriptors() => Directory.GetFiles("/proc/self/fd").Length;

    /// <summary>Opens handles and lets go of them; returns how many descriptors were open while they were held.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static int OpenAndDrop(int count)
    {
        var handles = Enumerable.Range(0, count).Select(_ => NetlinkHandle.Open()).ToList();
        var open = OpenDescriptors();
        GC.KeepAlive(handles);
        return open;
    }

    [Fact]
    public void ReceiveHonoursTheDeadline()
    {
        using var socket = NetlinkSocket.Open(null, null, []);
        var started = Environment.TickCount64;
        Assert.False(socket.TryReceive(started + 150, CancellationToken.None, acknowledgementsOnly: false, out _, out _));
        Assert.InRange(Environment.TickCount64 - started, 140, 2000);
    }

    [Fact]
    public void ListingTheCallersNamespaceMatchesIproute2()
    {
        using var netlink = NetlinkHandle.Open(); // read-only use of the host's namespace
        var theirs = JsonDocument.Parse(TestNamespace.Run("ip", "-j", "link", "show")).RootElement.EnumerateArray()
            .Select(link => link.GetProperty("ifname").GetString()).Order();
        Assert.Equal(theirs, netlink.ListLinks().Select(link => link.Name).Order());
    }

    [Fact]
    public void DumpSpanningManyDatagramsFromTheRealKernel()
    {
        using var ns = new TestNamespace();
        var batchNames = Enumerable.Range(0, 24).Select(i => ($"a{i}", $"b{i}")).ToList();
        foreach (var (name, peer) in batchNames)
            ns.Handle.CreateVeth(name, peer);
        using var networkNamespace = NamespaceFile.Open(ns.Path);
        var counting = new CountingTransport(NetlinkSocket.Open(networkNamespace, ns.Path, []));
        using var handle = new NetlinkHandle(counting, NetlinkHandle.DefaultTimeout, _ => throw new NotSupportedException());
        var links = handle.ListLinks();
        Assert.Equal(49, links.Count); // lo + 24 pairs, ~1.5 KiB each with stats
        Assert.True(counting.Datagrams >= 2, $"{counting.Datagrams} datagram(s)");
        var theirs = ns.IpJson("link", "show").EnumerateArray().Select(l => l.GetProperty("ifname").GetString()).Order();
        Assert.Equal(theirs, links.Select(l => l.Name).Order());
    }

    [Fact]
    public void KernelPointsAtTheOffendingAttribute()
    {
        using var ns = new TestNamespace();
        using var networkNamespace = NamespaceFile.Open(ns.Path);
        using var channel = new NetlinkChannel(NetlinkSocket.Open(networkNamespace, ns.Path, []), NetlinkHandle.DefaultTimeout);
        // RTM_NEWLINK for lo with IFLA_MTU as 2 bytes instead of a u32: the kernel's policy check rejects it.
        var writer = new NetlinkWriter(stackalloc byte[64]);
        writer.BeginMessage(16, NetlinkHeader.Request | NetlinkHeader.Ack);
        writer.WriteU32(0);
        writer.WriteI32(1);
        writer.WriteU32(0);
        writer.WriteU32(0);
        writer.AddAttribute(4, [0xdc, 0x05]);
        var request = writer.ToMessage();
        var error = Assert.Throws<NetlinkException>(() => channel.Execute(new PendingRequest(request, () => "lo: set mtu"), CancellationToken.None));
        Assert.Equal((Errno.ERANGE, 32, 4), (error.Errno, error.AttributeOffset, error.AttributeType)); // policy: wrong length
        Assert.NotNull(error.KernelMessage);
        Assert.Contains("attribute: type 4 at offset 32", error.Message);
    }

    [Fact]
    public void VethPeerByNamespaceFileHandle()
    {
        using var ns = new TestNamespace();
        using var other = new TestNamespace();
        using (var peerNamespace = File.OpenHandle(other.Path))
            ns.Handle.CreateVeth("h0", "eth0", peerNamespace);
        Assert.Equal("veth", other.Handle.GetLink("eth0").Kind);
        Assert.NotNull(ns.Handle.FindLink("h0"));
    }
}

/// <summary>Counts the datagrams the real socket delivers.</summary>
internal sealed class CountingTransport(INetlinkTransport inner) : INetlinkTransport
{
    public int Datagrams { get; private set; }

    public uint PortId => inner.PortId;

    public void Send(ReadOnlySpan<byte> datagram) => inner.Send(datagram);

    public bool TryReceive(long deadline, CancellationToken cancellation, bool acknowledgementsOnly, out ReadOnlyMemory<byte> datagram, out uint senderPortId)
    {
        var received = inner.TryReceive(deadline, cancellation, acknowledgementsOnly, out datagram, out senderPortId);
        Datagrams += received ? 1 : 0;
        return received;
    }

    public void Dispose() => inner.Dispose();
}
