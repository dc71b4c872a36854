using System.Runtime.InteropServices;

using Init.Supervisor;

namespace Init.Interop;

/// <summary>
/// Every libc call the init makes, in one place. Calls that report failure through errno use SetLastError and are
/// wrapped by <see cref="Errno.Check(int, string)"/>; the posix_spawn family and pthread_sigmask return the error number.
/// </summary>
internal static unsafe partial class Libc
{
    internal const int SIG_BLOCK = 0;
    internal const int WNOHANG = 1;
    internal const int PR_SET_PDEATHSIG = 1;
    internal const int PR_SET_CHILD_SUBREAPER = 36;

    internal const short POSIX_SPAWN_SETPGROUP = 0x02;
    internal const short POSIX_SPAWN_SETSIGDEF = 0x04;
    internal const short POSIX_SPAWN_SETSIGMASK = 0x08;

    /// <summary>glibc x86_64 sizes of the opaque spawn objects, rounded up.</summary>
    internal const int SpawnAttrSize = 512, SpawnFileActionsSize = 128;

    [LibraryImport("libc", SetLastError = true)]
    internal static partial nint write(int fd, byte* buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int getpid();

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int getpgrp();

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int tcgetpgrp(int fd);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int chdir(byte* path);

    // Files and hostname (network setup).

    internal const int O_WRONLY = 0x1, O_CREAT = 0x40, O_TRUNC = 0x200, O_CLOEXEC = 0x80000;

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int open(byte* path, int flags, int mode);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int close(int fd);

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

    // posix_spawn: each returns an error number (0 on success), not -1/errno.

    [LibraryImport("libc")]
    internal static partial int posix_spawn(int* pid, byte* path, void* fileActions, void* attributes, byte** argv, byte** envp);

    [LibraryImport("libc")]
    internal static partial int posix_spawnattr_init(void* attributes);

    [LibraryImport("libc")]
    internal static partial int posix_spawnattr_destroy(void* attributes);

    [LibraryImport("libc")]
    internal static partial int posix_spawnattr_setflags(void* attributes, short flags);

    [LibraryImport("libc")]
    internal static partial int posix_spawnattr_setsigmask(void* attributes, SignalSet* mask);

    [LibraryImport("libc")]
    internal static partial int posix_spawnattr_setsigdefault(void* attributes, SignalSet* defaults);

    [LibraryImport("libc")]
    internal static partial int posix_spawnattr_setpgroup(void* attributes, int processGroup);

    [LibraryImport("libc")]
    internal static partial int posix_spawn_file_actions_init(void* fileActions);

    [LibraryImport("libc")]
    internal static partial int posix_spawn_file_actions_destroy(void* fileActions);

    [LibraryImport("libc")]
    internal static partial int posix_spawn_file_actions_addtcsetpgrp_np(void* fileActions, int fd);

    [LibraryImport("libc")]
    internal static partial int posix_spawn_file_actions_addchdir_np(void* fileActions, byte* path);

    [LibraryImport("libc")]
    internal static partial int posix_spawn_file_actions_addclose(void* fileActions, int fd);
}

/// <summary>glibc's <c>struct sigaction</c> on x86_64 (152 bytes).</summary>
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

[StructLayout(LayoutKind.Sequential)]
internal struct Timespec
{
    internal long Seconds;
    internal long Nanoseconds;

    internal static Timespec From(TimeSpan span) =>
        new() { Seconds = span.Ticks / TimeSpan.TicksPerSecond, Nanoseconds = span.Ticks % TimeSpan.TicksPerSecond * 100 };
}
