using System.Buffers.Binary;
using System.Net.NetworkInformation;
using Init.Plan;
using Init.Tests.Harness;
using Init.Tests.Spec;
using Netlink;
using Netlink.Testing;
using Xunit;

namespace Init.Tests.Network;

/// <summary>
/// The executor's link steps against a scripted kernel (Netlink.Testing): a step checks the state the plan last
/// read instead of asking again, and asks again once a step of its own has changed the link. No root needed.
/// </summary>
public sealed class LinkStateTests
{
    private static readonly Link Loopback = new()
    {
        Index = 1, Name = "lo", Mtu = 65536, HardwareType = 772, OperationalState = OperationalState.Unknown,
    };

    private static readonly Link Eth0 = new()
    {
        Index = 2, Name = "eth0", Mtu = 1500, HardwareType = 1, Flags = LinkFlags.Broadcast | LinkFlags.Multicast,
        OperationalState = OperationalState.Down, MacAddress = PhysicalAddress.Parse("02-00-00-00-00-02"),
    };

    [Fact]
    public void ALinkIsReadOnceUnlessAStepChangedIt()
    {
        var kernel = new FakeKernel(request => request switch
        {
            { Type: MessageType.GetLink, IsDump: false } => [KernelReply.Link(IsLoopback(request) ? Loopback : Eth0).AnswerTo(request)],
            { IsDump: true } => KernelReply.Dump(request, []),
            _ => [KernelReply.Ack(request)],
        });
        using var root = new TempDir();
        using var netlink = kernel.Open();

        PlanExecutor.Apply(SpecFile.Load("""
            [[interface]]
            name = "eth0"
            mtu = 1400
            """), netlink, root.Path);

        // lo: looked up by name, brought up from that state. eth0: found by name, its MTU set from that state,
        // then read again (the MTU step changed it) before it is brought up.
        Assert.Equal(3, kernel.Requests.Count(request => request.Type == MessageType.GetLink));
        Assert.Equal(3, kernel.Requests.Count(request => request.Type == MessageType.NewLink));
    }

    /// <summary>By index 1, or by the name "lo" (IFLA_IFNAME) with index 0.</summary>
    private static bool IsLoopback(KernelRequest request)
    {
        ReadOnlySpan<byte> payload = request.Payload.Span;
        int index = BinaryPrimitives.ReadInt32LittleEndian(payload[4..]);
        return index == 1 || (index == 0 && payload.IndexOf("lo\0"u8) >= 0);
    }
}
