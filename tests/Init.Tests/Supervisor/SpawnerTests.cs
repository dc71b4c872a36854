using System.Runtime.InteropServices;
using System.Text;

using Init.Supervisor;

using Xunit;

namespace Init.Tests.Supervisor;

public class SpawnerTests
{
    private static string[] Candidates(string command, string? path) =>
        [.. Spawner.Candidates(Encoding.Latin1.GetBytes(command), path is null ? null : Encoding.Latin1.GetBytes(path))
            .Select(Encoding.Latin1.GetString)];

    [Fact]
    public void PathLookupLikeExecvp()
    {
        Assert.Equal(["/bin/sh"], Candidates("/bin/sh", "/x"));
        Assert.Equal(["./a"], Candidates("./a", "/x"));
        Assert.Equal(["/x/sh", "/y/sh", "sh"], Candidates("sh", "/x:/y/:"));
        Assert.Contains("/bin/sh", Candidates("sh", null));
        Assert.Empty(Candidates("", "/x:/y"));
    }

    [Fact]
    public void PathLookupKeepsEveryByte()
    {
        Assert.Equal(["/d\xff/caf\xe9"], Candidates("caf\xe9", "/d\xff/"));
    }
}

public class EnvironmentBlockTests
{
    /// <summary>Native NUL-terminated copies, as the kernel's envp would hold them (left to the test process's end).</summary>
    private static EnvironmentBlock Block(params string[] entries) => new([.. entries.Select(entry =>
    {
        byte[] bytes = [.. Encoding.Latin1.GetBytes(entry), 0];
        nint native = Marshal.AllocHGlobal(bytes.Length);
        Marshal.Copy(bytes, 0, native, bytes.Length);
        return native;
    })]);

    private static unsafe string[] Entries(EnvironmentBlock block) =>
        [.. block.Entries.Select(entry => Encoding.Latin1.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated((byte*)entry)))];

    [Fact]
    public void AnOverrideReplacesTheFirstEntryInPlaceAndDropsItsDuplicates()
    {
        EnvironmentBlock block = Block("A=1", "NOEQUALS", "HOME=/x", "B=\xff", "HOME=/y", "HOMEX=1", "HOME");
        block.Set("HOME", "/home/u"u8);
        block.Set("NEW", "v"u8);
        Assert.Equal(["A=1", "NOEQUALS", "HOME=/home/u", "B=\xff", "HOMEX=1", "HOME", "NEW=v"], Entries(block));
    }

    [Fact]
    public void GetIsGetenvTheFirstMatch()
    {
        EnvironmentBlock block = Block("PATH", "PATH=/a", "PATH=/b");
        Assert.Equal("/a"u8.ToArray(), block.Get("PATH"));
        Assert.Null(block.Get("PAT"));
    }
}
