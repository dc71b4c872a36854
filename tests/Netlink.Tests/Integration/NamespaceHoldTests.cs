using Xunit;

namespace Netlink.Tests.Integration;

/// <summary>
/// A handle holds its namespace by descriptor: event sockets and waits opened later are in the handle's namespace
/// even after its path was deleted, or deleted and re-created for a new namespace.
/// </summary>
[Trait("Needs", "root")]
public class NamespaceHoldTests : NamespaceTest
{
    [Fact]
    public void EventsStillArriveAfterTheNamespacePathIsDeleted()
    {
        CreateVethPair();
        TestNamespace.Run("ip", "netns", "del", Namespace.Name);
        try
        {
            using var events = Netlink.SubscribeEvents(EventGroups.Links);
            Netlink.SetLinkUp("v0");
            Assert.IsType<LinkEvent>(events.Read(TimeSpan.FromSeconds(5)));
        }
        finally
        {
            TestNamespace.Run("ip", "netns", "add", Namespace.Name); // for the namespace's own clean-up
        }
    }

    [Fact]
    public async Task WaitForCarrierListensInTheHandlesNamespaceAfterThePathIsReused()
    {
        CreateVethPair();
        Netlink.SetLinkUp("v0");
        TestNamespace.Run("ip", "netns", "del", Namespace.Name);
        TestNamespace.Run("ip", "netns", "add", Namespace.Name);
        var wait = Task.Factory.StartNew(() => Netlink.WaitForCarrier("v0", TimeSpan.FromSeconds(5)), TaskCreationOptions.LongRunning);
        Thread.Sleep(200); // subscribed and checked: v1 is down, no carrier yet
        Netlink.SetLinkUp("v1");
        Assert.True((await wait.WaitAsync(TimeSpan.FromSeconds(10))).HasCarrier);
    }
}
