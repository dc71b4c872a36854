using System.Text;

using Init.Tests.Harness;

using Xunit;

using static Init.Tests.Harness.RawSpawn;

namespace Init.Tests.Scenarios;

/// <summary>Issue 7.1 and the log part of 7.4: bytes in, the same bytes out; no input forges a log line.</summary>
[Trait("Needs", "root")]
public class BytePassThroughScenarios
{
    private const string Busybox = Repo.Busybox;

    private static readonly byte[][] NoEnvironment = [];
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public void TheWorkloadGetsArgvByteForByte()
    {
        using var dir = new TempDir();
        byte[][] args = [Bytes("\xff\xfe"), Bytes("caf\xe9 x"), Bytes(""), Bytes("\x01\n-v")];
        int code = RunPid1(
            [Bytes("--"), Bytes(Busybox), Bytes("sh"), Bytes($"-c"), Bytes($"printf '%s\\0' \"$@\" > {dir["argv"]}"), Bytes("sh"), .. args],
            NoEnvironment, Timeout);
        Assert.Equal(0, code);
        Assert.Equal(args.SelectMany(arg => arg.Append((byte)0)).ToArray(), File.ReadAllBytes(dir["argv"]));
    }

    [Fact]
    public void ACommandWithANonUtf8NameIsFoundInPATH()
    {
        using var dir = new TempDir();
        // .NET's file APIs take names as UTF-8 text: the shell makes the script under its raw name (caf + byte E9).
        Proc.Must("sh", "-c", $"f=\"{dir.Path}/caf$(printf '\\351')\"; printf '#!{Busybox} sh\\n{Busybox} touch {dir["ran"]}\\n' > \"$f\"; chmod +x \"$f\"");
        Assert.Equal(0, RunPid1([Bytes("caf\xe9")], [Bytes($"PATH=/nonexistent:{dir.Path}")], Timeout));
        Assert.True(File.Exists(dir["ran"]));
    }

    [Fact]
    public void TheWorkloadGetsTheEnvironmentInOrderWithDuplicatesAndEntriesWithoutEquals()
    {
        using var dir = new TempDir();
        byte[][] environment = [Bytes("A=1"), Bytes("NOEQUALS"), Bytes("B=\xff"), Bytes("A=2"), Bytes("C=caf\xe9"), Bytes("=odd")];
        int code = RunPid1([Bytes("--"), Bytes(Busybox), Bytes("cp"), Bytes("/proc/self/environ"), Bytes(dir["environ"])],
            environment, Timeout);
        Assert.Equal(0, code);
        Assert.Equal(environment.SelectMany(entry => entry.Append((byte)0)).ToArray(), File.ReadAllBytes(dir["environ"]));
    }

    [Fact]
    public void SpecEnvReplacesANameInPlaceDropsItsDuplicatesAndAppendsNewNames()
    {
        using var dir = new TempDir();
        string spec = dir.Write("spec.toml", "version = 1\n[workload.env]\nA = \"new\"\nD = \"added\"\n");
        byte[][] environment = [Bytes("X=\xff"), Bytes("A=1"), Bytes("NOEQUALS"), Bytes("A=2"), Bytes("Z=last")];
        int code = RunPid1([Bytes("-s"), Bytes(spec), Bytes("--"), Bytes(Busybox), Bytes("cp"), Bytes("/proc/self/environ"), Bytes(dir["environ"])],
            environment, Timeout);
        Assert.Equal(0, code);
        byte[][] expected = [Bytes("X=\xff"), Bytes("A=new"), Bytes("NOEQUALS"), Bytes("Z=last"), Bytes("D=added")];
        Assert.Equal(expected.SelectMany(entry => entry.Append((byte)0)).ToArray(), File.ReadAllBytes(dir["environ"]));
    }

    [Fact]
    public void ASpecPathMayBeAnyBytesOnTheCommandLineAndInINITSPEC()
    {
        using var dir = new TempDir();
        byte[] specPath = [.. Encoding.UTF8.GetBytes(dir.Path + "/sp"), 0xe9, .. "c.toml"u8];
        Proc.Must("sh", "-c", $"printf 'version = 1\\n[workload]\\ncommand = [\"{Busybox}\", \"touch\", \"{dir["ran"]}\"]\\n' "
            + $"> \"{dir.Path}/sp$(printf '\\351')c.toml\"");
        Assert.Equal(0, RunPid1([Bytes("-s"), specPath], NoEnvironment, Timeout));
        Assert.True(File.Exists(dir["ran"]));
        File.Delete(dir["ran"]);
        Assert.Equal(0, RunPid1([], [[.. "INIT_SPEC="u8, .. specPath]], Timeout));
        Assert.True(File.Exists(dir["ran"]));
    }

    [Fact]
    public void ANewlineInArgvCannotForgeALogLine()
    {
        ProcResult result = Pid1.Run(["-v", "--", Busybox, "echo", "x\ninit: error: forged\x1b[2J"]);
        result.AssertExit(0);
        Assert.DoesNotContain("\ninit: error: forged", result.Stderr);
        Assert.DoesNotContain("\x1b", result.Stderr);
        Assert.Contains("init: starting /bin/busybox echo x\\ninit: error: forged\\x1b[2J", result.Stderr);
    }

    [Fact]
    public void NonUtf8BytesInALogLineAreShownEscaped()
    {
        using var dir = new TempDir();
        int code = RunPid1([Bytes("-v"), Bytes("--"), Bytes(Busybox), Bytes("true"), Bytes("caf\xe9\xff")], NoEnvironment, Timeout, dir["stderr"]);
        Assert.Equal(0, code);
        Assert.Contains("init: starting /bin/busybox true caf\\xe9\\xff\n", File.ReadAllText(dir["stderr"]));
    }
}
