using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Netlink.Testing;
using Xunit;

namespace Netlink.Tests.Testing;

/// <summary>
/// The fake-kernel seam as a library user's unit tests would use it: only the public namespaces <c>Netlink</c> and
/// <c>Netlink.Testing</c>, no root, no namespace, no socket. Each test scripts what the kernel answers and drives
/// the ordinary <see cref="NetlinkHandle"/> API against it.
/// </summary>
public sealed class ScriptedKernelTests
{
    private static readonly Link Eth0Down = new()
    {
        Index = 2, Name = "eth0", Mtu = 1500, HardwareType = 1, Flags = LinkFlags.Broadcast | LinkFlags.Multicast,
        OperationalState = OperationalState.Down, MacAddress = PhysicalAddress.Parse("02-00-00-00-00-02"), Kind = "veth",
    };

    private static readonly Link Eth0WithCarrier = new()
    {
        Index = 2, Name = "eth0", Mtu = 1500, HardwareType = 1, Flags = LinkFlags.Up | LinkFlags.Running | LinkFlags.LowerUp,
        OperationalState = OperationalState.Up,
    };

    [Fact]
    public void AKernelErrorWithAnExtendedAckReadsInTheExceptionText()
    {
        var kernel = new FakeKernel(request => request.Type == MessageType.NewRoute
            ? [KernelReply.Error(request, Errno.EINVAL, "Invalid prefix for given prefix length", attributeOffset: 28)]
            : [KernelReply.Ack(request)]);
        using var handle = kernel.Open();

        var error = Assert.Throws<NetlinkException>(() => handle.AddRoute(new Route(IPNetwork.Parse("10.200.5.0/24")) { OutputLinkIndex = 2 }));

        Assert.Equal((Errno.EINVAL, "EINVAL", "Invalid prefix for given prefix length", 1), (error.Errno, error.ErrnoName, error.KernelMessage, error.AttributeType));
        Assert.StartsWith("link #2: add route 10.200.5.0/24: EINVAL (Invalid argument)\n  kernel: Invalid prefix for given prefix length\n  attribute: type 1 at offset 28", error.Message);
        var sent = Assert.Single(kernel.Requests);
        Assert.True(sent.WantsAck);
    }

    [Fact]
    public void ADumpOfSeveralPartsListsEveryObjectAsSent()
    {
        Route[] routes =
        [
            new(Route.DefaultIPv4) { Gateway = IPAddress.Parse("10.200.0.1"), OutputLinkIndex = 2, Metric = 100, Protocol = RouteProtocol.Static },
            new(IPNetwork.Parse("10.200.1.0/24")) { OutputLinkIndex = 2, Protocol = RouteProtocol.Kernel },
            new(IPNetwork.Parse("10.200.2.0/24")) { Type = RouteType.Blackhole },
        ];
        var kernel = new FakeKernel(request => request switch
        {
            { Type: MessageType.GetRoute, IsDump: true } => KernelReply.Dump(request, routes.Select(route => KernelReply.Route(route))),
            { Type: MessageType.GetLink, IsDump: true } => KernelReply.Dump(request, [KernelReply.Link(Eth0Down), KernelReply.Link(Eth0WithCarrier)]),
            _ => [KernelReply.Error(request, Errno.EOPNOTSUPP)],
        });
        using var handle = kernel.Open();

        Assert.Equal(routes.Select(route => route.ToString()), handle.ListRoutes(AddressFamily.InterNetwork).Select(route => route.ToString()));
        var links = handle.ListLinks();
        Assert.Equal([("eth0", 1500u, "veth", false), ("eth0", 1500u, null, true)], links.Select(link => (link.Name, link.Mtu, link.Kind, link.HasCarrier)));
        Assert.Equal(Eth0Down.MacAddress, links[0].MacAddress);
    }

