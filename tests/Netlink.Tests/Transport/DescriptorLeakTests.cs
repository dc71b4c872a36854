using Xunit;

namespace Netlink.Tests.Transport;

/// <summary>Runs alone (no test class in parallel), because it counts every descriptor of the test process.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WholeProcessCollection
{
    public const string Name = "counts the whole process's descriptors";
}

/// <summary>Handles a caller forgets to dispose give their sockets back once collected (SafeHandle).</summary>
[Trait("Needs", "root")]
[Collection(WholeProcessCollection.Name)]
public class DescriptorLeakTests
{
    [Fact]
    public void HandlesNeverDisposedGiveTheirDescriptorsBackToACollection()
    {
        CollectGarbage(); // first the other tests' undisposed handles: their finalizers must not run while this counts
        var before = OpenDescriptors();
        Assert.True(OpenAndDrop(200) >= before + 200, "each handle holds a socket at least");
        CollectGarbage();
        int after = OpenDescriptors();
        Assert.True(after <= before + 5, $"{before} descriptors before, {after} after: {Targets()}"); // a few for the runner's own
    }

    private static void CollectGarbage()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    private static int OpenDescriptors() => Directory.GetFiles("/proc/self/fd").Length;

    private static string Targets() => string.Join(", ", Directory.GetFiles("/proc/self/fd")
        .Select(fd => new FileInfo(fd).LinkTarget ?? "?").GroupBy(target => target.Split('[')[0]).Select(g => $"{g.Key} ×{g.Count()}"));

    /// <summary>Opens handles and lets go of them; returns how many descriptors were open while they were held.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static int OpenAndDrop(int count)
    {
        var handles = Enumerable.Range(0, count).Select(_ => NetlinkHandle.Open()).ToList();
        var open = OpenDescriptors();
        GC.KeepAlive(handles);
        return open;
    }
}
