using Init.Supervisor;

using Xunit;

namespace Init.Tests.Supervisor;

public class ReceivedSignalTests
{
    private const int Init = 1, SI_USER = 0, SI_KERNEL = 0x80, SEGV_MAPERR = 1;

    [Theory]
    [InlineData(11, SEGV_MAPERR, 0, true)]   // the init's own fault
    [InlineData(7, 2, 0, true)]              // BUS_ADRERR
    [InlineData(11, SI_USER, 42, false)]     // kill -SEGV from another process: forwarded
    [InlineData(8, SI_USER, 0, false)]       // kill -FPE from outside the namespace (pid 0)
    [InlineData(13, SI_USER, Init, true)]    // SIGPIPE from the init's own write to a closed pipe
    [InlineData(15, SI_USER, 0, false)]      // docker stop
    [InlineData(1, SI_KERNEL, 0, false)]     // SIGHUP from a terminal hangup: the kernel sent it, still forwarded
    public void OnlyTheInitsOwnSignalsAreKeptBack(int signal, int code, int sender, bool raisedByInit) =>
        Assert.Equal(raisedByInit, new ReceivedSignal(signal, code, sender).RaisedBy(Init));

    [Fact]
    public void DescribesTheSenderWhenAProcessSentIt()
    {
        Assert.Equal("SIGTERM from pid 42", new ReceivedSignal(15, SI_USER, 42).ToString());
        Assert.Equal("SIGTERM", new ReceivedSignal(15, SI_USER, 0).ToString());
    }
}
