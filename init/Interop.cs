using System.Runtime.InteropServices;

namespace Init;

/// <summary>Every libc call the init makes, in one place.</summary>
internal static unsafe partial class Libc
{
    [LibraryImport("libc", SetLastError = true)]
    internal static partial nint write(int fd, byte* buffer, nint count);

    [LibraryImport("libc")]
    internal static partial int posix_spawnp(out int pid, byte* file, nint fileActions, nint attributes, byte** argv, byte** envp);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int waitpid(int pid, out int status, int options);
}
