using Init.Supervisor;

using Xunit;

namespace Init.Tests.Supervisor;

public class ExitStatusTests
{
    [Theory]
    [InlineData(0x0000, 0, "exited with 0")]
    [InlineData(0x0300, 3, "exited with 3")]
    [InlineData(0xff00, 255, "exited with 255")]
    [InlineData(0x000f, 143, "killed by SIGTERM")]
    [InlineData(0x0009, 137, "killed by SIGKILL")]
    [InlineData(0x008b, 139, "killed by SIGSEGV (core dumped)")]
    public void WaitStatusToExitCode(int status, int code, string description)
    {
        Assert.Equal(code, ExitStatus.ToExitCode(status));
        Assert.Equal(description, ExitStatus.Describe(status));
    }

    [Theory]
    [InlineData("1 (init) S 0 1 1 0", 0)]
    [InlineData("42 (a) b) (c) R 7 42 42 0", 7)]
    [InlineData("43 (with space) S 12 43", 12)]
    public void ParentFromProcStat(string stat, int parent) => Assert.Equal(parent, Leftovers.ParentFromStat(stat));

    [Fact]
    public void DescendantsOfThisProcessFromProc()
    {
        Assert.Empty(Leftovers.Descendants(int.MaxValue, out _)!);
        Assert.Contains(Environment.ProcessId, Leftovers.Descendants(1, out _)!);
    }
}
