using System.Net.Sockets;

using Init.Tests.Harness;

using Xunit;

namespace Init.Tests.Scenarios;

/// <summary>Issue 7.3: the spec path is untrusted — only a regular file up to the cap is read, nothing blocks.</summary>
[Trait("Needs", "root")]
public class UntrustedSpecPathScenarios
{
    private const string Busybox = Repo.Busybox;

    /// <summary>A hang or an unbounded read would run into this; an answer comes at once.</summary>
    private static readonly Pid1Options Bounded = new() { Timeout = TimeSpan.FromSeconds(10) };

    private static void AssertRefused(string path, string expected)
    {
        ProcResult result = Pid1.Run(["-s", path, Busybox, "true"], Bounded);
        result.AssertExit(2);
        Assert.Contains($"{path}:1:1: (file): {expected}", result.Stderr);
        Assert.DoesNotContain("internal error", result.Stderr);
    }

    [Fact]
    public void AFifoIsRefusedWithoutBlocking()
    {
        using var dir = new TempDir();
        Proc.Must("mkfifo", dir["fifo"]);
        AssertRefused(dir["fifo"], "not a regular file: a FIFO");
    }

    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("/dev/urandom")]
    public void ADeviceIsRefusedBeforeItIsRead(string device) => AssertRefused(device, "not a regular file: a character device");

    [Fact]
    public void ADirectoryAndASocketAreNamed()
    {
        using var dir = new TempDir();
        AssertRefused(dir.Path, "not a regular file: a directory");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(dir["socket"]));
        AssertRefused(dir["socket"], "not a regular file: a socket");
    }

    [Fact]
    public void ASymlinkToARegularFileIsFollowedAndASymlinkToAFifoIsNotRead()
    {
        using var dir = new TempDir();
        string spec = dir.Write("spec.toml", "version = 1\n");
        File.CreateSymbolicLink(dir["link"], spec);
        ProcResult result = Pid1.Run(["-s", dir["link"], Busybox, "true"], Bounded);
        result.AssertExit(0);
        Proc.Must("mkfifo", dir["fifo"]);
        File.CreateSymbolicLink(dir["fifo-link"], dir["fifo"]);
        AssertRefused(dir["fifo-link"], "not a regular file: a FIFO");
    }

    [Fact]
    public void AFileOneByteOverTheCapIsRefused()
    {
        using var dir = new TempDir();
        string spec = dir.Write("big.toml", "#" + new string('x', 1 << 20) + "\n"); // 1 MiB + 2 bytes of comment
        AssertRefused(spec, "larger than 1024 KiB: not a spec");
        File.WriteAllText(spec, "#" + new string('x', (1 << 20) - 2) + "\n"); // exactly 1 MiB
        ProcResult result = Pid1.Run(["-s", spec, Busybox, "true"], Bounded);
        result.AssertExit(0);
    }
}
