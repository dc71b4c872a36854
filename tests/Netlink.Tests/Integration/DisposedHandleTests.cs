using System.Net;
using Xunit;

namespace Netlink.Tests.Integration;

/// <summary>Every call on a disposed handle throws <see cref="ObjectDisposedException"/>, every time.</summary>
[Trait("Needs", "root")]
public class DisposedHandleTests : NamespaceTest
{
    [Fact]
    public void EveryCallOnADisposedHandleThrowsObjectDisposedException()
    {
        var handle = NetlinkHandle.OpenInNamespace(Namespace.Path);
        handle.Dispose();
        Action[] calls =
        [
            () => handle.ListLinks(),
            () => handle.GetLink("lo"),
            () => handle.SetLinkUp("lo"),
            () => handle.ListAddresses(),
            () => handle.AddAddress(1, InterfaceAddress.Parse("10.200.0.1/24")),
            () => handle.ListRoutes(),
            () => handle.CreateBatch().AddAddress(1, InterfaceAddress.Parse("10.200.0.2/24")).Execute(),
            () => handle.SubscribeEvents(EventGroups.Links).Dispose(),
            () => handle.WaitForCarrier("lo", TimeSpan.FromSeconds(1)),
            () => handle.WaitForAddressReady("lo", IPAddress.Loopback, TimeSpan.FromSeconds(1)),
        ];
        for (var round = 0; round < 50; round++)
        {
            foreach (var call in calls)
                Assert.Throws<ObjectDisposedException>(call);
        }
    }

    [Fact]
    public void SubscribingToNoGroupsIsRejected() =>
        Assert.Throws<ArgumentException>(() => Netlink.SubscribeEvents(0));
}
