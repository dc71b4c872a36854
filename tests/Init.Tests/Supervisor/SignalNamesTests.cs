using Init.Interop;
using Init.Supervisor;
using Xunit;

namespace Init.Tests.Supervisor;

public class SignalNamesTests
{
    [Theory]
    [InlineData("TERM", 15)]
    [InlineData("sigterm", 15)]
    [InlineData("SIGKILL", 9)]
    [InlineData("9", 9)]
    [InlineData("SYS", 31)]
    [InlineData("RTMIN", 34)]
    [InlineData("SIGRTMIN+1", 35)]
    [InlineData("RTMAX-1", 63)]
    [InlineData("RTMAX", 64)]
    public void Parses(string text, int signal)
    {
        Assert.True(SignalNames.TryParse(text, out int parsed));
        Assert.Equal(signal, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("65")]
    [InlineData("SIG")]
    [InlineData("TERMINATE")]
    [InlineData("-1")]
    public void Rejects(string text) => Assert.False(SignalNames.TryParse(text, out _));

    [Fact]
    public void NamesRoundTrip()
    {
        for (int signal = 1; signal <= 64; signal++)
            if (signal is not (32 or 33))
            {
                Assert.True(SignalNames.TryParse(SignalNames.Name(signal), out int back), SignalNames.Name(signal));
                Assert.Equal(signal, back);
            }
    }

    [Fact]
    public void ForwardedSetIsEveryCatchableSignalTheRuntimeLeavesFree()
    {
        int[] expected = [.. Enumerable.Range(1, 31).Except([9, 17, 19]), .. Enumerable.Range(35, 30)];
        Assert.Equal(expected, Signals.Forwarded.Signals());
        Assert.True(Signals.Awaited.Contains(17));
    }
}
