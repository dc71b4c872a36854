using System.Net;
using Netlink.Testing;
using Netlink.Tests.Golden;
using Netlink.Wire;
using Xunit;

namespace Netlink.Tests.Transport;

/// <summary>
/// The protocol paths the real kernel will not produce on demand, against the library's public fake kernel
/// (<see cref="FakeKernel"/>), fed with replies captured from a real one (<see cref="Captures"/>).
/// </summary>
public sealed class FakeKernelTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(150);
    private readonly FakeKernel _kernel = new();
    private readonly NetlinkHandle _handle;

    public FakeKernelTests() => _handle = _kernel.Open(Timeout);

    public void Dispose() => _handle.Dispose();

    /// <summary>A captured datagram answering <paramref name="request"/>, with extra flags.</summary>
    private static KernelReply Captured(string hex, KernelRequest request, ushort addFlags = 0) =>
        KernelReply.Datagram(Convert.FromHexString(hex)).Rewritten(request.Sequence, FakeKernel.PortId, addFlags);

    /// <summary>GETLINK answers with the captured v0 (index 3); everything else with <paramref name="other"/>.</summary>
    private void Answer(Func<KernelRequest, IEnumerable<KernelReply>> other) =>
        _kernel.Respond = request => request.Type == MessageType.GetLink && !request.IsDump
            ? [Captured(Captures.GetLinkReply, request)]
            : other(request);

    /// <summary>The captured link dump (lo, v1, v0), one message per datagram.</summary>
    private static List<KernelReply> LinkDumpParts()
    {
        var all = Convert.FromHexString(Captures.DumpLinksReply);
        var parts = new List<KernelReply>();
        var reader = new MessageReader(all);
        var offset = 0;
        while (reader.TryRead(out var message))
        {
            var length = NetlinkHeader.Align(16 + message.Payload.Length);
            parts.Add(KernelReply.Datagram(all.AsSpan(offset, length)));
            offset += length;
        }
        return parts;
    }

    [Fact]
    public void KernelErrorNamesOperationErrnoKernelMessageAndAttribute()
    {
        Answer(request => [KernelReply.Error(request, Errno.EEXIST, "Address already assigned", attributeOffset: 24)]);
        var error = Assert.Throws<NetlinkException>(() => _handle.AddAddress("v0", InterfaceAddress.Parse("10.200.0.1/24")));
        Assert.Equal((17, "EEXIST", "File exists"), (error.Errno, error.ErrnoName, error.ErrnoDescription));
        Assert.Equal((24, 2), (error.AttributeOffset, error.AttributeType)); // IFA_LOCAL
        Assert.Equal(
            "v0: add address 10.200.0.1/24: EEXIST (File exists)\n  kernel: Address already assigned\n  attribute: type 2 at offset 24\n"
            + "  hint: it already exists; use the replace operation to converge instead of adding",
            error.Message);
    }

    [Fact]
    public void RouteErrorNamesTheOutputLinkKnownToTheHandle()
    {
        Answer(request => [KernelReply.Error(request, Errno.ENETUNREACH, "Nexthop has invalid gateway")]);
        var link = _handle.GetLink("v0");
        var error = Assert.Throws<NetlinkException>(() => _handle.AddRoute(new Route(Route.DefaultIPv4)
        {
            Gateway = IPAddress.Parse("10.200.0.1"), OutputLinkIndex = link.Index, Metric = 100,
        }));
        Assert.StartsWith("v0: add route default via 10.200.0.1 metric 100: ENETUNREACH (Network is unreachable)\n  kernel: Nexthop has invalid gateway\n  hint:", error.Message);
    }

    [Fact]
    public void RenamingAnUpLinkGetsAHint()
    {
        // Older kernels (and drivers without live rename) refuse; 6.18's veth does not, so the fake kernel plays it.
        Answer(request => [KernelReply.Error(request, Errno.EBUSY)]);
        var error = Assert.Throws<NetlinkException>(() => _handle.RenameLink("v0", "eth0"));
        Assert.Equal("v0: rename to eth0: EBUSY (Device or resource busy)\n  hint: set the link down first", error.Message);
    }

    [Fact]
    public void UncappedErrorEchoingTheWholeRequest()
    {
        _kernel.Respond = request => [Captured(Captures.CreateDummyError, request)];
        var error = Assert.Throws<NetlinkException>(() => _handle.CreateDummy("d0"));
        Assert.Equal("d0: create dummy", error.Operation);
        Assert.Equal((Errno.EOPNOTSUPP, "Unknown device type"), (error.Errno, error.KernelMessage));
        Assert.Contains("hint: this kernel has no driver", error.Message);
    }

    [Fact]
    public void DumpSpansManyDatagramsUntilDone()
    {
        _kernel.Respond = request => KernelReply.Dump(request, LinkDumpParts());
        Assert.Equal(["lo", "v1", "v0"], _handle.ListLinks().Select(l => l.Name));
    }

    [Fact]
    public void DoneCarryingAnErrnoFailsTheDump()
    {
        _kernel.Respond = request =>
            [.. LinkDumpParts().Select(part => part.AnswerTo(request)), KernelReply.Done(request, Errno.EINVAL, "Invalid values in header for link dump request")];
        var error = Assert.Throws<NetlinkException>(() => _handle.ListLinks());
        Assert.Equal((Errno.EINVAL, "list links", "Invalid values in header for link dump request"), (error.Errno, error.Operation, error.KernelMessage));
    }

    [Fact]
    public void ErrorInsteadOfDumpFailsTheDump()
    {
        _kernel.Respond = request => [KernelReply.Error(request, Errno.EPERM)];
        Assert.Equal(Errno.EPERM, Assert.Throws<NetlinkException>(() => _handle.ListRoutes()).Errno);
    }

    [Fact]
    public void InterruptedDumpIsRetried()
    {
        var attempts = 0;
        _kernel.Respond = request => KernelReply.Dump(request, LinkDumpParts(), interrupted: ++attempts < 3);
        Assert.Equal(3, _handle.ListLinks().Count);
        Assert.Equal(3, attempts);
    }

    [Fact]
    public void InterruptedDumpsAreRetriedAfterGrowingPauses()
    {
        var sent = new List<long>();
        _kernel.Respond = request =>
        {
            sent.Add(System.Diagnostics.Stopwatch.GetTimestamp());
            return KernelReply.Dump(request, LinkDumpParts(), interrupted: true);
        };
        Assert.Throws<NetlinkDumpInterruptedException>(() => _handle.ListLinks());
        var pauses = sent.Zip(sent.Skip(1), (before, after) => System.Diagnostics.Stopwatch.GetElapsedTime(before, after).TotalMilliseconds);
        Assert.All(pauses.Zip([1, 2, 4, 8, 16]), pause => Assert.True(pause.First >= pause.Second, $"paused {pause.First} ms before attempt, at least {pause.Second} expected"));
    }

    [Fact]
    public void CancellingDuringTheBackOffEndsTheListAtOnce()
    {
        using var cancellation = new CancellationTokenSource();
        var attempts = 0;
        _kernel.Respond = request =>
        {
            attempts++;
            cancellation.Cancel();
            return KernelReply.Dump(request, LinkDumpParts(), interrupted: true);
        };
        Assert.ThrowsAny<OperationCanceledException>(() => _handle.ListLinks(cancellation.Token));
        Assert.Equal(1, attempts);
    }

    [Fact]
    public void AnInconsistentDumpIsReturnedWhenTheCallerAllowsIt()
    {
        var attempts = 0;
        _kernel.Respond = request =>
        {
            attempts++;
            return KernelReply.Dump(request, LinkDumpParts().Take(1), interrupted: true);
        };
        _handle.AllowInconsistentDumps = true;
        Assert.Equal(["lo"], _handle.ListLinks().Select(l => l.Name));
        Assert.Equal(NetlinkHandle.DumpAttempts, attempts); // accepted only after every consistent attempt failed
    }

    [Fact]
    public void PersistentlyInterruptedDumpRaisesTheRetryableError()
    {
        var attempts = 0;
        _kernel.Respond = request =>
        {
            attempts++;
            return KernelReply.Dump(request, LinkDumpParts().Take(1), interrupted: true);
        };
        var error = Assert.Throws<NetlinkDumpInterruptedException>(() => _handle.ListLinks());
        Assert.Equal((Errno.EINTR, "list links"), (error.Errno, error.Operation));
        Assert.Equal(NetlinkHandle.DumpAttempts, attempts);
    }

    [Fact]
    public void TruncatedMessageIsAProtocolError()
    {
        _kernel.Respond = request => [KernelReply.Datagram(Captured(Captures.GetLinkReply, request).Bytes.Span[..200])];
        var error = Assert.Throws<NetlinkProtocolException>(() => _handle.GetLink(3));
        Assert.Equal((Errno.EBADMSG, "link #3: get link"), (error.Errno, error.Operation));
        Assert.Contains("nlmsg_len 1124", error.Message);
    }

    [Fact]
    public void TruncatedAttributeIsAProtocolError()
    {
        _kernel.Respond = request =>
        {
            var reply = Captured(Captures.GetLinkReply, request).Bytes.ToArray();
            reply[32] = 0xff; // first attribute's nla_len now runs past the message
            reply[33] = 0x7f;
            return [KernelReply.Datagram(reply)];
        };
        Assert.Equal("link #3: get link", Assert.Throws<NetlinkProtocolException>(() => _handle.GetLink(3)).Operation);
    }

    [Fact]
    public void AMalformedErrorAcknowledgementIsAProtocolErrorNotASuccess()
    {
        // error -EEXIST, then nothing: the echoed request header is missing.
        Answer(request => [KernelReply.Message(MessageType.Error, 0, BitConverter.GetBytes(-Errno.EEXIST)).AnswerTo(request)]);
        var error = Assert.Throws<NetlinkProtocolException>(() => _handle.AddAddress("v0", InterfaceAddress.Parse("10.200.0.1/24")));
        Assert.Equal("v0: add address 10.200.0.1/24", error.Operation);
    }

    [Fact]
    public void AnAttributeOffsetNearUInt32MaxIsIgnoredNotACrash()
    {
        // Found by the fuzz test with a random seed: the offset, clamped to int.MaxValue, overflowed a bounds check.
        Answer(request => [KernelReply.Error(request, Errno.EEXIST, "Address already assigned", attributeOffset: uint.MaxValue)]);
        var error = Assert.Throws<NetlinkException>(() => _handle.AddAddress("v0", InterfaceAddress.Parse("10.200.0.1/24")));
        Assert.Equal((Errno.EEXIST, "Address already assigned", null), (error.Errno, error.KernelMessage, error.AttributeType));
    }

    [Fact]
    public void AnswerOfTheWrongTypeIsAProtocolError()
    {
        _kernel.Respond = request => [KernelReply.Done(request)];
        Assert.Contains("message type 3 arrived where 16 was expected", Assert.Throws<NetlinkProtocolException>(() => _handle.GetLink("v0")).Message);
    }

    [Fact]
    public void GarbageIsAProtocolError()
    {
        _kernel.Respond = _ => [KernelReply.Datagram([0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13])];
        Assert.Throws<NetlinkProtocolException>(() => _handle.SetLinkUp(3));
    }

    [Fact]
    public void RepliesToOtherSequencesAreIgnored()
    {
        _kernel.Respond = request =>
            [KernelReply.Error(request, Errno.EEXIST).Rewritten(sequence: request.Sequence - 1), KernelReply.Ack(request).Rewritten(sequence: request.Sequence + 7), KernelReply.Ack(request)];
        _handle.SetLinkUp(3);
    }

    [Fact]
    public void OnlyAWrongSequenceMeansTimeout()
    {
        _kernel.Respond = request => [KernelReply.Ack(request).Rewritten(sequence: request.Sequence + 1)];
        Assert.Throws<NetlinkTimeoutException>(() => _handle.SetLinkUp(3));
    }

    [Fact]
    public void RepliesToAnotherPortIdAreIgnored()
    {
        _kernel.Respond = request => [KernelReply.Ack(request).Rewritten(portId: FakeKernel.PortId + 1)];
        Assert.Throws<NetlinkTimeoutException>(() => _handle.SetLinkUp(3));
    }

    [Fact]
    public void DatagramsFromOtherProcessesAreIgnored()
    {
        _kernel.Respond = request => [KernelReply.Datagram(KernelReply.Error(request, Errno.EPERM).Bytes.Span, senderPortId: 777), KernelReply.Ack(request)];
        _handle.SetLinkUp(3);
    }

    [Fact]
    public void SilenceIsATypedTimeoutNamingTheOperation()
    {
        var error = Assert.Throws<NetlinkTimeoutException>(() => _handle.SetMtu(3, 1400));
        Assert.Equal((Errno.ETIMEDOUT, "link #3: set mtu 1400", Timeout), (error.Errno, error.Operation, error.Timeout));
        Assert.StartsWith("link #3: set mtu 1400: ETIMEDOUT (Connection timed out)\n  detail: no answer from the kernel within 0.15 s", error.Message);
    }

    [Fact]
    public void ACancelledRequestEndsWithoutWaitingForTheReplyAndTheNextCallSkipsItsLateReply()
    {
        var slow = new FakeKernel();
        using var patient = slow.Open(TimeSpan.FromSeconds(30)); // a timeout would be NetlinkTimeoutException
        KernelRequest? cancelled = null;
        slow.Respond = request =>
        {
            cancelled ??= request;
            return []; // a kernel slow to answer
        };
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        Assert.ThrowsAny<OperationCanceledException>(() => patient.SetMtu(3, 1400, cancellation.Token));
        slow.Respond = request => [KernelReply.Error(cancelled!, Errno.EPERM), KernelReply.Ack(request)]; // the late reply arrives first
        patient.SetMtu(3, 1400);
    }

    [Fact]
    public void AnAlreadyCancelledTokenSendsNothing()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => _handle.SetMtu(3, 1400, cancellation.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => _handle.CreateBatch().AddRoute(new Route(IPNetwork.Parse("10.200.9.0/24")) { OutputLinkIndex = 3 }).Execute(cancellation.Token));
        Assert.Empty(_kernel.Requests);
    }

    [Fact]
    public void MissingLinkIsNullForFindAndEnodevForGet()
    {
        _kernel.Respond = request => [KernelReply.Error(request, Errno.ENODEV)];
        Assert.Null(_handle.FindLink("nope"));
        Assert.Equal("nope: get link", Assert.Throws<NetlinkException>(() => _handle.GetLink("nope")).Operation);
    }

    [Fact]
    public void BatchSendsOneDatagramAndReportsEachFailure()
    {
        _kernel.Respond = request => [KernelReply.Error(request, request.Type == MessageType.NewRoute ? Errno.EEXIST : 0)];
        var failures = _handle.CreateBatch()
            .ReplaceAddress(3, InterfaceAddress.Parse("10.200.0.2/24"))
            .AddRoute(new Route(IPNetwork.Parse("10.200.5.0/24")) { OutputLinkIndex = 3 })
            .DeleteAddress(3, InterfaceAddress.Parse("10.200.0.9/24"))
            .Execute();
        Assert.Single(_kernel.Requests.Select(r => r.Datagram).Distinct());
        Assert.Equal([MessageType.NewAddress, MessageType.NewRoute, MessageType.DeleteAddress], _kernel.Requests.Select(r => r.Type));
        Assert.Equal([1u, 1u], _kernel.Requests.Zip(_kernel.Requests.Skip(1), (a, b) => b.Sequence - a.Sequence));
        var failure = Assert.Single(failures);
        Assert.Equal((Errno.EEXIST, "link #3: add route 10.200.5.0/24"), (failure.Errno, failure.Operation));
    }

    [Fact]
    public void UnansweredBatchTimesOutPerRequest()
    {
        _kernel.Respond = request => request.Type == MessageType.NewAddress ? [KernelReply.Ack(request)] : [];
        var failures = _handle.CreateBatch()
            .AddAddress(3, InterfaceAddress.Parse("10.200.0.2/24"))
            .AddRoute(new Route(IPNetwork.Parse("10.200.5.0/24")))
            .AddRoute(new Route(IPNetwork.Parse("10.200.6.0/24")))
            .Execute();
        Assert.Equal(["add route 10.200.5.0/24", "add route 10.200.6.0/24"], failures.Select(f => f.Operation));
        Assert.All(failures, f => Assert.IsType<NetlinkTimeoutException>(f));
    }

    [Fact]
    public void EventOverflowIsReportedAsEventsLostAndTheStreamGoesOn()
    {
        using var subscription = _handle.SubscribeEvents(EventGroups.Links);
        var linkV0 = KernelReply.Datagram(Convert.FromHexString(Captures.GetLinkReply)).Rewritten(sequence: 0, portId: 0);
        _kernel.Notify(KernelReply.ReceiveError(Errno.ENOBUFS));
        _kernel.Notify(KernelReply.Datagram(linkV0.Bytes.Span, senderPortId: 99)); // not from the kernel: ignored
        _kernel.Notify(linkV0);
        Assert.IsType<EventsLost>(subscription.Read(Timeout));
        var change = Assert.IsType<LinkEvent>(subscription.Read(Timeout));
        Assert.Equal(("v0", false), (change.Link.Name, change.Removed));
        Assert.Null(subscription.Read(TimeSpan.FromMilliseconds(20)));
    }

    [Fact]
    public void ADisposedHandleSubscribesToNothing()
    {
        _handle.Dispose();
        Assert.Throws<ObjectDisposedException>(() => _handle.SubscribeEvents(EventGroups.Links));
    }

    [Fact]
    public void DisposingTheHandleClosesTheTransport()
    {
        _handle.Dispose();
        Assert.Equal(0, _kernel.OpenHandles);
    }
}
