using System.Net;
using Xunit;

namespace Netlink.Tests.Integration;

/// <summary>
/// Every wait ends at once when its token is cancelled (OperationCanceledException) or when another thread disposes
/// what it waits on (ObjectDisposedException), against the real kernel. Waits here have no deadline of their own,
/// or one of minutes, so only the cancellation can end them; <see cref="Ended"/> bounds each test at a few seconds
/// so that a wait that is not woken fails the test instead of hanging it.
/// </summary>
[Trait("Needs", "root")]
public class CancellationTests : NamespaceTest
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(10);

    /// <summary>Runs a wait on another thread, and makes sure it is blocked before the test ends it.</summary>
    private static Task<T> Blocked<T>(Func<T> wait)
    {
        var task = Task.Factory.StartNew(wait, TaskCreationOptions.LongRunning);
        Thread.Sleep(200);
        Assert.False(task.IsCompleted, $"the wait ended by itself: {task.Status} {task.Exception?.InnerException?.Message}");
        return task;
    }

    /// <summary>The exception the wait ended with; a wait still blocked after seconds fails with TimeoutException.</summary>
    private static async Task<Exception> Ended<T>(Task<T> wait) =>
        await Assert.ThrowsAnyAsync<Exception>(() => wait.WaitAsync(TimeSpan.FromSeconds(5)));

    [Fact]
    public async Task AnEndlessReadEndsWhenItsTokenIsCancelledAndTheSubscriptionGoesOn()
    {
        using var events = Netlink.SubscribeEvents(EventGroups.Links);
        using var cancellation = new CancellationTokenSource();
        var read = Blocked(() => events.Read(Timeout.InfiniteTimeSpan, cancellation.Token));
        cancellation.Cancel();
        Assert.IsAssignableFrom<OperationCanceledException>(await Ended(read));

        // The wake-up left behind is not mistaken for an event, and the next change still arrives.
        Assert.Null(events.Read(TimeSpan.FromMilliseconds(100)));
        CreateVethPair();
        Assert.IsType<LinkEvent>(events.Read(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task DisposeFromAnotherThreadWakesABlockedRead()
    {
        var events = Netlink.SubscribeEvents(EventGroups.Links);
        var read = Blocked(() => events.Read(Timeout.InfiniteTimeSpan));
        events.Dispose();
        Assert.IsType<ObjectDisposedException>(await Ended(read));
        Assert.Throws<ObjectDisposedException>(() => events.Read(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task WaitForCarrierEndsWhenItsTokenIsCancelled()
    {
        CreateVethPair();
        Netlink.SetLinkUp("v0"); // v1 stays down: no carrier
        using var cancellation = new CancellationTokenSource();
        var wait = Blocked(() => Netlink.WaitForCarrier("v0", Long, cancellation.Token));
        cancellation.Cancel();
        Assert.IsAssignableFrom<OperationCanceledException>(await Ended(wait));

        // The handle goes on working, and the kernel's state is what it was.
        Assert.False(Netlink.GetLink("v0").HasCarrier);
        Assert.DoesNotContain("LOWER_UP", Namespace.IpJson("link", "show", "dev", "v0")[0].GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public async Task WaitForAddressReadyEndsWhenItsTokenIsCancelled()
    {
        CreateVethPair();
        Netlink.SetLinkUp("v0"); // without carrier, DAD does not even start: the address stays tentative
        Netlink.AddAddress("v0", new InterfaceAddress(IPAddress.Parse("fd00:200::5"), 64));
        using var cancellation = new CancellationTokenSource();
        var wait = Blocked(() => Netlink.WaitForAddressReady("v0", IPAddress.Parse("fd00:200::5"), Long, cancellation.Token));
        cancellation.Cancel();
        Assert.IsAssignableFrom<OperationCanceledException>(await Ended(wait));
        Assert.Contains(Namespace.IpJson("addr", "show", "dev", "v0")[0].GetProperty("addr_info").EnumerateArray(),
            address => address.GetProperty("local").GetString() == "fd00:200::5" && address.TryGetProperty("tentative", out _));
    }

    [Fact]
    public async Task DisposingTheHandleEndsItsWaitForCarrier()
    {
        CreateVethPair();
        Netlink.SetLinkUp("v0");
        var other = NetlinkHandle.OpenInNamespace(Namespace.Path);
        var wait = Blocked(() => other.WaitForCarrier("v0", Long));
        other.Dispose();
        Assert.IsType<ObjectDisposedException>(await Ended(wait));
        Assert.Throws<ObjectDisposedException>(() => other.GetLink("v0"));
    }
}
