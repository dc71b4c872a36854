using System.Runtime.InteropServices;


namespace Init.Interop;

/// <summary>
/// Every libc call the init makes, in one place. Calls that report failure through errno use SetLastError and are
/// wrapped by <see cref="LibcErrno.Check(int, string)"/>; pthread_sigmask returns the error number. The workload's
/// start is C (<see cref="NativeSpawn"/>).
/// </summary>
internal static unsafe partial class Libc
{
    internal const int SIG_BLOCK = 0;
    internal const int SIG_UNBLOCK = 1;
    internal const int WNOHANG = 1;
    internal const int PR_SET_PDEATHSIG = 1;
    internal const int PR_SET_CHILD_SUBREAPER = 36;

    [LibraryImport("libc", SetLastError = true)]
    internal static partial nint write(int fd, byte* buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int getpid();

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int getpgrp();

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int tcgetpgrp(int fd);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int tcsetpgrp(int fd, int processGroup);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int chdir(byte* path);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial byte* getcwd(byte* buffer, nint size);

    // Files and hostname (network setup).

    internal const int O_RDONLY = 0x0, O_WRONLY = 0x1, O_RDWR = 0x2, O_CREAT = 0x40, O_NOCTTY = 0x100, O_TRUNC = 0x200,
        O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;

    internal const int AT_FDCWD = -100, AT_EMPTY_PATH = 0x1000;
    internal const uint STATX_TYPE = 0x1;

    /// <summary>statx rather than fstat: one struct layout on every architecture.</summary>
    [LibraryImport("libc", SetLastError = true)]
    internal static partial int statx(int directory, byte* path, int flags, uint mask, Statx* status);

    /// <summary>Bytes written to <paramref name="buffer"/> (no NUL added), or -1.</summary>
    [LibraryImport("libc", SetLastError = true)]
    internal static partial nint readlink(byte* path, byte* buffer, nint size);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int open(byte* path, int flags, int mode);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial nint read(int fd, byte* buffer, nint count);

    // Directories of /proc (raw: System.IO would stat, lstat and readlink every entry).

    [LibraryImport("libc", SetLastError = true)]
    internal static partial nint opendir(byte* path);

    /// <summary>glibc's <c>struct dirent</c>; null at the end (or on error).</summary>
    [LibraryImport("libc", SetLastError = true)]
    internal static partial DirEntry* readdir(nint directory);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int dirfd(nint directory);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int closedir(nint directory);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int gethostname(byte* name, nint length);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int sethostname(byte* name, nint length);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    // Signals.

    /// <summary>Returns an error number (0 on success), not -1/errno.</summary>
    [LibraryImport("libc")]
    internal static partial int pthread_sigmask(int how, SignalSet* set, SignalSet* oldSet);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int sigaction(int signal, SigAction* action, SigAction* oldAction);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int sigtimedwait(SignalSet* set, SigInfo* info, Timespec* timeout);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int kill(int pid, int signal);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int waitpid(int pid, int* status, int options);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial uint getuid();

    /// <summary>syscall(2) with three arguments (glibc's assembly ignores the variadic register count).</summary>
    [LibraryImport("libc", SetLastError = true)]
    internal static partial long syscall(long number, long arg1, long arg2, long arg3);

    // A virtual machine's PID 1 (init/Machine/): glibc wrappers, the same on every architecture.

    internal const ulong MS_RDONLY = 0x1, MS_NOSUID = 0x2, MS_NODEV = 0x4, MS_NOEXEC = 0x8, MS_SYNCHRONOUS = 0x10,
        MS_REMOUNT = 0x20, MS_MANDLOCK = 0x40, MS_DIRSYNC = 0x80, MS_NOSYMFOLLOW = 0x100, MS_NOATIME = 0x400,
        MS_NODIRATIME = 0x800, MS_BIND = 0x1000, MS_REC = 0x4000, MS_SILENT = 0x8000, MS_RELATIME = 0x200000,
        MS_STRICTATIME = 0x1000000, MS_LAZYTIME = 0x2000000;

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int mount(byte* source, byte* target, byte* type, ulong flags, byte* data);

    internal const ulong MS_MOVE = 0x2000;

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int chroot(byte* path);

    /// <summary>reboot(2)'s commands as glibc's &lt;sys/reboot.h&gt; names them.</summary>
    internal const int RB_DISABLE_CAD = 0, RB_POWER_OFF = 0x4321fedc;

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int reboot(int command);

    [LibraryImport("libc")]
    internal static partial void sync();

    /// <summary>
    /// finit_module(2) has no glibc wrapper: syscall(2) with the number of the architecture the binary runs on
    /// (x86-64 313, arm64 273; asm/unistd_64.h and asm-generic/unistd.h).
    /// </summary>
    internal static long SYS_finit_module => SyscallNumber("finit_module", x64: 313, arm64: 273);

    /// <summary>rt_sigqueueinfo(2), no glibc wrapper (x86-64 129, arm64 138): sigqueue(3) with the siginfo as given.</summary>
    internal static long SYS_rt_sigqueueinfo => SyscallNumber("rt_sigqueueinfo", x64: 129, arm64: 138);

    private static long SyscallNumber(string name, long x64, long arm64) => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => x64,
        Architecture.Arm64 => arm64,
        var other => throw new PlatformNotSupportedException($"{name}: no syscall number for {other}"),
    };
}

/// <summary>glibc's <c>struct sigaction</c> (152 bytes on x86-64 and arm64: tests/Init.Tests/Interop checks).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SigAction
{
    internal nint Handler;
    internal SignalSet Mask;
    internal int Flags;
    internal nint Restorer;

    internal const nint SIG_DFL = 0, SIG_IGN = 1;
}

/// <summary>The fields of <c>siginfo_t</c> the init reads.</summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct SigInfo
{
    [FieldOffset(0)] internal int Signal;
    /// <summary>si_code: at or below zero a process sent it (kill, sigqueue, tgkill); above, the kernel did.</summary>
    [FieldOffset(8)] internal int Code;
    [FieldOffset(16)] internal int SenderPid;
}

/// <summary><c>struct statx</c> (256 bytes, the same on every architecture), up to the fields the init reads.</summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal struct Statx
{
    [FieldOffset(28)] internal ushort Mode;
}

/// <summary>glibc's <c>struct dirent</c> (the same on x86-64 and arm64), up to the NUL-terminated name.</summary>
[StructLayout(LayoutKind.Explicit)]
internal unsafe struct DirEntry
{
    [FieldOffset(19)] internal fixed byte Name[256];
}

[StructLayout(LayoutKind.Sequential)]
internal struct Timespec
{
    internal long Seconds;
    internal long Nanoseconds;

    internal static Timespec From(TimeSpan span) =>
        new() { Seconds = span.Ticks / TimeSpan.TicksPerSecond, Nanoseconds = span.Ticks % TimeSpan.TicksPerSecond * 100 };
}

