using System.Text;

using Init.Cli;

using Xunit;

namespace Init.Tests.Cli;

public class CommandLineTests
{
    /// <summary>Parses arguments given as text (UTF-8), the way the kernel would pass them.</summary>
    internal static Options Parse(string[] args) => CommandLine.Parse([.. args.Select(Encoding.UTF8.GetBytes)]);

    internal static string[] Text(IEnumerable<byte[]> strings) => [.. strings.Select(Encoding.UTF8.GetString)];

    [Fact]
    public void ValuesAndTheCommandStayBytes()
    {
        Options o = CommandLine.Parse([[.. "-s/x"u8, 0xff], "--"u8.ToArray(), [0xff, 0xfe]]);
        Assert.Equal([.. "/x"u8, 0xff], o.SpecPath);
        Assert.Equal([[0xff, 0xfe]], o.Command);
    }

    [Theory]
    [InlineData(new[] { "sh", "-c", "exit 3" }, new[] { "sh", "-c", "exit 3" })]
    [InlineData(new[] { "--", "sh", "-c", "exit 3" }, new[] { "sh", "-c", "exit 3" })]
    [InlineData(new[] { "-g", "sh", "-v" }, new[] { "sh", "-v" })]
    [InlineData(new[] { "-g", "--", "--grace" }, new[] { "--grace" })]
    [InlineData(new[] { "-v", "-" }, new[] { "-" })]
    [InlineData(new[] { "-q" }, new string[0])]
    public void OptionsStopAtTheFirstNonOptionOrDoubleDash(string[] args, string[] command) =>
        Assert.Equal(command, Text(Parse(args).Command));

    [Fact]
    public void EveryOptionInBothForms()
    {
        Options separate = Parse(
            ["--spec", "/s.toml", "--check", "--group", "--grace", "250ms", "--remap-exit", "143", "--pdeathsig", "TERM", "x"]);
        Options joined = Parse(
            ["--spec=/s.toml", "--check", "--group", "--grace=250ms", "--remap-exit=143", "--pdeathsig=15", "x"]);
        foreach (Options o in new[] { separate, joined })
        {
            Assert.Equal("/s.toml"u8.ToArray(), o.SpecPath);
            Assert.True(o.Check);
            Assert.True(o.Group);
            Assert.Equal(TimeSpan.FromMilliseconds(250), o.Grace);
            Assert.Equal([143], o.RemapExit);
            Assert.Equal(15, o.ParentDeathSignal);
            Assert.Equal(["x"], Text(o.Command));
        }
    }

    [Fact]
    public void ShortOptionsTakeValuesAttachedOrNextAndCluster()
    {
        Options o = Parse(["-vvg", "-s/a.toml", "-e", "1", "-e2", "-pSIGKILL", "cmd"]);
        Assert.Equal(2, o.Verbosity);
        Assert.True(o.Group);
        Assert.Equal("/a.toml"u8.ToArray(), o.SpecPath);
        Assert.Equal([1, 2], o.RemapExit);
        Assert.Equal(9, o.ParentDeathSignal);
        Assert.Equal(["cmd"], Text(o.Command));
    }

    [Theory]
    [InlineData("-V")]
    [InlineData("--version")]
    public void Version(string flag) => Assert.True(Parse([flag]).Version);

    [Theory]
    [InlineData("-h")]
    [InlineData("--help")]
    public void Help(string flag) => Assert.True(Parse([flag]).Help);

    [Theory]
    [InlineData(new[] { "--bogus" }, "unknown option '--bogus'")]
    [InlineData(new[] { "-x", "sh" }, "unknown option '-x'")]
    [InlineData(new[] { "--grace" }, "option '--grace' needs a value")]
    [InlineData(new[] { "-s" }, "option '-s' needs a value")]
    [InlineData(new[] { "--group=1" }, "option '--group' takes no value")]
    [InlineData(new[] { "--grace", "3" }, "invalid duration '3'")]
    [InlineData(new[] { "--remap-exit", "256" }, "invalid exit code '256'")]
    [InlineData(new[] { "-e", "-1" }, "invalid exit code '-1'")]
    [InlineData(new[] { "--pdeathsig", "NOPE" }, "unknown signal 'NOPE'")]
    [InlineData(new[] { "-p", "65" }, "unknown signal '65'")]
    public void BadOptionsAreUsageErrors(string[] args, string message) =>
        Assert.Contains(message, Assert.Throws<UsageException>(() => Parse(args)).Message);

    [Fact]
    public void UsageNamesEveryOption()
    {
        foreach (string option in new[] { "--spec", "--check", "--group", "--grace", "--remap-exit", "--rewrite", "--pause", "--pdeathsig", "-v", "-q", "--version", "--help" })
            Assert.Contains(option, CommandLine.Usage);
        Assert.StartsWith("usage: init [OPTIONS] [--] [COMMAND [ARG...]]", CommandLine.Usage);
    }

    [Fact]
    public void RewriteTakesNamesAndNumbersAndZeroDrops()
    {
        Options o = Parse(["-r", "TERM:QUIT", "--rewrite=10:SIGUSR2", "-rRTMIN+1:0", "sh"]);
        Assert.Equal(new Dictionary<int, int> { [15] = 3, [10] = 12, [35] = 0 }, o.Rewrite);
        Assert.Equal(["sh"], Text(o.Command));
    }

    [Theory]
    [InlineData("TERM", "--rewrite: 'TERM' is not FROM:TO (e.g. TERM:QUIT; TO 0 drops the signal)")]
    [InlineData("TERM:", "--rewrite: 'TERM:' is not FROM:TO (e.g. TERM:QUIT; TO 0 drops the signal)")]
    [InlineData("STOP:TERM", "--rewrite: SIGSTOP cannot be rewritten: it cannot be caught: the kernel acts on it, the init never receives it")]
    [InlineData("32:TERM", "--rewrite: SIG32 cannot be rewritten: glibc reserves it; the init never receives it")]
    [InlineData("CHLD:TERM", "--rewrite: SIGCHLD cannot be rewritten: the init takes it as a child's exit; it is never forwarded")]
    [InlineData("TERM:QUTI", "--rewrite: \"QUTI\" is not a signal (a name like TERM or SIGTERM, RTMIN+N, a number 1..64, or 0 to drop it); did you mean \"QUIT\"?")]
    public void RewriteRefusesWhatCannotWork(string value, string message) =>
        Assert.Equal(message, Assert.Throws<UsageException>(() => Parse(["-r", value, "sh"])).Message);

    [Fact]
    public void RewritingOneSignalTwiceIsRefused() =>
        Assert.Equal("--rewrite: SIGTERM is rewritten twice",
            Assert.Throws<UsageException>(() => Parse(["-r", "TERM:QUIT", "-r", "15:HUP", "sh"])).Message);

    [Fact]
    public void EveryRewritableSignalIsOneTheInitForwards()
    {
        for (int signal = 1; signal <= 64; signal++)
            Assert.Equal(Init.Supervisor.Signals.Forwarded.Contains(signal),
                Init.Spec.SignalRewrite.ParseFrom(signal.ToString(), out _) is null);
    }
}
