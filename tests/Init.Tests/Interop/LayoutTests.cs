using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Init.Interop;
using Init.Supervisor;
using Init.Tests.Harness;
using Xunit;

namespace Init.Tests.Interop;

/// <summary>
/// The arm64 build uses the same C# layouts as x86-64: layouts.c prints every size, offset and constant the two
/// Interop files rely on, compiled with each target's gcc and headers (the arm64 one run under qemu-user). Only
/// the raw syscall numbers may differ, and the C# side must agree with the host's headers.
/// </summary>
[Trait("Needs", "root")]
public sealed class LayoutTests
{
    private static readonly string Source = Path.Combine(Repo.Root, "tests", "Init.Tests", "Interop", "layouts.c");

    [Fact]
    public void Arm64_and_x86_64_agree_on_every_layout_and_constant_but_the_syscall_numbers()
    {
        Dictionary<string, long> host = Layouts("gcc", null), arm64 = Layouts("aarch64-linux-gnu-gcc", "qemu-aarch64-static");
        Assert.Equal(host.Keys.Order(), arm64.Keys.Order());
        string[] differing = [.. host.Keys.Where(key => host[key] != arm64[key]).Order()];
        Assert.Equal(["syscall finit_module", "syscall rt_sigqueueinfo"], differing);
    }

    [Fact]
    public void The_csharp_declarations_match_the_host_headers()
    {
        Dictionary<string, long> c = Layouts("gcc", null);
        Assert.Equal(c["sizeof(struct sigaction)"], Unsafe.SizeOf<SigAction>());
        Assert.Equal(c["offsetof(struct sigaction, sa_flags)"], (long)Marshal.OffsetOf<SigAction>(nameof(SigAction.Flags)));
        Assert.Equal(c["sizeof(sigset_t)"], Unsafe.SizeOf<SignalSet>());
        Assert.Equal(c["sizeof(siginfo_t)"], Unsafe.SizeOf<SigInfo>());
        Assert.Equal(c["offsetof(siginfo_t, si_code)"], (long)Marshal.OffsetOf<SigInfo>(nameof(SigInfo.Code)));
        Assert.Equal(c["offsetof(siginfo_t, si_pid)"], (long)Marshal.OffsetOf<SigInfo>(nameof(SigInfo.SenderPid)));
        Assert.Equal(c["sizeof(struct init_spawn_request)"], Unsafe.SizeOf<NativeSpawn.Request>());
        Assert.Equal(c["offsetof(struct init_spawn_request, dropped_capabilities)"], (long)Marshal.OffsetOf<NativeSpawn.Request>(nameof(NativeSpawn.Request.DroppedCapabilities)));
        Assert.Equal(c["offsetof(struct init_spawn_request, candidate_count)"], (long)Marshal.OffsetOf<NativeSpawn.Request>(nameof(NativeSpawn.Request.CandidateCount)));
        Assert.Equal(c["offsetof(struct init_spawn_request, no_new_privileges)"], (long)Marshal.OffsetOf<NativeSpawn.Request>(nameof(NativeSpawn.Request.NoNewPrivileges)));
        Assert.Equal(c["sizeof(struct init_spawn_failure)"], Unsafe.SizeOf<NativeSpawn.Failure>());
        Assert.Equal((long)NativeSpawn.Step.Exec, c["INIT_SPAWN_EXEC"]);
        Assert.Equal(c["sizeof(struct statx)"], Unsafe.SizeOf<Statx>());
        Assert.Equal(c["offsetof(struct statx, stx_mode)"], (long)Marshal.OffsetOf<Statx>(nameof(Statx.Mode)));
        Assert.Equal(c["offsetof(struct dirent, d_name)"], (long)Marshal.OffsetOf<DirEntry>(nameof(DirEntry.Name)));
        Assert.Equal(c["sizeof(struct timespec)"], Unsafe.SizeOf<Timespec>());
        Assert.Equal(c["syscall finit_module"], Libc.SYS_finit_module);
        Assert.Equal(c["syscall rt_sigqueueinfo"], Libc.SYS_rt_sigqueueinfo);
    }

    /// <summary>"name value" lines of layouts.c built static with <paramref name="compiler"/>, run by <paramref name="runner"/>.</summary>
    private static Dictionary<string, long> Layouts(string compiler, string? runner)
    {
        using var dir = new TempDir();
        string binary = dir["layouts"];
        Proc.Must(compiler, "-Wall", "-Werror", "-static", "-o", binary, Source);
        string output = runner is null ? Proc.Must(binary) : Proc.Must(runner, binary);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => (Key: line[..line.LastIndexOf(' ')], Value: long.Parse(line[(line.LastIndexOf(' ') + 1)..])))
            .ToDictionary(pair => pair.Key, pair => pair.Value);
    }
}
