using Init.Tests.Harness;

using Xunit;

namespace Init.Tests.Scenarios;

/// <summary>
/// The command line against the static binary as PID 1: no command, --version, bad options, where option parsing
/// stops, and a workload that cannot be executed (127 / 126).
/// </summary>
[Trait("Needs", "root")]
public class CommandLineScenarios
{
    private const string Busybox = Repo.Busybox;

    [Theory]
    [InlineData("")]
    [InlineData("--")]
    [InlineData("-v -g --")]
    public void NoCommandAndNoSpecCommandIsAUsageError(string args)
    {
        ProcResult result = Pid1.Run(args.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        result.AssertExit(2);
        Assert.Contains("usage: init", result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Theory]
    [InlineData("--version")]
    [InlineData("-V")]
    public void version(string flag)
    {
        ProcResult result = Pid1.Run([flag]);
        result.AssertExit(0);
        // The commit docker's daemon reads: letters, digits and '-' ("unknown" outside a checkout), no dot.
        Assert.Matches(@"^init \d+\.\d+\.\d+ - git\.[0-9A-Za-z-]+\n$", result.Stdout);
    }

    [Fact]
    public void HelpGoesToStdoutAndExits0()
    {
        ProcResult result = Pid1.Run(["--help"]);
        result.AssertExit(0);
        Assert.StartsWith("usage: init", result.Stdout);
        Assert.Equal("", result.Stderr);
    }

    [Theory]
    [InlineData("--bogus", "unknown option '--bogus'")]
    [InlineData("-x", "unknown option '-x'")]
    [InlineData("--grace", "option '--grace' needs a value")]
    public void UnknownOrIncompleteOptionExits2WithAMessage(string option, string message)
    {
        ProcResult result = Pid1.Run([option]);
        result.AssertExit(2);
        Assert.Contains("init: ", result.Stderr);
        Assert.Contains(message, result.Stderr);
    }

    [Theory]
    [InlineData("--spec=")]
    [InlineData("-s", "")]
    public void EmptySpecPathIsAUsageError(params string[] option)
    {
        ProcResult result = Pid1.Run([.. option, Busybox, "true"]);
        result.AssertExit(2);
        Assert.Contains("init: error: --spec: the path is empty", result.Stderr);
        Assert.DoesNotContain("internal error", result.Stderr);
    }

    [Fact]
    public void InvalidEnvironmentOverrideExits2()
    {
        ProcResult result = Pid1.Run(["--", Busybox, "true"], new Pid1Options { Env = new Dictionary<string, string?> { ["INIT_GRACE"] = "soon" } });
        result.AssertExit(2);
        Assert.Contains("INIT_GRACE", result.Stderr);
    }

    [Fact]
    public void OptionsStopAtTheFirstNonOptionWithOrWithoutDoubleDash()
    {
        Assert.Equal(3, Pid1.Run([Busybox, "sh", "-c", "exit 3"]).ExitCode);
        Assert.Equal(3, Pid1.Run(["--", Busybox, "sh", "-c", "exit 3"]).ExitCode);
        // Options after the command belong to the command.
        ProcResult result = Pid1.Run([Busybox, "echo", "--version", "-v"]);
        Assert.Equal("--version -v\n", result.Stdout);
    }

    [Fact]
    public void MissingCommandIs127NamingThePathAndReason()
    {
        ProcResult result = Pid1.Run(["/does/not/exist"]);
        result.AssertExit(127);
        Assert.Contains("/does/not/exist", result.Stderr);
        Assert.Contains("No such file or directory", result.Stderr);
    }

    [Fact]
    public void CommandNotInPathIs127()
    {
        ProcResult result = Pid1.Run(["no-such-command-anywhere"]);
        result.AssertExit(127);
        Assert.Contains("no-such-command-anywhere: No such file or directory", result.Stderr);
    }

    [Fact]
    public void EmptyCommandNameIs127AsExecvpSays()
    {
        // execvp("") is ENOENT; looking "" up in PATH would try the PATH directories themselves (EACCES, 126).
        ProcResult result = Pid1.Run(["--", ""]);
        result.AssertExit(127);
        Assert.Contains("cannot execute \"\": No such file or directory", result.Stderr);
    }

    [Fact]
    public void ExecutableWithoutInterpreterLineIs126WithNoShellFallback()
    {
        // execvp would hand a file without "#!" to /bin/sh; runc does not, and a FROM scratch image has no shell.
        using var dir = new TempDir();
        string script = dir.Write("no-shebang", "echo ran\n");
        Proc.Must("chmod", "+x", script);
        ProcResult result = Pid1.Run([script]);
        result.AssertExit(126);
        Assert.Contains($"cannot execute {script}: Exec format error (ENOEXEC)", result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public void NotExecutableIs126()
    {
        ProcResult result = Pid1.Run(["/etc/passwd"]);
        result.AssertExit(126);
        Assert.Contains("/etc/passwd", result.Stderr);
        Assert.Contains("Permission denied", result.Stderr);
    }

    [Fact]
    public void CommandIsLookedUpInPath()
    {
        ProcResult result = Pid1.Run(["busybox", "true"], new Pid1Options { Env = new Dictionary<string, string?> { ["PATH"] = "/nonexistent:/bin" } });
        result.AssertExit(0);
    }

    [Fact]
    public void CheckPrintsThePlanOnStdoutNeedsNoCommandAndStartsNothing()
    {
        using var dir = new TempDir();
        string spec = dir.Write("spec.toml", "hostname = \"checked\"\n");
        ProcResult result = Pid1.Run(["--check", "-s", spec]);
        result.AssertExit(0);
        Assert.StartsWith("lo: set up\n", result.Stdout);
        Assert.Contains("set hostname checked", result.Stdout);
        ProcResult withCommand = Pid1.Run(["--check", "-s", spec, Busybox, "touch", dir["started"]]);
        Assert.Equal(0, withCommand.ExitCode);
        Assert.False(File.Exists(dir["started"]));
    }

    [Fact]
    public void SpecErrorsExit2ListingEveryErrorAndStartNothing()
    {
        using var dir = new TempDir();
        string spec = dir.Write("spec.toml", "version = 2\n[init]\ngrace = \"soon\"\n");
        ProcResult result = Pid1.Run(["-s", spec, Busybox, "touch", dir["started"]]);
        result.AssertExit(2);
        Assert.Contains($"{spec}:1:", result.Stderr);
        Assert.Contains($"{spec}:3:", result.Stderr);
        Assert.False(File.Exists(dir["started"]));
    }

    [Fact]
    public void NamedSpecThatDoesNotExistIsAnError()
    {
        ProcResult result = Pid1.Run(["-s", "/no/such/spec.toml", Busybox, "true"]);
        result.AssertExit(2);
        Assert.Contains("/no/such/spec.toml", result.Stderr);
    }
}