    [Fact]
    public void AnInterruptedDumpIsRunAgainAfterAPause()
    {
        var sent = new List<long>();
        var kernel = new FakeKernel(request =>
        {
            sent.Add(Stopwatch.GetTimestamp());
            return KernelReply.Dump(request, [KernelReply.Link(Eth0Down)], interrupted: sent.Count < 3);
        });
        using var handle = kernel.Open();

        Assert.Equal("eth0", Assert.Single(handle.ListLinks()).Name);

        Assert.Equal(3, kernel.Requests.Count);
        Assert.True(Stopwatch.GetElapsedTime(sent[0], sent[1]).TotalMilliseconds >= 1, "no pause before the second run");
        Assert.True(Stopwatch.GetElapsedTime(sent[1], sent[2]).TotalMilliseconds >= 2, "no longer pause before the third run");
    }

    [Fact]
    public void ADumpInterruptedEveryTimeFailsUnlessTheCallerAcceptsIt()
    {
        var kernel = new FakeKernel(request => KernelReply.Dump(request, [KernelReply.Link(Eth0Down)], interrupted: true));
        using var handle = kernel.Open();

        Assert.Equal("list links", Assert.Throws<NetlinkDumpInterruptedException>(() => handle.ListLinks()).Operation);
        handle.AllowInconsistentDumps = true;
        Assert.Equal("eth0", Assert.Single(handle.ListLinks()).Name);
        Assert.Equal(2 * NetlinkHandle.DumpAttempts, kernel.Requests.Count);
    }

    [Fact]
    public void AWaitEndsWithTheEventThatBringsCarrier()
    {
        FakeKernel kernel = null!;
        var asked = 0;
        kernel = new FakeKernel(request =>
        {
            if (++asked == 1)
                kernel.Notify(KernelReply.Link(Eth0WithCarrier)); // the wait subscribed before it looked
            return [KernelReply.Link(asked == 1 ? Eth0Down : Eth0WithCarrier).AnswerTo(request)];
        });
        using var handle = kernel.Open();

        Assert.True(handle.WaitForCarrier("eth0", TimeSpan.FromSeconds(30)).HasCarrier);
        Assert.Equal(2, asked);
        Assert.Equal(0, kernel.Subscriptions); // the wait's subscription is closed
    }

    [Fact]
    public void ACancelledWaitEndsAtOnce()
    {
        using var cancellation = new CancellationTokenSource();
        var kernel = new FakeKernel(request => [KernelReply.Link(Eth0Down).AnswerTo(request)]);
        using var handle = kernel.Open();

        var waiting = Task.Run(() => handle.WaitForCarrier("eth0", TimeSpan.FromMinutes(10), cancellation.Token));
        Assert.True(SpinWait.SpinUntil(() => kernel.Subscriptions == 1 && kernel.Requests.Count == 1, TimeSpan.FromSeconds(30)));
        cancellation.Cancel();

        Assert.True(((IAsyncResult)waiting).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(30)), "the wait outlived its token");
        Assert.IsAssignableFrom<OperationCanceledException>(waiting.Exception?.InnerException);
    }

    [Fact]
    public void DisposingTheHandleEndsAWaitInAnotherThread()
    {
        var kernel = new FakeKernel(request => [KernelReply.Link(Eth0Down).AnswerTo(request)]);
        var handle = kernel.Open();

        var waiting = Task.Run(() => handle.WaitForCarrier("eth0", Timeout.InfiniteTimeSpan));
        Assert.True(SpinWait.SpinUntil(() => kernel.Subscriptions == 1 && kernel.Requests.Count == 1, TimeSpan.FromSeconds(30)));
        handle.Dispose();

        Assert.True(((IAsyncResult)waiting).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(30)), "the wait outlived its handle");
        Assert.IsType<ObjectDisposedException>(waiting.Exception?.InnerException);
        Assert.Equal(0, kernel.OpenHandles);
    }

    [Fact]
    public void SilenceIsATimeoutAtTheHandlesDeadline()
    {
        var kernel = new FakeKernel();
        using var handle = kernel.Open(TimeSpan.FromMilliseconds(50));

        var error = Assert.Throws<NetlinkTimeoutException>(() => handle.SetLinkUp(2));
        Assert.Equal("link #2: set link up", error.Operation);
    }
}
